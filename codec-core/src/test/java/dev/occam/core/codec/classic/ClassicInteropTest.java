package dev.occam.core.codec.classic;

import static dev.occam.core.codec.classic.ClassicTesting.codec;
import static dev.occam.core.codec.classic.ClassicTesting.compress;
import static dev.occam.core.codec.classic.ClassicTesting.decompress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interoperability with the reference command-line tools (skipped, with a message, when a tool is
 * not installed) and, for zlib, with java.util.zip.
 */
class ClassicInteropTest {
    @TempDir
    Path tmp;

    /** codec name, tool, tool's compress flags, tool's decompress flags. */
    static Stream<Arguments> tools() {
        return Stream.of(
                Arguments.of("gzip", "gzip", List.of("-c", "-n"), List.of("-d", "-c")),
                Arguments.of("gzip", "gzip", List.of("-c", "-9"), List.of("-d", "-c")),
                Arguments.of("bzip2", "bzip2", List.of("-c"), List.of("-d", "-c")),
                Arguments.of("bzip2", "bzip2", List.of("-c", "-1"), List.of("-d", "-c")),
                Arguments.of("xz", "xz", List.of("-c"), List.of("-d", "-c")),
                Arguments.of("xz", "xz", List.of("-c", "-0", "--check=sha256"), List.of("-d", "-c")),
                Arguments.of("xz", "xz", List.of("-c", "-e", "-1", "--check=none"), List.of("-d", "-c")),
                Arguments.of("zstd", "zstd", List.of("-c", "-q"), List.of("-d", "-c", "-q")),
                Arguments.of("zstd", "zstd", List.of("-c", "-q", "-19", "--no-check"), List.of("-d", "-c", "-q")),
                Arguments.of("zstd", "zstd", List.of("-c", "-q", "--fast=3", "-T2"), List.of("-d", "-c", "-q")),
                Arguments.of("lz4", "lz4", List.of("-c", "-q"), List.of("-d", "-c", "-q")),
                Arguments.of("lz4", "lz4", List.of("-c", "-q", "-9", "--content-size", "-BX"), List.of("-d", "-c", "-q")),
                Arguments.of("lz4", "lz4", List.of("-c", "-q", "-B4", "--no-frame-crc"), List.of("-d", "-c", "-q")));
    }

    static byte[] sample() {
        // words and noise over several hundred KB: several bzip2 blocks at -1, several lz4 64 KB blocks
        return ClassicRoundTripTest.concat(ClassicTesting.words(31, 400_000), ClassicTesting.random(32, 100_000));
    }

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("tools")
    void weDecodeTheToolsOutput(String name, String tool, List<String> packFlags, List<String> unpackFlags) throws Exception {
        Path exe = requireTool(tool);
        Codec c = codec(name);
        for (byte[] data : List.of(sample(), new byte[0], new byte[] {7})) {
            Path in = tmp.resolve("in");
            Files.write(in, data);
            byte[] packed = run(exe, packFlags, in);
            assertTrue(c.matches(packed, packed.length), tool + " output detected as " + name);
            assertArrayEquals(data, decompress(c, packed), tool + " " + packFlags + " on " + data.length + " bytes");
        }
    }

    @ParameterizedTest(name = "{0}: {1} {3}")
    @MethodSource("tools")
    void theToolDecodesOurOutput(String name, String tool, List<String> packFlags, List<String> unpackFlags) throws Exception {
        Path exe = requireTool(tool);
        Codec c = codec(name);
        for (int level : new int[] {c.minLevel(), c.defaultLevel()}) {
            for (byte[] data : List.of(sample(), new byte[0], new byte[] {7})) {
                Path packed = tmp.resolve("packed");
                Files.write(packed, compress(c, data, CodecOptions.defaults().withLevel(level)));
                assertArrayEquals(data, run(exe, unpackFlags, packed), tool + " decoding our level " + level + " on " + data.length + " bytes");
            }
        }
    }

    @Test
    void zstdToolDecodesOurMultiThreadedFrames() throws Exception {
        Path exe = requireTool("zstd");
        byte[] data = ClassicTesting.words(33, 3 << 20);
        Path packed = tmp.resolve("mt.zst");
        Files.write(packed, compress(codec("zstd"), data, CodecOptions.defaults().withThreads(2).withLevel(5)));
        assertArrayEquals(data, run(exe, List.of("-d", "-c", "-q"), packed));
        // the tool checks the content checksum we asked for: corrupting a byte of the last block must fail it
        byte[] bad = Files.readAllBytes(packed);
        bad[bad.length - 10] ^= 0x20;
        Files.write(packed, bad);
        assertTrue(exitCode(exe, List.of("-d", "-c", "-q"), packed) != 0, "zstd accepted a corrupted frame");
    }

    @Test
    void lz4ToolSeesOurContentChecksum() throws Exception {
        Path exe = requireTool("lz4");
        byte[] data = ClassicTesting.words(34, 50_000);
        byte[] packed = compress(codec("lz4"), data);
        // FLG byte (offset 4): version 01, block independence (0x20), content checksum (0x04)
        assertEquals(0x64, packed[4] & 0xFF);
        Path f = tmp.resolve("ours.lz4");
        Files.write(f, packed);
        assertArrayEquals(data, run(exe, List.of("-d", "-c", "-q"), f));
    }

    @Test
    void lz4LinkedBlocksAreRefusedAsUnsupported() throws Exception {
        Path exe = requireTool("lz4");
        Path in = tmp.resolve("in");
        Files.write(in, ClassicTesting.words(35, 300_000));
        byte[] linked = run(exe, List.of("-c", "-q", "-B4", "-BD"), in); // 64 KB blocks that reference earlier ones
        dev.occam.core.CorruptInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.occam.core.CorruptInputException.class, () -> decompress(codec("lz4"), linked));
        assertTrue(e.reason().startsWith("lz4: unsupported stream"), e.reason());
    }

    @Test
    void zlibInteropWithJavaUtilZip() throws IOException {
        Codec c = codec("deflate");
        byte[] data = sample();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bos)) {
            out.write(data);
        }
        assertArrayEquals(data, decompress(c, bos.toByteArray()), "java.util.zip zlib stream");
        byte[] ours = compress(c, data);
        try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(ours))) {
            assertArrayEquals(data, in.readAllBytes(), "our zlib stream through java.util.zip");
        }
    }

    @Test
    void zlibInteropWithPython() throws Exception {
        Path py = requireTool("python3");
        Codec c = codec("deflate");
        byte[] data = sample();
        Path in = tmp.resolve("raw");
        Files.write(in, data);
        byte[] theirs = run(py, List.of("-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 9))"), in);
        assertArrayEquals(data, decompress(c, theirs), "python zlib.compress output");
        Path ours = tmp.resolve("ours.zz");
        Files.write(ours, compress(c, data));
        assertArrayEquals(data, run(py, List.of("-c", "import sys,zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))"), ours));
    }

    /** The tool on PATH, or skips the test. */
    static Path requireTool(String tool) {
        Path found = null;
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, tool);
                if (Files.isExecutable(p)) {
                    found = p;
                    break;
                }
            }
        }
        assumeTrue(found != null, "skipped: " + tool + " is not installed");
        return found;
    }

    /** Runs {@code exe flags < input} and returns stdout; fails on a non-zero exit. */
    byte[] run(Path exe, List<String> flags, Path input) throws Exception {
        Path out = Files.createTempFile(tmp, "out", null);
        Path err = Files.createTempFile(tmp, "err", null);
        int rc = start(exe, flags, input, out, err);
        assertEquals(0, rc, exe.getFileName() + " " + flags + ": " + Files.readString(err));
        return Files.readAllBytes(out);
    }

    int exitCode(Path exe, List<String> flags, Path input) throws Exception {
        return start(exe, flags, input, Files.createTempFile(tmp, "out", null), Files.createTempFile(tmp, "err", null));
    }

    private static int start(Path exe, List<String> flags, Path input, Path out, Path err) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(flags);
        Process p = new ProcessBuilder(cmd).redirectInput(input.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish");
        }
        return p.exitValue();
    }
}
