package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Codec auto-selection, images and IDX under codec pc, truncated/unsupported inputs, and -r over directories. */
class PcImagesCliTest {
    @TempDir
    Path dir;

    static byte[] pgm(int w, int h, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) o.write(Math.max(0, Math.min(255, 100 + x * 2 - y + r.nextInt(5))));
        return o.toByteArray();
    }

    static byte[] idx(int n, int rows, int cols, int claimed) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int v : new int[] {0x00000803, claimed, rows, cols}) {
            o.write(v >>> 24);
            o.write(v >>> 16);
            o.write(v >>> 8);
            o.write(v);
        }
        Random r = new Random(n);
        for (int i = 0; i < n * rows * cols; i++) o.write(r.nextInt(6) == 0 ? 200 + r.nextInt(50) : 0);
        return o.toByteArray();
    }

    Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        return p;
    }

    static String codecOf(Path occ) {
        Cli.Result l = Cli.run("list", "--format", "csv", occ.toString());
        assertEquals(0, l.code(), l.toString());
        return ReportsTest.csv(l.out().split("\n")[1]).get(2);
    }

    @Test
    void compressPicksPcForImagesAndMnistSizedIdxAndLmForTheRest() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("img.pgm", pgm(37, 23, 1));
        files.put("mnist.idx", idx(3, 28, 28, 3));
        files.put("small.idx", idx(3, 8, 8, 3));
        files.put("notes.txt", "plain text, not an image\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
        Map<String, String> expected = Map.of("img.pgm", "pc", "mnist.idx", "pc", "small.idx", "lm", "notes.txt", "lm");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path f = write(e.getKey(), e.getValue());
            Cli.Result r = Cli.run("compress", "-v", f.toString());
            assertEquals(0, r.code(), r.toString());
            Path occ = dir.resolve(e.getKey() + ".occ");
            assertEquals(expected.get(e.getKey()), codecOf(occ), e.getKey());
            Files.delete(f);
            r = Cli.run("decompress", occ.toString());
            assertEquals(0, r.code(), r.toString());
            assertArrayEquals(e.getValue(), Files.readAllBytes(f), e.getKey());
        }
        // stdin: the first bytes are peeked
        Cli.Result r = Cli.run(files.get("img.pgm"), "compress", "-c");
        assertEquals(0, r.code(), r.toString());
        Path fromStdin = write("stdin.occ", r.stdout());
        assertEquals("pc", codecOf(fromStdin));
        Cli.Result d = Cli.run(r.stdout(), "decompress", "-c");
        assertArrayEquals(files.get("img.pgm"), d.stdout());
        // an explicit codec always wins
        Path img = write("again.pgm", files.get("img.pgm"));
        assertEquals(0, Cli.run("compress", "--codec", "gzip", img.toString()).code());
        assertTrue(Files.exists(dir.resolve("again.pgm.gz")));
    }

    @Test
    void truncatedIdxIsAnErrorWithPcAndNotSilentlyPcWithout() throws IOException {
        byte[] data = idx(3, 28, 28, 5);
        Path f = write("t.idx", data);
        Path occ = dir.resolve("t.idx.occ");
        Cli.Result r = Cli.run("compress", "--codec", "pc", f.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains(f + ": truncated IDX: header says 5 images of 28x28 but the file holds " + data.length + " bytes"),
                r.stderr());
        assertFalse(Files.exists(occ));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp file left");
        }
        // stdin: found at the end of the input; nothing valid is written
        r = Cli.run(data, "compress", "--codec", "pc", "-c");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("truncated IDX: header says 5 images of 28x28 but the file holds " + data.length + " bytes"), r.stderr());
        // auto-selection: the default codec, with a warning
        r = Cli.run("compress", f.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("truncated IDX") && r.stderr().contains("compressing with lm"), r.stderr());
        assertEquals("lm", codecOf(occ));
    }

    @Test
    void imagesAndModelsPcCannotUseAreClearErrorsWithNothingWritten() throws IOException {
        List<String[]> cases = new ArrayList<>();
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        deep.writeBytes("P5\n4 4\n65535\n".getBytes(StandardCharsets.US_ASCII));
        deep.writeBytes(new byte[32]);
        Path deepPgm = write("deep.pgm", deep.toByteArray());
        cases.add(new String[] {deepPgm.toString(), "16-bit PGM"});
        Path idx8 = write("small.idx", idx(2, 8, 8, 2));
        cases.add(new String[] {idx8.toString(), "the IDX images are 8x8 but the model is for 28x28 images"});
        Path shortPgm = write("short.pgm", java.util.Arrays.copyOf(pgm(30, 30, 2), 100));
        cases.add(new String[] {shortPgm.toString(), "truncated PGM"});
        for (String[] c : cases) {
            Cli.Result r = Cli.run("compress", "--codec", "pc", c[0]);
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.stderr().contains(c[0] + ": ") && r.stderr().contains(c[1]) && !r.stderr().contains("input: "), r.stderr());
            assertFalse(Files.exists(Path.of(c[0] + ".occ")), c[0]);
        }
        // a corrupted model file and a model of another format version
        Path img = write("img.pgm", pgm(9, 9, 3));
        byte[] model;
        try (var in = dev.occam.pc.PcCodec.class.getResourceAsStream(dev.occam.pc.PcCodec.DEFAULT_PATCH_MODEL)) {
            model = in.readAllBytes();
        }
        byte[] corrupt = model.clone();
        corrupt[corrupt.length / 2] ^= 0x40;
        byte[] future = model.clone();
        future[5] = 99;
        for (byte[][] m : new byte[][][] {{corrupt, "corrupted".getBytes()}, {future, "version 99".getBytes()}}) {
            Path mf = write("m.pcm", m[0]);
            Cli.Result r = Cli.run("compress", "--codec", "pc", "--model", mf.toString(), "-f", img.toString());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.stderr().contains(new String(m[1])), r.stderr());
            assertFalse(Files.exists(dir.resolve("img.pgm.occ")));
        }
        // without --codec a 16-bit PGM is simply not a pc input
        Cli.Result r = Cli.run("compress", deepPgm.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("lm", codecOf(dir.resolve("deep.pgm.occ")));
    }

    @Test
    void recursiveCompressDecompressAndTestProcessEveryFileAndReportFailures() throws IOException {
        Path tree = dir.resolve("tree");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a.pgm", pgm(20, 11, 4));
        files.put("b.txt", "some text\n".repeat(30).getBytes(StandardCharsets.US_ASCII));
        files.put("sub/c.idx", idx(2, 28, 28, 2));
        files.put("sub/deeper/d.bin", new byte[] {1, 2, 3, 4, 5});
        files.put("sub/empty", new byte[0]);
        files.put("clash.txt", "clash".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> e : files.entrySet()) write("tree/" + e.getKey(), e.getValue());
        // the output of clash.txt exists already (and is not a valid frame): compressing clash.txt fails
        write("tree/clash.txt.occ", "not a frame".getBytes(StandardCharsets.US_ASCII));

        Cli.Result r = Cli.run("compress", "-r", tree.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("clash.txt: " + tree.resolve("clash.txt.occ") + " already exists"), r.stderr());
        for (String name : files.keySet()) {
            if (!name.equals("clash.txt")) assertTrue(Files.exists(tree.resolve(name + ".occ")), name);
        }
        assertFalse(Files.exists(tree.resolve("clash.txt.occ.occ")), "-r does not compress .occ files again");

        r = Cli.run("test", "-r", tree.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("clash.txt.occ"), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());

        for (String name : files.keySet()) Files.delete(tree.resolve(name));
        r = Cli.run("decompress", "-r", tree.toString());
        assertEquals(1, r.code(), r.toString());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (!e.getKey().equals("clash.txt")) assertArrayEquals(e.getValue(), Files.readAllBytes(tree.resolve(e.getKey())), e.getKey());
        }
        assertFalse(Files.exists(tree.resolve("clash.txt")));
        // without -r a directory is still refused
        r = Cli.run("compress", tree.toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().contains("is a directory"), r.stderr());
    }

    @Test
    void trainPcOnImagesWritesAPatchModelThePcCodecUses() throws IOException {
        Path train = dir.resolve("train");
        for (int i = 0; i < 3; i++) write("train/t" + i + ".pgm", pgm(24, 20, 10 + i));
        Path held = write("held.pgm", pgm(16, 16, 99));
        Path model = dir.resolve("p.pcm");
        Cli.Result r = Cli.run("train", "pc", "--images", train.toString(), "--held-out-images", held.toString(), "--patch", "4",
                "--latent", "3", "--epochs", "2", "-T", "1", "-o", model.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("training images 4x4") && r.stderr().contains("held-out"), r.stderr());
        dev.occam.pc.PcModel m = dev.occam.pc.PcModel.load(model);
        assertEquals(4, m.rows());
        assertEquals(4, m.cols());
        byte[] img = pgm(30, 17, 5);
        Path f = write("x.pgm", img);
        r = Cli.run("compress", "--codec", "pc", "--model", model.toString(), f.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.size(dir.resolve("x.pgm.occ")) < img.length);
        Files.delete(f);
        r = Cli.run("decompress", "--model", model.toString(), dir.resolve("x.pgm.occ").toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(img, Files.readAllBytes(f));
        // --data and --images together: usage error
        r = Cli.run("train", "pc", "--images", train.toString(), "--data", held.toString(), "-o", dir.resolve("q.pcm").toString());
        assertEquals(2, r.code(), r.toString());
    }

    static void chunk(ByteArrayOutputStream o, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(t);
        c.update(data);
        for (int v : new int[] {data.length}) {
            o.write(v >>> 24);
            o.write(v >>> 16);
            o.write(v >>> 8);
            o.write(v);
        }
        o.writeBytes(t);
        o.writeBytes(data);
        int v = (int) c.getValue();
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    /** A grey PNG whose zlib stream is hand-made stored blocks of 5 bytes (valid; no Deflater writes it), filter type 0. */
    static byte[] storedPng(int w, int h) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            raw.write(0);
            for (int x = 0; x < w; x++) raw.write((x * 7 + y * 3) & 0xFF);
        }
        byte[] r = raw.toByteArray();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write(0x78);
        z.write(0x01);
        for (int p = 0; p < r.length; p += 5) {
            int n = Math.min(5, r.length - p);
            z.write(p + n == r.length ? 1 : 0);
            z.write(n);
            z.write(0);
            z.write(~n);
            z.write(0xFF);
            z.write(r, p, n);
        }
        java.util.zip.Adler32 a = new java.util.zip.Adler32();
        a.update(r);
        int v = (int) a.getValue();
        z.write(v >>> 24);
        z.write(v >>> 16);
        z.write(v >>> 8);
        z.write(v);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(o, "IHDR", new byte[] {0, 0, 0, (byte) w, 0, 0, 0, (byte) h, 8, 0, 0, 0, 0});
        chunk(o, "IDAT", z.toByteArray());
        chunk(o, "IEND", new byte[0]);
        return o.toByteArray();
    }

    @Test
    void pngDeflaterCannotReproduceIsStoredAndSaidWithVerbose() throws IOException {
        byte[] png = storedPng(13, 9);
        Path f = write("odd.png", png);
        Cli.Result r = Cli.run("compress", "-v", "--codec", "pc", f.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("not reproduced by java.util.zip.Deflater") && r.stderr().contains("stored verbatim"), r.stderr());
        assertEquals("pc", codecOf(dir.resolve("odd.png.occ")));
        Files.delete(f);
        assertEquals(0, Cli.run("decompress", dir.resolve("odd.png.occ").toString()).code());
        assertArrayEquals(png, Files.readAllBytes(f));
        // the same PNG with a broken CRC: --codec pc refuses it, the default picks lm
        byte[] bad = png.clone();
        bad[20] ^= 1;
        Path b = write("bad.png", bad);
        r = Cli.run("compress", "--codec", "pc", b.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains(b + ": pc: PNG chunk IHDR at offset 8 has a bad CRC"), r.stderr());
        assertFalse(Files.exists(dir.resolve("bad.png.occ")));
        r = Cli.run("compress", "-v", b.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("not coded with pc"), r.stderr());
        assertEquals("lm", codecOf(dir.resolve("bad.png.occ")));
    }

    /** Runs the CLI on a stdin stream with the given registry, stdout kept in memory. */
    static Cli.Result runOn(java.io.InputStream stdin, dev.occam.core.codec.CodecRegistry registry, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Occam.run(new Env(stdin, out, err, false, false, false, Map.of(), registry), args);
        return new Cli.Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code length} bytes: {@code head}, then a deterministic byte pattern, produced as read (no array of that size). */
    static java.io.InputStream generated(byte[] head, long length) {
        return new java.io.InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= length) return -1;
                int b = pos < head.length ? head[(int) pos] & 0xff : (int) ((pos * 131 + (pos >>> 9)) & 0xff);
                pos++;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= length) return -1;
                int n = (int) Math.min(len, length - pos);
                for (int i = 0; i < n; i++) b[off + i] = (byte) read();
                return n;
            }
        };
    }

    static long crc(java.io.InputStream in) throws IOException {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) c.update(buf, 0, n);
        return c.getValue();
    }

    @Test
    void stdinImageOverPcsLimitGetsTheDefaultCodecLikeAFile() throws IOException {
        // the default codec here is a fast stand-in named lm (the real lm would need minutes for 64 MiB)
        dev.occam.core.codec.Codec fastLm = new TestXorCodec() {
            @Override
            public String name() {
                return "lm";
            }

            @Override
            public List<String> aliases() {
                return List.of();
            }
        };
        dev.occam.core.codec.CodecRegistry registry = new dev.occam.core.codec.CodecRegistry(
                List.of(fastLm, dev.occam.core.codec.CodecRegistry.getDefault().get("pc")), List.of());
        byte[] header = "P5\n8192 8193\n255\n".getBytes(StandardCharsets.US_ASCII);
        long length = header.length + 8192L * 8193; // 64 MiB + 8 KiB + header: one pixel row over the limit
        assertTrue(length > dev.occam.pc.PcCodec.IMAGE_BLOCK);
        Cli.Result r = runOn(generated(header, length), registry, "compress", "-v", "-c");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("stdin: not coded with pc (input larger than pc's limit"), r.stderr());
        assertArrayEquals(TestXorCodec.MAGIC, java.util.Arrays.copyOf(r.stdout(), 4), "coded with the default codec");
        long back;
        try (var z = fastLm.decompress(new java.io.ByteArrayInputStream(r.stdout()), dev.occam.core.codec.CodecOptions.defaults())) {
            back = crc(z);
        }
        assertEquals(crc(generated(header, length)), back, "the buffered bytes and the rest of the stream, in order");
        // --codec pc stays strict
        r = runOn(generated(header, length), registry, "compress", "--codec", "pc", "-c");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("stdin: pc: image larger than pc's limit"), r.stderr());
        assertEquals(0, r.stdout().length);
        // an MNIST-sized IDX file over the limit on stdin: the default codec, with a warning (by path it gets pc)
        byte[] idxHeader = java.util.Arrays.copyOf(idx(0, 28, 28, 90_000), 16);
        long idxLength = 16 + 90_000L * 28 * 28;
        r = runOn(generated(idxHeader, idxLength), registry, "compress", "-c");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("stdin: not coded with pc (input larger than pc's limit") && r.stderr().contains("by path"), r.stderr());
        try (var z = fastLm.decompress(new java.io.ByteArrayInputStream(r.stdout()), dev.occam.core.codec.CodecOptions.defaults())) {
            assertEquals(crc(generated(idxHeader, idxLength)), crc(z));
        }
    }

    @Test
    void stdinTruncatedIdxAndBrokenImageGetTheDefaultCodecLikeFiles() throws IOException {
        byte[] data = idx(3, 28, 28, 5);
        Cli.Result r = Cli.run(data, "compress", "-c");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("stdin: truncated IDX: header says 5 images of 28x28 but the file holds " + data.length
                + " bytes") && r.stderr().contains("not using pc, compressing with lm"), r.stderr());
        Path occ = write("t.idx.occ", r.stdout());
        assertEquals("lm", codecOf(occ));
        assertArrayEquals(data, Cli.run(r.stdout(), "decompress", "-c").stdout());
        // a complete IDX file on stdin still gets pc
        byte[] whole = idx(3, 28, 28, 3);
        r = Cli.run(whole, "compress", "-c");
        assertEquals(0, r.code(), r.toString());
        assertEquals("pc", codecOf(write("w.idx.occ", r.stdout())));
        assertArrayEquals(whole, Cli.run(r.stdout(), "decompress", "-c").stdout());
        // a truncated PGM: the default codec, said with -v
        byte[] shortPgm = java.util.Arrays.copyOf(pgm(30, 30, 2), 100);
        r = Cli.run(shortPgm, "compress", "-v", "-c");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("stdin: not coded with pc (") && r.stderr().contains("compressing with lm"), r.stderr());
        assertEquals("lm", codecOf(write("s.pgm.occ", r.stdout())));
        assertArrayEquals(shortPgm, Cli.run(r.stdout(), "decompress", "-c").stdout());
    }
}
