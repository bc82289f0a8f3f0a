package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-handling contract of compress / decompress / test, using the test-only codecs. */
class CliTest {
    @TempDir
    Path dir;

    static final TestXorCodec XOR = new TestXorCodec();

    static byte[] sample(int n, long seed) {
        byte[] b = new byte[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) b[i] = (byte) ("abcdefgh \n".charAt(r.nextInt(10)));
        return b;
    }

    /** The testxor encoding of data at a level, made through the codec API (not the CLI). */
    static byte[] encode(byte[] data, int level) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream z = XOR.compress(bos, CodecOptions.defaults().withLevel(level))) {
            z.write(data);
        }
        return bos.toByteArray();
    }

    static byte[] decode(byte[] data) throws IOException {
        try (InputStream z = XOR.decompress(new ByteArrayInputStream(data), CodecOptions.defaults())) {
            return z.readAllBytes();
        }
    }

    Path write(String name, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), data);
    }

    List<String> tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".occam-tmp")).toList();
        }
    }

    static void assertNoStackTrace(String stderr) {
        assertFalse(stderr.contains("\tat "), "stack trace in stderr: " + stderr);
        assertFalse(stderr.contains("Exception"), "exception class in stderr: " + stderr);
    }

    @Test
    void stdinToStdoutRoundTrip() throws IOException {
        byte[] data = sample(10_000, 1);
        Cli.Result c = Cli.run(data, "compress", "--codec", "testxor");
        assertEquals(0, c.code(), c.toString());
        assertArrayEquals(encode(data, 5), c.stdout());
        assertEquals("", c.stderr());
        Cli.Result d = Cli.run(c.stdout(), "decompress");
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(data, d.stdout());
        Cli.Result d2 = Cli.run(c.stdout(), "d", "-");
        assertArrayEquals(data, d2.stdout());
    }

    @Test
    void emptyInputRoundTrip() throws IOException {
        Cli.Result c = Cli.run(new byte[0], "c", "--codec", "testxor");
        assertEquals(0, c.code(), c.toString());
        assertArrayEquals(encode(new byte[0], 5), c.stdout());
        Cli.Result d = Cli.run(c.stdout(), "d");
        assertEquals(0, d.code(), d.toString());
        assertEquals(0, d.stdout().length);
    }

    @Test
    void fileRoundTripNamesKeepsSourceAndCopiesMtime() throws IOException {
        byte[] data = sample(70_000, 2);
        Path src = write("alice.txt", data);
        FileTime mtime = FileTime.fromMillis(1_500_000_000_000L);
        Files.setLastModifiedTime(src, mtime);
        Cli.Result c = Cli.run("compress", "--codec", "testxor", "-v", src.toString());
        assertEquals(0, c.code(), c.toString());
        Path out = dir.resolve("alice.txt.txr");
        assertArrayEquals(encode(data, 5), Files.readAllBytes(out));
        assertTrue(Files.exists(src), "source kept by default");
        assertEquals(mtime, Files.getLastModifiedTime(out));
        long size = Files.size(out);
        String pct = String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * size / data.length);
        assertEquals(src + " : " + pct + " (" + data.length + " => " + size + " bytes, " + out + ")\n", c.stderr());
        assertEquals(0, c.stdout().length, "nothing on stdout");

        Files.delete(src);
        Cli.Result d = Cli.run("decompress", out.toString());
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(data, Files.readAllBytes(src));
        assertTrue(Files.exists(out));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void levelOptionAndNumericShortcut() throws IOException {
        byte[] data = sample(100, 3);
        assertArrayEquals(encode(data, 7), Cli.run(data, "c", "--codec", "testxor", "-7").stdout());
        assertArrayEquals(encode(data, 2), Cli.run(data, "c", "--codec=testxor", "-l", "2").stdout());
        assertArrayEquals(encode(data, 9), Cli.run(data, "c", "--codec", "txr", "--level=9").stdout());
        // "-T 2" keeps its value; a trailing "-3" is the level
        assertArrayEquals(encode(data, 3), Cli.run(data, "c", "-T", "2", "--codec", "testxor", "-3").stdout());
        assertEquals(2, Cli.run(data, "c", "--codec", "testxor", "-10").code());
        assertEquals(2, Cli.run(data, "c", "--codec", "testxor", "-l", "0").code());
        assertEquals(2, Cli.run(data, "c", "--codec", "testnomagic", "-l", "3").code());
    }

    @Test
    void usageErrorsExitTwo() {
        Cli.Result r = Cli.run(new byte[1], "compress", "--codec", "nosuchcodec");
        assertEquals(2, r.code());
        assertTrue(r.stderr().startsWith("occam: unknown codec 'nosuchcodec'"), r.stderr());
        assertEquals(0, r.stdout().length);
        assertEquals(2, Cli.run("compress", "--no-such-option").code());
        assertEquals(2, Cli.run("frobnicate").code());
        assertEquals(2, Cli.run().code());
        assertEquals(2, Cli.run("compress", "--codec", "testdeconly").code());
        assertEquals(2, Cli.run("decompress", "--format", "nosuch").code());
        assertEquals(2, Cli.run("compress", "--codec", "testxor", "-T", "x").code());
        assertEquals(2, Cli.run("compress", "--codec", "testxor", "--block-size", "12q").code());
        assertEquals(2, Cli.run("compress", "--codec", "testxor", "-o", "a", "b", "c").code());
        assertEquals(2, Cli.run("compress", "--codec", "testxor", "-o", "a", "-c", "b").code());
        Cli.Result bad = Cli.run("compress", "--bogus");
        assertTrue(bad.stderr().contains("Try 'occam compress --help'"), bad.stderr());
        assertNoStackTrace(bad.stderr());
    }

    @Test
    void helpAndVersionGoToStdout() {
        Cli.Result h = Cli.run("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("compress"), h.out());
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().matches("(?s)occam \\d+\\.\\d+\\.\\d+.*"), v.out());
        Cli.Result ch = Cli.run("compress", "--help");
        assertEquals(0, ch.code());
        assertTrue(ch.out().contains("--codec"), ch.out());
    }

    @Test
    void missingFileExitsOne() {
        Cli.Result r = Cli.run("compress", "--codec", "testxor", dir.resolve("nope.txt").toString());
        assertEquals(1, r.code());
        assertEquals("occam: " + dir.resolve("nope.txt") + ": No such file or directory\n", r.stderr());
    }

    @Test
    void refusesOverwriteWithoutForce() throws IOException {
        Path src = write("a.txt", sample(1000, 4));
        Path out = write("a.txt.txr", "precious".getBytes(StandardCharsets.UTF_8));
        Cli.Result r = Cli.run("compress", "--codec", "testxor", src.toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().contains("already exists; use -f"), r.stderr());
        assertEquals("precious", Files.readString(out));
        Cli.Result f = Cli.run("compress", "--codec", "testxor", "-f", src.toString());
        assertEquals(0, f.code(), f.toString());
        assertArrayEquals(encode(Files.readAllBytes(src), 5), Files.readAllBytes(out));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void refusesOutputEqualToInput() throws IOException {
        byte[] data = sample(1000, 5);
        Path z = write("b.txr", encode(data, 5));
        for (String[] args : new String[][] {
                {"decompress", z.toString(), "-o", z.toString()},
                {"decompress", "-f", z.toString(), "-o", z.toString()},
                {"decompress", "-f", z.toString(), "-o", dir.resolve(".").resolve("b.txr").toString()}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.stderr().contains("would overwrite the input"), r.stderr());
            assertArrayEquals(encode(data, 5), Files.readAllBytes(z));
        }
        Path link = dir.resolve("hard.txr");
        Files.createLink(link, z);
        Cli.Result r = Cli.run("decompress", "-f", z.toString(), "-o", link.toString());
        assertEquals(1, r.code(), r.toString());
        assertArrayEquals(encode(data, 5), Files.readAllBytes(z));
    }

    @Test
    void rmRemovesSourceOnlyAfterSuccess() throws IOException {
        byte[] data = sample(5000, 6);
        Path src = write("c.txt", data);
        Cli.Result r = Cli.run("compress", "--codec", "testxor", "--rm", src.toString());
        assertEquals(0, r.code(), r.toString());
        assertFalse(Files.exists(src));
        Path z = dir.resolve("c.txt.txr");
        assertArrayEquals(encode(data, 5), Files.readAllBytes(z));
        Cli.Result d = Cli.run("decompress", "--rm", z.toString());
        assertEquals(0, d.code(), d.toString());
        assertFalse(Files.exists(z));
        assertArrayEquals(data, Files.readAllBytes(src));

        // failure: corrupt input keeps the source and leaves no output
        byte[] bad = encode(data, 5);
        bad[bad.length - 13] ^= 0x55; // inside the CRC32 trailer
        Path badZ = write("bad.txt.txr", bad);
        Cli.Result f = Cli.run("decompress", "--rm", badZ.toString());
        assertEquals(1, f.code());
        assertTrue(Files.exists(badZ));
        assertFalse(Files.exists(dir.resolve("bad.txt")));
        assertEquals(List.of(), tempFiles());

        // failure: refused overwrite keeps the source
        Path d2 = write("e.txt", data);
        write("e.txt.txr", new byte[] {1});
        assertEquals(1, Cli.run("compress", "--codec", "testxor", "--rm", d2.toString()).code());
        assertTrue(Files.exists(d2));
        assertEquals(2, Cli.run("compress", "--codec", "testxor", "--rm", "-k", d2.toString()).code());
    }

    @Test
    void corruptInputReportsFileAndOffsetAndLeavesNothing() throws IOException {
        byte[] data = sample(9000, 7);
        byte[] good = encode(data, 5);
        // flip one data byte: the CRC32 check fails where the trailer starts
        byte[] flipped = good.clone();
        flipped[100] ^= 1;
        long crcAt = good.length - 12;
        Path f = write("flip.txt.txr", flipped);
        Cli.Result r = Cli.run("decompress", f.toString());
        assertEquals(1, r.code());
        assertEquals("occam: " + f + ": corrupt input: CRC32 mismatch (at byte offset " + crcAt + ")\n", r.stderr());
        assertFalse(Files.exists(dir.resolve("flip.txt")));
        assertEquals(List.of(), tempFiles());
        assertNoStackTrace(r.stderr());

        // truncation: the offset is where the input ended
        Path t = write("trunc.txt.txr", java.util.Arrays.copyOf(good, 3000));
        Cli.Result tr = Cli.run("decompress", t.toString());
        assertEquals(1, tr.code());
        assertEquals("occam: " + t + ": corrupt input: truncated input (at byte offset 3000)\n", tr.stderr());
        assertFalse(Files.exists(dir.resolve("trunc.txt")));
        assertEquals(List.of(), tempFiles());

        // not a compressed file at all
        Path n = write("plain.txr", "hello".getBytes(StandardCharsets.UTF_8));
        Cli.Result nr = Cli.run("decompress", n.toString());
        assertEquals(1, nr.code());
        assertTrue(nr.stderr().startsWith("occam: " + n + ": corrupt input: not in a known compressed format"), nr.stderr());
        assertTrue(nr.stderr().contains("(at byte offset 0)"), nr.stderr());

        // stdin: name "stdin"; what was decoded may already be on stdout, the exit code says it failed
        Cli.Result sr = Cli.run(flipped, "decompress");
        assertEquals(1, sr.code());
        assertTrue(sr.stderr().startsWith("occam: stdin: corrupt input: CRC32 mismatch"), sr.stderr());
    }

    @Test
    void debugEnvPrintsStackTraceOnlyWhenSet() throws IOException {
        byte[] bad = encode(sample(100, 8), 5);
        bad[bad.length - 1] ^= 1;
        Cli.Result quiet = Cli.run(bad, false, false, Map.of(), "decompress");
        assertNoStackTrace(quiet.stderr());
        Cli.Result debug = Cli.run(bad, false, false, Map.of("OCCAM_DEBUG", "1"), "decompress");
        assertEquals(1, debug.code());
        assertTrue(debug.stderr().contains("CorruptInputException"), debug.stderr());
        assertTrue(debug.stderr().contains("\tat "), debug.stderr());
    }

    @Test
    void severalFilesOneBadOthersDone() throws IOException {
        byte[] a = sample(3000, 9);
        byte[] b = sample(4000, 10);
        Path pa = write("a.txr", encode(a, 5));
        Path pbad = write("bad.txr", "garbage!".getBytes(StandardCharsets.UTF_8));
        Path pb = write("b.txr", encode(b, 5));
        Cli.Result r = Cli.run("decompress", pa.toString(), pbad.toString(), pb.toString(),
                dir.resolve("missing.txr").toString());
        assertEquals(1, r.code());
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("a")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("b")));
        assertFalse(Files.exists(dir.resolve("bad")));
        String[] lines = r.stderr().split("\n");
        assertEquals(2, lines.length, r.stderr());
        assertTrue(lines[0].startsWith("occam: " + pbad + ": "), lines[0]);
        assertTrue(lines[1].startsWith("occam: " + dir.resolve("missing.txr") + ": No such file"), lines[1]);
    }

    @Test
    void stdoutOptionConcatenatesAndKeeps() throws IOException {
        byte[] a = sample(300, 11);
        byte[] b = sample(500, 12);
        Path pa = write("x1", a);
        Path pb = write("x2", b);
        Cli.Result r = Cli.run("compress", "--codec", "testxor", "-c", "--rm", pa.toString(), pb.toString());
        assertEquals(0, r.code(), r.toString());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(encode(a, 5));
        expected.write(encode(b, 5));
        assertArrayEquals(expected.toByteArray(), r.stdout());
        assertTrue(Files.exists(pa) && Files.exists(pb), "--rm ignored with -c");
        assertFalse(Files.exists(dir.resolve("x1.txr")));
    }

    @Test
    void outputOptionAndUnknownSuffix() throws IOException {
        byte[] data = sample(2000, 13);
        Path z = write("data.bin", encode(data, 5));
        Cli.Result r = Cli.run("decompress", z.toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().contains("unknown suffix"), r.stderr());
        Path out = dir.resolve("restored");
        assertEquals(0, Cli.run("decompress", z.toString(), "-o", out.toString()).code());
        assertArrayEquals(data, Files.readAllBytes(out));
        Cli.Result c = Cli.run("decompress", "-c", z.toString());
        assertEquals(0, c.code());
        assertArrayEquals(data, c.stdout());
        // stdin to a named output
        Path o2 = dir.resolve("from-stdin.txr");
        assertEquals(0, Cli.run(data, "compress", "--codec", "testxor", "-o", o2.toString()).code());
        assertArrayEquals(encode(data, 5), Files.readAllBytes(o2));
        // an input that already has the suffix is left alone unless -f
        Cli.Result again = Cli.run("compress", "--codec", "testxor", o2.toString());
        assertEquals(1, again.code());
        assertTrue(again.stderr().contains("already has .txr suffix"), again.stderr());
        assertEquals(0, Cli.run("compress", "--codec", "testxor", "-f", o2.toString()).code());
        assertArrayEquals(encode(encode(data, 5), 5), Files.readAllBytes(dir.resolve("from-stdin.txr.txr")));
    }

    @Test
    void tarSuffixes() throws IOException {
        byte[] data = sample(100, 14);
        Path z = write("x.tgz", encode(data, 5));
        assertEquals(0, Cli.run("decompress", z.toString()).code());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("x.tar")));
    }

    @Test
    void terminalsRefusedAsCompressedSideUnlessForced() throws IOException {
        byte[] data = sample(100, 15);
        Cli.Result r = Cli.run(data, false, true, Map.of(), "compress", "--codec", "testxor");
        assertEquals(1, r.code());
        assertEquals(0, r.stdout().length);
        assertTrue(r.stderr().contains("not written to a terminal"), r.stderr());
        Cli.Result f = Cli.run(data, false, true, Map.of(), "compress", "--codec", "testxor", "-f");
        assertEquals(0, f.code());
        assertArrayEquals(encode(data, 5), f.stdout());
        // decompressed data may go to a terminal; compressed data may not come from one
        assertEquals(0, Cli.run(encode(data, 5), false, true, Map.of(), "decompress").code());
        Cli.Result in = Cli.run(encode(data, 5), true, false, Map.of(), "decompress");
        assertEquals(1, in.code());
        assertTrue(in.stderr().contains("not read from a terminal"), in.stderr());
        assertEquals(0, Cli.run(encode(data, 5), true, false, Map.of(), "decompress", "-f").code());
        assertEquals(1, Cli.run(encode(data, 5), true, false, Map.of(), "test").code());
        // raw data from a terminal into a file is fine
        assertEquals(0, Cli.run(data, true, false, Map.of(), "compress", "--codec", "testxor", "-o",
                dir.resolve("t.txr").toString()).code());
    }

    @Test
    void formatOptionForFormatsWithoutMagic() throws IOException {
        byte[] data = sample(500, 16);
        Cli.Result c = Cli.run(data, "compress", "--codec", "testnomagic");
        assertEquals(0, c.code(), c.toString());
        assertEquals(1, Cli.run(c.stdout(), "decompress").code());
        Cli.Result d = Cli.run(c.stdout(), "decompress", "--format", "testnomagic");
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(data, d.stdout());
    }

    @Test
    void testCommandVerifiesWithoutWriting() throws IOException {
        byte[] data = sample(5000, 17);
        Path good = write("g.txr", encode(data, 5));
        byte[] badBytes = encode(data, 5);
        badBytes[50] ^= 4;
        Path bad = write("h.txr", badBytes);
        Cli.Result ok = Cli.run("test", good.toString());
        assertEquals(0, ok.code(), ok.toString());
        assertEquals("", ok.stderr());
        assertEquals(0, ok.stdout().length);
        Cli.Result v = Cli.run("t", "-v", good.toString());
        assertTrue(v.stderr().contains("(" + Files.size(good) + " => 5000 bytes, OK)"), v.stderr());
        Cli.Result r = Cli.run("test", good.toString(), bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().startsWith("occam: " + bad + ": corrupt input: CRC32 mismatch (at byte offset "), r.stderr());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "test writes no files");
        }
    }

    @Test
    void directoryInputIsAFailure() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Cli.Result r = Cli.run("compress", "--codec", "testxor", sub.toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().contains("is a directory"), r.stderr());
    }

    @Test
    void devicesAreWrittenInPlaceNeverReplaced() throws IOException {
        Path devNull = Path.of("/dev/null");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull),
                "skipped: no /dev/null device here");
        byte[] data = sample(20_000, 18);
        Path z = write("n.txr", encode(data, 5));
        Cli.Result r = Cli.run("decompress", "--rm", z.toString(), "-o", "/dev/null");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("--rm ignored"), r.stderr());
        assertTrue(Files.exists(z), "source kept: /dev/null is not a real output");
        assertFalse(Files.isRegularFile(devNull), "/dev/null is still a device");
        assertEquals(0, Cli.run("compress", "--codec", "testxor", z.toString(), "-o", "/dev/null").code());
        // corrupt input into a device still fails
        byte[] bad = encode(data, 5);
        bad[bad.length - 1] ^= 1;
        assertEquals(1, Cli.run("decompress", write("m.txr", bad).toString(), "-o", "/dev/null").code());
        assertFalse(Files.isRegularFile(devNull));
    }

    @Test
    void outputIntoMissingDirectoryFails() throws IOException {
        Path src = write("q.txt", sample(100, 19));
        Path out = dir.resolve("no/such/dir/q.txr");
        Cli.Result r = Cli.run("compress", "--codec", "testxor", src.toString(), "-o", out.toString());
        assertEquals(1, r.code());
        assertEquals("occam: " + src + ": no such directory for " + out + "\n", r.stderr());
        assertTrue(Files.exists(src));
    }

    @Test
    void modelOptionsAreCheckedAsUsage() {
        Cli.Result r = Cli.run("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "compress", "--codec", "testxor", "--context", "0");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.stderr().contains("--context"), r.stderr());
        assertEquals(2, Cli.run("decompress", "--context", "-3").code());
    }
}
