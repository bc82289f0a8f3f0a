package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.container.FrameHeader;
import dev.occam.core.container.OccInputStream;
import dev.occam.core.container.OccOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single PGM/PPM/PNG images through the pc codec and the .occ frame, with a small patch model trained here. */
class ImageCodecTest {
    static final int P = 4;
    @TempDir
    static Path dir;
    static Path modelFile;
    static PcModel model;

    /** A smooth w x h x ch image with noise (values of channel c shifted by 40 c). */
    static byte[] pixels(int w, int h, int ch, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h * ch];
        double fx = 0.05 + r.nextDouble() * 0.2;
        double fy = 0.05 + r.nextDouble() * 0.2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < ch; c++) {
                    double v = 128 + 90 * Math.sin(fx * x + c) * Math.cos(fy * y) + r.nextInt(7) - 3 + 20 * c;
                    px[(y * w + x) * ch + c] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
        return px;
    }

    @BeforeAll
    static void train() throws Exception {
        List<byte[]> patches = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            byte[] px = pixels(40, 40, 1, 100 + s);
            byte[] res = Transform.forward(Transform.MED, px, 40, 40);
            patches.addAll(Images.patches(new Images.Plane(40, 40, res), P, P, 2));
        }
        PcTrainer.Settings st = new PcTrainer.Settings(4, 1, 1, 256, 0.5, 0.01, 0.01, 1, 3);
        model = PcTrainer.train(patches, List.of(), P, P, st, p -> { }).quantised();
        modelFile = dir.resolve("patch.pcm");
        model.save(modelFile);
    }

    static CodecOptions options() {
        return CodecOptions.defaults().with("model", modelFile.toString()).with("input", "image").withThreads(2);
    }

    static byte[] compress(byte[] data, CodecOptions o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OccOutputStream z = new OccOutputStream(out, new PcCodec(), o, data.length)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    static byte[] decompress(byte[] occ, CodecOptions o) throws IOException {
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(occ), id -> id.equals("pc") ? new PcCodec() : null, o)) {
            return in.readAllBytes();
        }
    }

    static byte[] pnm(String magic, String headerMiddle, int w, int h, byte[] px, byte[] trailing) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes((magic + headerMiddle.replace("W", Integer.toString(w)).replace("H", Integer.toString(h))).getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(px);
        o.writeBytes(trailing);
        return o.toByteArray();
    }

    /** Round trip through the frame; returns the frame. */
    static byte[] roundTrip(byte[] file) throws IOException {
        byte[] occ = compress(file, options());
        assertArrayEquals(file, decompress(occ, CodecOptions.defaults().with("model", modelFile.toString()).withThreads(2)));
        return occ;
    }

    @Test
    void pgmAndPpmOfOddSizesRoundTrip() throws IOException {
        int[][] sizes = {{1, 1}, {7, 13}, {100, 3}, {3, 100}, {4, 4}, {9, 8}, {33, 47}};
        long seed = 1;
        for (int[] s : sizes) {
            for (int ch : new int[] {1, 3}) {
                byte[] px = pixels(s[0], s[1], ch, seed++);
                byte[] f = pnm(ch == 1 ? "P5" : "P6", "\nW H\n255\n", s[0], s[1], px, new byte[0]);
                assertEquals(PcCodec.MODE_PNM, ImageBlocks.plan(f, 0, f.length, false, "t").mode());
                roundTrip(f);
            }
        }
        // comments, odd spacing, maxval below 255, bytes after the pixels: all kept verbatim
        byte[] px = pixels(21, 5, 1, 77);
        for (int i = 0; i < px.length; i++) px[i] = (byte) ((px[i] & 0xFF) % 100);
        roundTrip(pnm("P5", " # made by a test\n  W\t H # size\n99\r", 21, 5, px, "trailing junk".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void codedSizeIsCloseToTheModelNll() throws IOException {
        int w = 61;
        int h = 45;
        byte[] px = pixels(w, h, 1, 4242);
        byte[] f = pnm("P5", "\nW H\n255\n", w, h, px, new byte[0]);
        byte[] occ = roundTrip(f);
        double nll = Images.nllBits(model, Transform.MED, new Images.Plane(w, h, px)) / 8;
        // frame + header overhead is well under 100 bytes; the coded pixels are within 1% of the NLL
        assertTrue(occ.length < nll * 1.01 + 100, occ.length + " bytes vs NLL " + nll);
        assertTrue(occ.length > nll * 0.99, occ.length + " bytes vs NLL " + nll);
        assertTrue(occ.length < f.length * 0.8, "smooth image must compress: " + occ.length + " of " + f.length);
        // the tile segments depend on the image only: 1 and 3 threads write the same bytes
        assertArrayEquals(occ, compress(f, options().withThreads(1)));
        assertArrayEquals(occ, compress(f, options().withThreads(3)));
    }

    @Test
    void medTransformIsABijection() {
        Random r = new Random(5);
        for (int t = 0; t < 20; t++) {
            int w = 1 + r.nextInt(20);
            int h = 1 + r.nextInt(20);
            byte[] x = new byte[w * h];
            r.nextBytes(x);
            byte[] res = Transform.forward(Transform.MED, x, w, h);
            byte[] back = res.clone();
            Transform.inverse(Transform.MED, back, w, h);
            assertArrayEquals(x, back);
        }
    }

    // ---- PNG ----------------------------------------------------------------------------------

    static void chunk(ByteArrayOutputStream o, String type, byte[] data, int off, int len) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        int[] v = {len};
        o.write(v[0] >>> 24);
        o.write(v[0] >>> 16);
        o.write(v[0] >>> 8);
        o.write(v[0]);
        o.writeBytes(t);
        o.write(data, off, len);
        CRC32 c = new CRC32();
        c.update(t);
        c.update(data, off, len);
        int crc = (int) c.getValue();
        o.write(crc >>> 24);
        o.write(crc >>> 16);
        o.write(crc >>> 8);
        o.write(crc);
    }

    static byte[] ihdr(int w, int h, int depth, int colour, int interlace) {
        return new byte[] {(byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w,
            (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, (byte) depth, (byte) colour, 0, 0, (byte) interlace};
    }

    /** Filtered scanlines, filter type of row y = (y + shift) mod 5, written here independently of Png. */
    static byte[] filtered(byte[] px, int w, int h, int ch, int shift) {
        int stride = w * ch;
        byte[] raw = new byte[h * (stride + 1)];
        for (int y = 0; y < h; y++) {
            int f = (y + shift) % 5;
            raw[y * (stride + 1)] = (byte) f;
            for (int i = 0; i < stride; i++) {
                int x = px[y * stride + i] & 0xFF;
                int a = i >= ch ? px[y * stride + i - ch] & 0xFF : 0;
                int b = y > 0 ? px[(y - 1) * stride + i] & 0xFF : 0;
                int c = i >= ch && y > 0 ? px[(y - 1) * stride + i - ch] & 0xFF : 0;
                int pred;
                if (f == 0) pred = 0;
                else if (f == 1) pred = a;
                else if (f == 2) pred = b;
                else if (f == 3) pred = (a + b) / 2;
                else {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                }
                raw[y * (stride + 1) + 1 + i] = (byte) (x - pred);
            }
        }
        return raw;
    }

    static byte[] zlibJava(byte[] raw, int level, int strategy) {
        Deflater d = new Deflater(level);
        d.setStrategy(strategy);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) o.write(buf, 0, d.deflate(buf));
        d.end();
        return o.toByteArray();
    }

    /** A zlib stream of stored blocks of the given sizes (the last takes the rest): valid, but no Deflater writes it. */
    static byte[] zlibStored(byte[] raw, int... sizes) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x78);
        o.write(0x01);
        int pos = 0;
        for (int i = 0; i <= sizes.length; i++) {
            int n = i < sizes.length ? Math.min(sizes[i], raw.length - pos) : raw.length - pos;
            o.write(i == sizes.length ? 1 : 0);
            o.write(n);
            o.write(n >>> 8);
            o.write(~n);
            o.write(~n >>> 8);
            o.write(raw, pos, n);
            pos += n;
        }
        Adler32 a = new Adler32();
        a.update(raw);
        int v = (int) a.getValue();
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
        return o.toByteArray();
    }

    /** A PNG: signature, IHDR, a tEXt chunk, the zlib stream in IDAT chunks of {@code idat} bytes, a tEXt after, IEND. */
    static byte[] png(int w, int h, int colour, byte[] zlib, int idat) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(Png.SIGNATURE);
        byte[] ih = ihdr(w, h, 8, colour, 0);
        chunk(o, "IHDR", ih, 0, ih.length);
        byte[] text = "Comment\0made by ImageCodecTest".getBytes(StandardCharsets.ISO_8859_1);
        chunk(o, "tEXt", text, 0, text.length);
        for (int p = 0; p < zlib.length; p += idat) chunk(o, "IDAT", zlib, p, Math.min(idat, zlib.length - p));
        chunk(o, "tEXt", text, 0, text.length);
        chunk(o, "IEND", new byte[0], 0, 0);
        return o.toByteArray();
    }

    static int channels(int colour) {
        return colour == 0 ? 1 : colour == 4 ? 2 : colour == 2 ? 3 : 4;
    }

    @Test
    void pngsWrittenByDeflaterAreRebuiltExactly() throws IOException {
        int[][] sizes = {{1, 1}, {7, 13}, {100, 3}, {30, 22}};
        int[][] params = {{9, Deflater.DEFAULT_STRATEGY}, {6, Deflater.FILTERED}, {1, Deflater.DEFAULT_STRATEGY}, {6, Deflater.HUFFMAN_ONLY}};
        int t = 0;
        for (int[] s : sizes) {
            for (int colour : new int[] {0, 4, 2, 6}) {
                int ch = channels(colour);
                byte[] px = pixels(s[0], s[1], ch, 1000 + t);
                int[] pr = params[t % params.length];
                byte[] f = png(s[0], s[1], colour, zlibJava(filtered(px, s[0], s[1], ch, t), pr[0], pr[1]), 5 + t * 7);
                t++;
                ImageBlocks.Plan plan = ImageBlocks.plan(f, 0, f.length, false, "t");
                assertEquals(PcCodec.MODE_PNG, plan.mode(), plan.note());
                Png.Parsed parsed = (Png.Parsed) plan.parsed();
                assertArrayEquals(px, interleaved(parsed.planes, ch), "decoded pixels");
                byte[] occ = roundTrip(f);
                // (tiny images: the frame stores a block raw when coding does not make it smaller)
                if (s[0] * s[1] >= 100) assertEquals(PcCodec.MODE_PNG, blockMode(occ), "coded by pc, not stored");
            }
        }
    }

    static byte[] interleaved(byte[][] planes, int ch) {
        byte[] out = new byte[planes[0].length * ch];
        ImageBlocks.interleave(planes, planes[0].length, 1, out, 0);
        return out;
    }

    /** The mode byte of the first block: the frame header is parsed from the stream by the reader; find it by decoding the header length. */
    static int blockMode(byte[] occ) throws IOException {
        int[] seen = {-1};
        PcCodec pc = new PcCodec();
        BlockCodec spy = new BlockCodec() {
            @Override
            public String id() {
                return pc.id();
            }

            @Override
            public String description() {
                return pc.description();
            }

            @Override
            public byte[] parameters(CodecOptions options) throws IOException {
                return pc.parameters(options);
            }

            @Override
            public byte[] modelFingerprint(CodecOptions options, FrameHeader header) throws IOException {
                return pc.modelFingerprint(options, header);
            }

            @Override
            public BlockEncoder newEncoder(CodecOptions options) throws IOException {
                return pc.newEncoder(options);
            }

            @Override
            public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException {
                BlockDecoder d = pc.newDecoder(header, options);
                return (src, off, len, dst, dstOff, dstLen) -> {
                    if (seen[0] < 0) seen[0] = src[off];
                    d.decode(src, off, len, dst, dstOff, dstLen);
                };
            }
        };
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(occ), id -> spy,
                CodecOptions.defaults().with("model", modelFile.toString()))) {
            in.readAllBytes();
        }
        return seen[0];
    }

    @Test
    void pngThatDeflaterCannotReproduceIsStoredAndRoundTrips() throws IOException {
        int w = 23;
        int h = 9;
        byte[] px = pixels(w, h, 3, 99);
        byte[] f = png(w, h, 2, zlibStored(filtered(px, w, h, 3, 0), 7, 13, 101), 50);
        ImageBlocks.Plan plan = ImageBlocks.plan(f, 0, f.length, false, "t");
        assertEquals(PcCodec.MODE_STORED, plan.mode());
        assertTrue(Images.describe(f, false, "t").contains("not reproduced by java.util.zip.Deflater"), Images.describe(f, false, "t"));
        byte[] occ = compress(f, options());
        assertArrayEquals(f, decompress(occ, options()));
    }

    static IOException refused(byte[] f) {
        return assertThrows(IOException.class, () -> compress(f, options()));
    }

    @Test
    void hostileAndUnsupportedImagesAreRefusedAtCompress() throws IOException {
        int w = 12;
        int h = 7;
        byte[] px = pixels(w, h, 1, 3);
        byte[] good = png(w, h, 0, zlibJava(filtered(px, w, h, 1, 0), 9, Deflater.DEFAULT_STRATEGY), 1000);

        byte[] badCrc = good.clone();
        badCrc[33 + 8 + 3] ^= 1; // a byte of the first tEXt chunk's data
        assertTrue(refused(badCrc).getMessage().contains("bad CRC"));

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 20);
        assertTrue(refused(truncated).getMessage().contains("truncated"), refused(truncated).getMessage());

        byte[] raw = filtered(px, w, h, 1, 0);
        raw[(w + 1) * 3] = 5; // row 3: filter type 5
        byte[] badFilter = png(w, h, 0, zlibJava(raw, 9, Deflater.DEFAULT_STRATEGY), 1000);
        assertTrue(refused(badFilter).getMessage().contains("filter type 5"), refused(badFilter).getMessage());

        byte[] huge = png(100_000, 100_000, 6, zlibJava(new byte[10], 9, 0), 1000);
        assertTrue(refused(huge).getMessage().contains("too large"), refused(huge).getMessage());

        byte[] palette = png(w, h, 3, zlibJava(raw, 9, 0), 1000);
        assertTrue(refused(palette).getMessage().contains("palette"), refused(palette).getMessage());

        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(Png.SIGNATURE);
        byte[] ih = ihdr(w, h, 16, 0, 0);
        chunk(o, "IHDR", ih, 0, ih.length);
        assertTrue(refused(o.toByteArray()).getMessage().contains("16-bit PNG"));
        o.reset();
        o.writeBytes(Png.SIGNATURE);
        ih = ihdr(w, h, 8, 0, 1);
        chunk(o, "IHDR", ih, 0, ih.length);
        assertTrue(refused(o.toByteArray()).getMessage().contains("interlaced"));

        byte[] deep = pnm("P5", "\nW H\n65535\n", w, h, new byte[w * h * 2], new byte[0]);
        assertTrue(refused(deep).getMessage().contains("16-bit PGM"), refused(deep).getMessage());
        byte[] shortPgm = java.util.Arrays.copyOf(pnm("P5", "\nW H\n255\n", w, h, px, new byte[0]), 40);
        assertTrue(refused(shortPgm).getMessage().contains("truncated PGM"), refused(shortPgm).getMessage());
        byte[] ascii = "P2\n2 2\n255\n1 2 3 4\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(refused(ascii).getMessage().contains("P2"), refused(ascii).getMessage());

        // with fallback=store every one of them is kept verbatim and round-trips
        CodecOptions store = options().with("fallback", "store");
        for (byte[] f : List.of(badCrc, truncated, badFilter, huge, palette, deep, shortPgm, ascii)) {
            assertArrayEquals(f, decompress(compress(f, store), options()));
        }
    }

    @Test
    void corruptImageBlocksNeverDecodeSilentlyWrong() throws IOException {
        int w = 19;
        int h = 11;
        byte[] px = pixels(w, h, 3, 8);
        byte[] pngFile = png(w, h, 2, zlibJava(filtered(px, w, h, 3, 1), 6, Deflater.DEFAULT_STRATEGY), 64);
        byte[] pgmFile = pnm("P6", "\nW H\n255\n", w, h, px, new byte[0]);
        Random r = new Random(11);
        for (byte[] f : List.of(pngFile, pgmFile)) {
            byte[] occ = compress(f, options());
            for (int t = 0; t < 60; t++) {
                byte[] bad = occ.clone();
                int at = 40 + r.nextInt(bad.length - 40);
                bad[at] ^= (byte) (1 + r.nextInt(255));
                try {
                    byte[] out = decompress(bad, options());
                    assertArrayEquals(f, out, "a corrupted frame decoded to other bytes without an error (byte " + at + ")");
                } catch (IOException expected) {
                    // CorruptInputException or a clear IOException
                }
            }
        }
        // raw garbage behind each image mode byte: CorruptInputException or output the frame would reject, nothing else
        BlockCodec.BlockDecoder dec = new PcCodec().newDecoder(new FrameHeader(1, "pc", new byte[] {1}, PcCodec.model(options()).fingerprint(),
                -1, 1 << 20), options());
        for (int t = 0; t < 300; t++) {
            byte[] junk = new byte[1 + r.nextInt(80)];
            r.nextBytes(junk);
            junk[0] = (byte) (2 + t % 3);
            byte[] out = new byte[r.nextInt(3000)];
            try {
                dec.decode(junk, 0, junk.length, out, 0, out.length);
            } catch (CorruptInputException expected) {
                assertTrue(expected.offset() >= -1 && expected.offset() <= junk.length + 16, expected.getMessage());
            }
        }
    }

    @Test
    void builtInPatchModelIsFoundByFingerprintWhenDecoding() throws IOException {
        byte[] px = pixels(37, 21, 1, 31);
        byte[] f = pnm("P5", "\nW H\n255\n", 37, 21, px, new byte[0]);
        CodecOptions builtin = CodecOptions.defaults().with("input", "image");
        byte[] occ = compress(f, builtin);
        assertArrayEquals(f, decompress(occ, CodecOptions.defaults()));
        // the frame names the patch model, not the MNIST one
        PcCodec.Loaded patch = PcCodec.builtin(PcCodec.DEFAULT_PATCH_MODEL);
        PcCodec.Loaded mnist = PcCodec.builtin(PcCodec.DEFAULT_MODEL);
        assertTrue(indexOf(occ, patch.fingerprint()) >= 0);
        assertTrue(indexOf(occ, mnist.fingerprint()) < 0);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void truncatedIdxIsRefusedInTheFirstBlock() throws IOException {
        List<byte[]> imgs = new ArrayList<>();
        for (int i = 0; i < 10; i++) imgs.add(pixels(P, P, 1, i));
        byte[] idx = PcCodecTest.idx(imgs, P, P);
        idx[7] = 50; // the header says 50 images; the data holds 10
        CodecOptions o = CodecOptions.defaults().with("model", modelFile.toString());
        IOException e = assertThrows(IOException.class, () -> PcCodecTest.compressWith(idx, o));
        assertTrue(e.getMessage().contains("truncated IDX: header says 50 images of 4x4 but the file holds " + idx.length + " bytes"), e.getMessage());
        idx[7] = 10; // consistent again: compresses and round-trips
        assertDoesNotThrowRoundTrip(idx, o);
    }

    static void assertDoesNotThrowRoundTrip(byte[] data, CodecOptions o) throws IOException {
        assertArrayEquals(data, PcCodecTest.decompressWith(PcCodecTest.compressWith(data, o), o));
    }

    @Test
    void sniffClassifiesInputs() {
        byte[] pgm = pnm("P5", "\nW H\n255\n", 3, 2, new byte[6], new byte[0]);
        Images.Sniff s = Images.sniff(pgm, pgm.length);
        assertEquals(Images.Kind.PNM, s.kind());
        assertTrue(s.codable());
        assertEquals(2, s.rows());
        assertEquals(3, s.cols());
        byte[] deep = pnm("P6", "\nW H\n1023\n", 3, 2, new byte[36], new byte[0]);
        assertEquals(false, Images.sniff(deep, deep.length).codable());
        byte[] idx = PcCodecTest.idx(List.of(new byte[20], new byte[20], new byte[20]), 4, 5);
        Images.Sniff i = Images.sniff(idx, idx.length);
        assertEquals(Images.Kind.IDX, i.kind());
        assertEquals(16 + 3 * 20, i.idxLength());
        assertEquals(Images.Kind.OTHER, Images.sniff("hello".getBytes(StandardCharsets.US_ASCII), 5).kind());
    }
}
