package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CLI over the real codecs (gzip ... zstd, o2). Each test skips with a message while its codec
 * is not registered or still a placeholder; interop tests also skip when the system tool is absent.
 */
class RealCodecsCliTest {
    @TempDir
    Path dir;

    static final byte[] DATA = CliTest.sample(300_000, 77);

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    /** Runs a system tool with stdin from a file, returning its stdout. */
    static byte[] tool(Path stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectInput(stdin.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed");
        return out;
    }

    @Test
    void gzipRoundTripIsReadableByTheJdk() throws IOException {
        RealCodecs.require("gzip");
        Path src = Files.write(dir.resolve("t.txt"), DATA);
        Cli.Result c = Cli.run("compress", "--codec", "gzip", "-9", src.toString());
        assertEquals(0, c.code(), c.toString());
        Path gz = dir.resolve("t.txt.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertArrayEquals(DATA, in.readAllBytes());
        }
        // JDK-written gzip, detected by magic under an unhelpful name
        Path odd = dir.resolve("jdk.bin");
        try (GZIPOutputStream o = new GZIPOutputStream(Files.newOutputStream(odd))) {
            o.write(DATA);
        }
        Cli.Result d = Cli.run("decompress", "-c", odd.toString());
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(DATA, d.stdout());
        // list: gzip stores the raw size in its trailer
        Cli.Result l = Cli.run("list", "--format", "csv", gz.toString());
        assertEquals(0, l.code(), l.toString());
        List<String> row = ReportsTest.csv(l.out().split("\n")[1]);
        assertEquals("gzip", row.get(1));
        assertEquals(String.valueOf(Files.size(gz)), row.get(6));
        assertEquals(String.valueOf(DATA.length), row.get(7));
        // corrupt gzip: exit 1, one line, no output file
        byte[] bad = Files.readAllBytes(gz);
        bad[bad.length / 2] ^= 0x20;
        Path badGz = Files.write(dir.resolve("bad.txt.gz"), bad);
        Cli.Result b = Cli.run("decompress", badGz.toString());
        assertEquals(1, b.code());
        assertTrue(b.stderr().startsWith("occam: " + badGz + ": "), b.stderr());
        assertEquals(1, b.stderr().split("\n").length, b.stderr());
        assertFalse(Files.exists(dir.resolve("bad.txt")));
    }

    @ParameterizedTest(name = "{0} <-> system {1}")
    @CsvSource({"gzip,gzip,.gz", "bzip2,bzip2,.bz2", "xz,xz,.xz", "zstd,zstd,.zst", "lz4,lz4,.lz4"})
    void interoperatesWithSystemTools(String codec, String toolName, String ext) throws Exception {
        RealCodecs.require(codec);
        assumeTrue(onPath(toolName), () -> "skipped: " + toolName + " not on PATH");
        Path src = Files.write(dir.resolve("x.txt"), DATA);
        // occam -> tool
        assertEquals(0, Cli.run("compress", "--codec", codec, src.toString()).code());
        Path z = dir.resolve("x.txt" + ext);
        assertArrayEquals(DATA, tool(z, toolName, "-dc"));
        // tool -> occam, by magic
        Path fromTool = Files.write(dir.resolve("tool" + ext), tool(src, toolName, "-c"));
        Cli.Result d = Cli.run("decompress", "-c", fromTool.toString());
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(DATA, d.stdout());
        Cli.Result t = Cli.run("test", fromTool.toString(), z.toString());
        assertEquals(0, t.code(), t.toString());
    }

    @Test
    void brotliDecodesWithFormatOption() throws Exception {
        RealCodecs.require("brotli");
        assumeTrue(onPath("brotli"), "skipped: brotli not on PATH");
        Path src = Files.write(dir.resolve("y.txt"), DATA);
        Path br = Files.write(dir.resolve("y.txt.br"), tool(src, "brotli", "-c"));
        Cli.Result d = Cli.run("decompress", "--format", "brotli", br.toString(), "-o", dir.resolve("y.out").toString());
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(DATA, Files.readAllBytes(dir.resolve("y.out")));
        assertEquals(2, Cli.run("compress", "--codec", "brotli", src.toString()).code(), "brotli is decode-only");
    }

    @Test
    void lmWithTheBuiltInPriorIsTheDefaultCodec() throws IOException {
        RealCodecs.require("lm");
        Path src = Files.write(dir.resolve("o.txt"), DATA);
        Cli.Result c = Cli.run("compress", "--block-size", "64k", src.toString());
        assertEquals(0, c.code(), c.toString());
        Path occ = dir.resolve("o.txt.occ");
        assertTrue(Files.size(occ) < DATA.length / 2, "lm compresses text: " + Files.size(occ));
        Files.delete(src);
        Cli.Result d = Cli.run("decompress", occ.toString());
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(DATA, Files.readAllBytes(src));

        Cli.Result l = Cli.run("list", "--format", "json", occ.toString());
        assertEquals(0, l.code(), l.toString());
        Map<String, Object> row = ReportsTest.jsonArray(l.out()).get(0);
        assertEquals("lm", row.get("codec"));
        assertEquals("none", row.get("model"), "the built-in prior needs no model file");
        assertEquals((double) ((DATA.length + 65535) / 65536), row.get("blocks"));
        assertEquals((double) DATA.length, row.get("uncompressed_bytes"));
        assertEquals((double) Files.size(occ), row.get("compressed_bytes"));

        Cli.Result codecs = Cli.run("codecs", "--format", "csv");
        assertTrue(codecs.out().lines().anyMatch(s -> s.startsWith("lm,") && s.contains(",.occ,occam,")), codecs.out());
    }

    @Test
    void o2RoundTripsAndIsListed() throws IOException {
        RealCodecs.require("o2");
        Path src = Files.write(dir.resolve("p.txt"), DATA);
        assertEquals(0, Cli.run("compress", "--codec", "o2", src.toString()).code());
        Path occ = dir.resolve("p.txt.occ");
        Files.delete(src);
        assertEquals(0, Cli.run("decompress", occ.toString()).code());
        assertArrayEquals(DATA, Files.readAllBytes(src));
        Cli.Result l = Cli.run("list", "--format", "json", occ.toString());
        assertEquals("o2", ReportsTest.jsonArray(l.out()).get(0).get("codec"));
    }

    @Test
    void corruptOccFilesFailWithOffset() throws IOException {
        RealCodecs.require("o2");
        Path src = Files.write(dir.resolve("k.txt"), DATA);
        assertEquals(0, Cli.run("compress", "--codec", "o2", src.toString()).code());
        byte[] good = Files.readAllBytes(dir.resolve("k.txt.occ"));
        List<byte[]> bads = new ArrayList<>();
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        bads.add(flipped);
        bads.add(java.util.Arrays.copyOf(good, good.length - 7));
        bads.add(java.util.Arrays.copyOf(good, good.length / 3));
        int i = 0;
        for (byte[] bad : bads) {
            Path f = Files.write(dir.resolve("bad" + i + ".occ"), bad);
            Cli.Result r = Cli.run("decompress", f.toString());
            assertEquals(1, r.code(), "case " + i);
            assertTrue(r.stderr().startsWith("occam: " + f + ": corrupt input: "), r.stderr());
            assertTrue(r.stderr().matches("(?s).*\\(at byte offset \\d+\\)\n"), r.stderr());
            CliTest.assertNoStackTrace(r.stderr());
            assertFalse(Files.exists(dir.resolve("bad" + i)));
            assertEquals(1, Cli.run("test", f.toString()).code());
            i++;
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.toString().endsWith(".occam-tmp")).count());
        }
    }

    @Test
    void benchRunsRealCodecs() throws IOException {
        RealCodecs.require("gzip");
        Path src = Files.write(dir.resolve("b.txt"), DATA);
        Cli.Result r = Cli.run("bench", "--codecs", "gzip", "--levels", "1,9", "--repeat", "1", "--format", "csv",
                src.toString());
        assertEquals(0, r.code(), r.toString());
        String[] rows = r.out().split("\n");
        assertEquals(3, rows.length);
        long l1 = Long.parseLong(ReportsTest.csv(rows[1]).get(4));
        long l9 = Long.parseLong(ReportsTest.csv(rows[2]).get(4));
        assertTrue(l9 <= l1, "level 9 no larger than level 1");
    }
}
