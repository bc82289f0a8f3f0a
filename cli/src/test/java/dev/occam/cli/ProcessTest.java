package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a real process (child JVMs on the test class path): signals during a write, and
 * 512 MiB through pipes with a 64 MiB heap.
 */
class ProcessTest {
    @TempDir
    Path dir;

    static ProcessBuilder occam(List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Occam.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    List<Path> temps() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".occam-tmp")).toList();
        }
    }

    /** Starts a slow compression of 2 MiB (about 10 s with testslow) and returns once its temp file exists. */
    Process startSlowCompress(Path in, Path out) throws Exception {
        Process p = occam(List.of("-XX:+UseSerialGC"), "compress", "--codec", "testslow", in.toString(), "-o", out.toString())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (temps().isEmpty()) {
            assertTrue(p.isAlive(), () -> "child ended early: " + readStderr());
            assertTrue(System.nanoTime() < deadline, "no temp file appeared");
            Thread.sleep(20);
        }
        Thread.sleep(300); // let it write for a while
        assertTrue(p.isAlive(), "child finished before the kill: make the input larger");
        return p;
    }

    String readStderr() {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    Path bigInput() throws IOException {
        return Files.write(dir.resolve("big.txt"), CliTest.sample(2 << 20, 99));
    }

    @Test
    void sigtermMidWriteLeavesNeitherOutputNorTemp() throws Exception {
        Path in = bigInput();
        Path out = dir.resolve("big.txt.slow");
        Process p = startSlowCompress(in, out);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        assertFalse(Files.exists(out), "no output after SIGTERM");
        assertEquals(List.of(), temps(), "temp file deleted by the shutdown hook");
        assertTrue(Files.exists(in), "source untouched");
    }

    @Test
    void sigintMidWriteLeavesNeitherOutputNorTemp() throws Exception {
        Path in = bigInput();
        Path out = dir.resolve("big.txt.slow");
        Process p = startSlowCompress(in, out);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
        assertEquals(0, kill.waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue());
        assertFalse(Files.exists(out));
        assertEquals(List.of(), temps());
    }

    /** After SIGKILL nothing runs: the final name never exists, but a stale hidden temp file may remain. */
    @Test
    void sigkillMidWriteNeverLeavesTheFinalName() throws Exception {
        Path in = bigInput();
        Path out = dir.resolve("big.txt.slow");
        Process p = startSlowCompress(in, out);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(out), "the final name only appears through the atomic rename");
        for (Path t : temps()) {
            assertTrue(t.getFileName().toString().matches("\\.big\\.txt\\.slow\\.[0-9a-f]{8}\\.occam-tmp"), t.toString());
        }
    }

    /** An uninterrupted child run of the same command does produce the output (the kill tests are not vacuous). */
    @Test
    void childProcessCompressesWhenLeftAlone() throws Exception {
        Path in = Files.write(dir.resolve("small.txt"), CliTest.sample(50_000, 5));
        Process p = occam(List.of(), "compress", "--codec", "testslow", in.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals("", output);
        Path z = dir.resolve("small.txt.slow");
        Cli.Result d = Cli.run(Files.readAllBytes(z), "decompress");
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(Files.readAllBytes(in), d.stdout());
        assertEquals(List.of(), temps());
    }

    // ---- 512 MiB through pipes with -Xmx64m ----

    static final long BIG = 512L << 20;

    /** Deterministic text-like bytes: words from a fixed 64-word vocabulary picked by xorshift64. */
    static final class Generator {
        private final byte[][] words = new byte[64][];
        private long s = 0x9E3779B97F4A7C15L;
        private byte[] pending = new byte[0];
        private int pendingPos;

        Generator() {
            for (int i = 0; i < words.length; i++) {
                int len = 2 + (int) (next() % 9);
                byte[] w = new byte[len + 1];
                for (int j = 0; j < len; j++) w[j] = (byte) ('a' + next() % 26);
                w[len] = (byte) (i % 13 == 0 ? '\n' : ' ');
                words[i] = w;
            }
        }

        private long next() {
            s ^= s << 13;
            s ^= s >>> 7;
            s ^= s << 17;
            return s >>> 1;
        }

        void fill(byte[] buf, int len) {
            int i = 0;
            while (i < len) {
                if (pendingPos == pending.length) {
                    pending = words[(int) (next() & 63)];
                    pendingPos = 0;
                }
                int n = Math.min(len - i, pending.length - pendingPos);
                System.arraycopy(pending, pendingPos, buf, i, n);
                i += n;
                pendingPos += n;
            }
        }
    }

    void pipe512MiB(String codec) throws Exception {
        List<String> jvm = List.of("-Xmx64m", "-XX:+UseSerialGC");
        Path err1 = dir.resolve("compress.err");
        Path err2 = dir.resolve("decompress.err");
        Process c = occam(jvm, "compress", "--codec", codec, "-").redirectError(err1.toFile()).start();
        Process d = occam(jvm, "decompress", "-").redirectError(err2.toFile()).start();
        AtomicReference<byte[]> sentHash = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong compressed = new AtomicLong();
        Thread feeder = new Thread(() -> {
            try (OutputStream o = c.getOutputStream()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                Generator g = new Generator();
                byte[] buf = new byte[1 << 16];
                for (long done = 0; done < BIG; done += buf.length) {
                    g.fill(buf, buf.length);
                    md.update(buf);
                    o.write(buf);
                }
                sentHash.set(md.digest());
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "feeder");
        Thread middle = new Thread(() -> {
            try (InputStream i = c.getInputStream(); OutputStream o = d.getOutputStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = i.read(buf)) != -1; ) {
                    o.write(buf, 0, n);
                    compressed.addAndGet(n);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "middle");
        feeder.start();
        middle.start();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long received = 0;
        try (InputStream i = d.getInputStream()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = i.read(buf)) != -1; ) {
                md.update(buf, 0, n);
                received += n;
            }
        }
        feeder.join();
        middle.join();
        assertTrue(c.waitFor(60, TimeUnit.SECONDS) && d.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, c.exitValue(), () -> "compress: " + read(err1));
        assertEquals(0, d.exitValue(), () -> "decompress: " + read(err2));
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertEquals(BIG, received);
        assertArrayEquals(sentHash.get(), md.digest());
        assertTrue(compressed.get() < BIG / 2, "text-like data compresses: " + compressed.get());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void pipe512MiBUnder64MiBHeapWithO2() throws Exception {
        RealCodecs.require("o2");
        pipe512MiB("o2");
    }

    @Test
    void pipe512MiBUnder64MiBHeapWithZstd() throws Exception {
        RealCodecs.require("zstd");
        pipe512MiB("zstd");
    }

    /** The pipeline itself, with the test codec, so it runs before the real codecs are merged (smaller: 32 MiB). */
    @Test
    void pipelineWorksWithTestCodec() throws Exception {
        Process c = occam(List.of("-Xmx64m"), "compress", "--codec", "testxor", "-").start();
        Process d = occam(List.of("-Xmx64m"), "decompress", "-").start();
        byte[] data = CliTest.sample(3 << 20, 42);
        Thread feeder = new Thread(() -> {
            try (OutputStream o = c.getOutputStream()) {
                o.write(data);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread middle = new Thread(() -> {
            try (InputStream i = c.getInputStream(); OutputStream o = d.getOutputStream()) {
                i.transferTo(o);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        feeder.start();
        middle.start();
        byte[] back = d.getInputStream().readAllBytes();
        feeder.join();
        middle.join();
        assertTrue(c.waitFor(60, TimeUnit.SECONDS) && d.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, c.exitValue());
        assertEquals(0, d.exitValue());
        assertArrayEquals(data, back);
    }
}
