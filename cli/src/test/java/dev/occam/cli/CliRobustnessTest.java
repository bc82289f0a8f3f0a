package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inputs that are not regular files, failing sources, thread and block-size limits, multi-frame lists. */
class CliRobustnessTest {
    @TempDir
    Path dir;

    /** Makes a FIFO with mkfifo; skips the test with a message when mkfifo is not available. */
    Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return null;
        }
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        return f;
    }

    /** Writes data into the FIFO on a daemon thread (opening it blocks until a reader opens it). */
    static Thread feed(Path fifo, byte[] data) {
        Thread t = new Thread(() -> {
            try {
                Files.write(fifo, data);
            } catch (IOException e) {
                // the reader went away; the test's assertions report the problem
            }
        }, "fifo-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Unblocks a writer whose reader never opened the FIFO, so no thread is left hanging. */
    static void release(Path fifo, Thread writer) throws Exception {
        writer.join(2000);
        if (writer.isAlive()) {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                in.readAllBytes();
            }
            writer.join(10_000);
        }
    }

    @Test
    void compressesDecompressesAndListsFromFifos() throws Exception {
        byte[] data = CliTest.sample(300_000, 11);
        Path f = fifo("in.fifo");
        Thread w = feed(f, data);
        Cli.Result c = Cli.run("compress", "--codec", "testxor", "-c", f.toString());
        release(f, w);
        assertEquals(0, c.code(), c.toString());
        assertArrayEquals(CliTest.encode(data, 5), c.stdout());

        w = feed(f, c.stdout());
        Cli.Result d = Cli.run("decompress", "-c", f.toString());
        release(f, w);
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(data, d.stdout());

        w = feed(f, c.stdout());
        Cli.Result l = Cli.run("list", "--format", "csv", f.toString());
        release(f, w);
        assertEquals(0, l.code(), l.toString());
        assertEquals(String.valueOf(c.stdout().length), ReportsTest.csv(l.out().split("\n")[1]).get(6));
    }

    /** A source that yields {@code good} bytes of data, then fails like a dying pipe. */
    static InputStream failingAfter(byte[] data, int good) {
        return new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= good) throw new IOException("source failed after " + good + " bytes");
                if (pos == data.length) return -1;
                int n = Math.min(len, Math.min(good, data.length) - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Runs the CLI with {@code stdin} as standard input. */
    static Cli.Result runWithStdin(InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Env e = new Env(stdin, out, err, false, false, false, Map.of(), CodecRegistry.getDefault());
        int code = Occam.run(e, args);
        return new Cli.Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"o2", "gzip", "zstd"})
    void failedSourceNeverLeavesAValidStreamOfAPrefix(String codecName) throws Exception {
        Codec codec = RealCodecs.require(codecName);
        byte[] data = CliTest.sample(400_000, 12);
        Cli.Result r = runWithStdin(failingAfter(data, 200_000), "compress", "--codec", codecName, "-c");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("source failed after 200000 bytes"), r.stderr());
        IOException refused = assertThrows(IOException.class, () -> {
            try (InputStream z = codec.decompress(new ByteArrayInputStream(r.stdout()), CodecOptions.defaults())) {
                z.readAllBytes();
            }
        }, "the " + r.stdout().length + " bytes on stdout must not decode");
        assertTrue(refused.getMessage() != null, refused.toString());
        Cli.Result d = Cli.run(r.stdout(), "decompress");
        assertEquals(1, d.code(), "occam d must refuse the unfinished stream: " + d);

        // the same source without the failure still compresses (the gate passes everything through)
        Cli.Result ok = runWithStdin(failingAfter(data, Integer.MAX_VALUE), "compress", "--codec", codecName, "-c");
        assertEquals(0, ok.code(), ok.toString());
        assertArrayEquals(data, Cli.run(ok.stdout(), "decompress").stdout());
    }

    @Test
    void threadCountIsReducedToTheCores() throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        String warning = "occam: reduced -T 1000000 to " + cores + " (the number of cores)\n";
        byte[] data = CliTest.sample(5000, 13);
        Cli.Result c = Cli.run(data, "compress", "--codec", "testxor", "-T", "1000000");
        assertEquals(0, c.code(), c.toString());
        assertEquals(warning, c.stderr());
        assertArrayEquals(CliTest.encode(data, 5), c.stdout());
        Cli.Result quiet = Cli.run(data, "compress", "--codec", "testxor", "-T", "1000000", "-q");
        assertEquals("", quiet.stderr());
        assertEquals(0, quiet.code());
        Cli.Result d = Cli.run(c.stdout(), "decompress", "--threads", "1000000");
        assertEquals(warning, d.stderr());
        assertArrayEquals(data, d.stdout());
        assertEquals(warning, Cli.run(c.stdout(), "test", "-T", "1000000").stderr());
        assertEquals("", Cli.run(data, "compress", "--codec", "testxor", "-T", "0").stderr(), "0 = all cores, no warning");
        assertEquals("", Cli.run(data, "compress", "--codec", "testxor", "-T", String.valueOf(cores)).stderr());
        assertEquals(2, Cli.run(data, "compress", "--codec", "testxor", "-T", "-1").code());

        Path p = Files.write(dir.resolve("t.txt"), data);
        Cli.Result b = Cli.run("bench", "--codecs", "testxor", "--repeat", "1", "--format", "csv", "-T", "1000000",
                p.toString());
        assertEquals(0, b.code(), b.toString());
        assertEquals(warning, b.stderr());
        List<String> row = ReportsTest.csv(b.out().split("\n")[1]);
        assertEquals(String.valueOf(cores), row.get(row.size() - 1), "bench runs with the reduced count");
        assertEquals(2, Cli.run("bench", "--codecs", "testxor", "-T", "-1", p.toString()).code());
    }

    @Test
    void listReadsEveryConcatenatedFrameAndRefusesTrailingGarbage() throws IOException {
        RealCodecs.require("o2");
        byte[] data = CliTest.sample(70_000, 14);
        Path src = Files.write(dir.resolve("a.txt"), data);
        Cli.Result c = Cli.run("compress", "--codec", "o2", "--block-size", "32k", "-q", src.toString());
        assertEquals(0, c.code(), c.toString());
        byte[] one = Files.readAllBytes(dir.resolve("a.txt.occ"));
        List<String> single = ReportsTest.csv(Cli.run("list", "--format", "csv", dir.resolve("a.txt.occ").toString())
                .out().split("\n")[1]);
        assertEquals("3", single.get(5), "70000 bytes in 32 KiB blocks");

        byte[] two = new byte[2 * one.length];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        Path cc = Files.write(dir.resolve("cc.occ"), two);
        Cli.Result l = Cli.run("list", "--format", "csv", cc.toString());
        assertEquals(0, l.code(), l.toString());
        List<String> row = ReportsTest.csv(l.out().split("\n")[1]);
        assertEquals("occ v1 (2 frames)", row.get(1));
        assertEquals(single.get(2), row.get(2), "same codec in both frames");
        assertEquals("6", row.get(5));
        assertEquals(String.valueOf(two.length), row.get(6));
        assertEquals(String.valueOf(2 * data.length), row.get(7));

        byte[] bad = java.util.Arrays.copyOf(two, two.length + 7);
        System.arraycopy("garbage".getBytes(StandardCharsets.US_ASCII), 0, bad, two.length, 7);
        Path withGarbage = Files.write(dir.resolve("cg.occ"), bad);
        Cli.Result g = Cli.run("list", withGarbage.toString());
        assertEquals(1, g.code(), g.toString());
        assertTrue(g.stderr().startsWith("occam: " + withGarbage + ": corrupt input: "), g.stderr());
        assertTrue(g.stderr().contains("(at byte offset " + two.length + ")"), g.stderr());
        assertEquals(1, Cli.run("test", withGarbage.toString()).code(), "test agrees");
    }

    @Test
    void blockSizeAboveTheFrameLimitIsAUsageErrorBeforeAnythingIsCreated() throws IOException {
        RealCodecs.require("o2");
        Path src = Files.write(dir.resolve("b.txt"), CliTest.sample(1000, 15));
        Cli.Result r = Cli.run("compress", "--codec", "o2", "--block-size", "100M", src.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.stderr().startsWith("occam: --block-size 104857600 is above the .occ maximum of 64M"), r.stderr());
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("b.txt"), s.map(p -> p.getFileName().toString()).toList(), "nothing created");
        }
        assertEquals(2, Cli.run("bench", "--codecs", "o2", "--block-size", "100M", src.toString()).code());
        Cli.Result max = Cli.run("compress", "--codec", "o2", "--block-size", "64M", "-c", src.toString());
        assertEquals(0, max.code(), "64M is the limit itself: " + max);

        Cli.Result gz = Cli.run("compress", "--codec", "gzip", "--block-size", "1M", "-c", src.toString());
        assertEquals(0, gz.code(), gz.toString());
        assertEquals("occam: --block-size applies only to .occ codecs\n", gz.stderr());
        assertEquals("", Cli.run("compress", "--codec", "gzip", "--block-size", "1M", "-c", "-q", src.toString()).stderr());
        assertEquals("", Cli.run("compress", "--codec", "o2", "--block-size", "1M", "-c", src.toString()).stderr());
    }

    @Test
    void lengthOfARegularFileIsRecordedAndListed() throws IOException {
        RealCodecs.require("o2");
        byte[] data = CliTest.sample(50_000, 16);
        Path src = Files.write(dir.resolve("k.txt"), data);
        assertEquals(0, Cli.run("compress", "--codec", "o2", src.toString()).code());
        List<String> row = ReportsTest.csv(Cli.run("list", "--format", "csv", dir.resolve("k.txt.occ").toString())
                .out().split("\n")[1]);
        assertEquals(String.valueOf(data.length), row.get(9), "original length from the header: " + row);

        Cli.Result piped = Cli.run(data, "compress", "--codec", "o2");
        Path fromStdin = Files.write(dir.resolve("p.occ"), piped.stdout());
        List<String> prow = ReportsTest.csv(Cli.run("list", "--format", "csv", fromStdin.toString()).out().split("\n")[1]);
        assertEquals("", prow.get(9), "unknown length from stdin: " + prow);
        assertEquals(String.valueOf(data.length), prow.get(7));

        Path proc = Path.of("/proc/self/status"); // a "regular" file whose reported size (0) is not its length
        if (Files.isRegularFile(proc) && Files.size(proc) == 0) {
            Cli.Result c = Cli.run("compress", "--codec", "o2", "-c", proc.toString());
            assertEquals(0, c.code(), c.toString());
            assertTrue(Cli.run(c.stdout(), "decompress").stdout().length > 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {+100_000, -200_000})
    void fileThatChangesSizeWhileBeingCompressedFails(int change) throws IOException {
        byte[] data = CliTest.sample(300_000, 17);
        Path src = Files.write(dir.resolve("g.txt"), data);
        TestXorCodec.onNextChunk = () -> {
            try {
                if (change > 0) Files.write(src, new byte[change], java.nio.file.StandardOpenOption.APPEND);
                else try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(src,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(data.length + change);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try {
            Cli.Result r = Cli.run("compress", "--codec", "testxor", src.toString());
            assertEquals(1, r.code(), r.toString());
            assertEquals("occam: " + src + ": changed size while being compressed (it had 300000 bytes when opened)\n",
                    r.stderr());
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of("g.txt"), s.map(p -> p.getFileName().toString()).toList(), "no output left");
            }
            Cli.Result c = Cli.run("compress", "--codec", "testxor", "-c", src.toString());
            assertEquals(0, c.code(), "unchanged now: " + c);
            assertEquals(data.length + change, CliTest.decode(c.stdout()).length);
        } finally {
            TestXorCodec.onNextChunk = null;
        }
    }

    @Test
    void benchTableShowsADashForAnEmptyFilesBitsPerByte() throws IOException {
        Path e = Files.write(dir.resolve("empty"), new byte[0]);
        Cli.Result t = Cli.run("bench", "--codecs", "testxor", "--repeat", "1", e.toString());
        assertEquals(0, t.code(), t.toString());
        String line = t.out().split("\n")[2];
        assertTrue(!line.contains("NaN") && !line.contains("Infinity"), line);
        int compressed = CliTest.encode(new byte[0], 5).length;
        assertTrue(line.matches("testxor +5 # " + java.util.regex.Pattern.quote(e.toString()) + " +: +0 -> +" + compressed
                + " \\(x0\\.000, - bpb\\), +[-0-9.]+ MB/s, +[-0-9.]+ MB/s"), line);
    }
}
