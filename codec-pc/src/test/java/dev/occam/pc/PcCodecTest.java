package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import dev.occam.core.container.OccInputStream;
import dev.occam.core.container.OccOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pc codec through the .occ frame with a small synthetic model. */
class PcCodecTest {
    static final int ROWS = 4;
    static final int COLS = 5;
    @TempDir
    static Path dir;
    static Path modelFile;
    static Path otherModelFile;
    static List<byte[]> images;

    /** Blobby synthetic images: a bright rectangle on a dark background, with noise. */
    static List<byte[]> synthetic(int n, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            byte[] img = new byte[ROWS * COLS];
            int r0 = r.nextInt(ROWS);
            int c0 = r.nextInt(COLS);
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < COLS; j++) {
                    boolean on = i >= r0 && j >= c0 && i < r0 + 2 && j < c0 + 3;
                    int v = on ? 200 + r.nextInt(56) : (r.nextInt(4) == 0 ? r.nextInt(30) : 0);
                    img[i * COLS + j] = (byte) v;
                }
            }
            out.add(img);
        }
        return out;
    }

    @BeforeAll
    static void train() throws Exception {
        images = synthetic(400, 1);
        PcTrainer.Settings s = new PcTrainer.Settings(3, 1, 1, 100, 0.5, 0.01, 0.01, 2, 7);
        modelFile = dir.resolve("a.pcm");
        PcTrainer.train(images, List.of(), ROWS, COLS, s, p -> { }).save(modelFile);
        otherModelFile = dir.resolve("b.pcm");
        PcTrainer.train(images, List.of(), ROWS, COLS, new PcTrainer.Settings(2, 1, 0, 100, 0.5, 0.01, 0.01, 1, 8), p -> { })
                .save(otherModelFile);
    }

    static byte[] idx(List<byte[]> imgs, int rows, int cols) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int[] h = {0x00000803, imgs.size(), rows, cols};
        for (int v : h) {
            o.write(v >>> 24);
            o.write(v >>> 16);
            o.write(v >>> 8);
            o.write(v);
        }
        for (byte[] img : imgs) o.writeBytes(img);
        return o.toByteArray();
    }

    static byte[] compress(byte[] data, Path model, int blockSize, int threads) throws IOException {
        return compressWith(data, CodecOptions.defaults().with("model", model.toString()).withBlockSize(blockSize).withThreads(threads));
    }

    static byte[] compressWith(byte[] data, CodecOptions o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OccOutputStream s = new OccOutputStream(out, new PcCodec(), o, data.length)) {
            s.write(data);
        }
        return out.toByteArray();
    }

    static byte[] decompress(byte[] occ, Path model) throws IOException {
        return decompressWith(occ, CodecOptions.defaults().with("model", model.toString()));
    }

    static byte[] decompressWith(byte[] occ, CodecOptions o) throws IOException {
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(occ), id -> id.equals("pc") ? new PcCodec() : null, o)) {
            return in.readAllBytes();
        }
    }

    @Test
    void idxRoundTripsWithAlignedAndMisalignedBlocks() throws IOException {
        byte[] data = idx(synthetic(137, 2), ROWS, COLS);
        int d = ROWS * COLS;
        for (int bs : new int[] {0, d * 8, d * 8 + 3, 97, 16, 1}) {
            byte[] occ = compress(data, modelFile, bs, 2);
            assertArrayEquals(data, decompress(occ, modelFile), "block size " + bs);
        }
        // the model helps: the images carry about 3.4 of their 8 bits per pixel (see synthetic())
        byte[] occ = compress(data, modelFile, 0, 1);
        assertTrue(occ.length < data.length * 0.6, occ.length + " vs " + data.length);
    }

    @Test
    void arbitraryBytesAndEmptyInputRoundTrip() throws IOException {
        Random r = new Random(3);
        for (int n : new int[] {0, 1, 15, 16, 17, 1000}) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            assertArrayEquals(data, decompress(compress(data, modelFile, 64, 1), modelFile), "n=" + n);
        }
    }

    @Test
    void wrongImageSizeIsRefused() {
        byte[] data = idx(synthetic(3, 4), COLS, ROWS); // 5x4, model is 4x5
        IOException e = assertThrows(IOException.class, () -> compress(data, modelFile, 0, 1));
        assertTrue(e.getMessage().contains("5x4") && e.getMessage().contains("4x5"), e.getMessage());
    }

    @Test
    void otherModelIsRefusedOnDecode() throws IOException {
        byte[] occ = compress(idx(synthetic(10, 5), ROWS, COLS), modelFile, 0, 1);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> decompress(occ, otherModelFile));
        assertTrue(e.getMessage().contains("model"), e.getMessage());
    }

    @Test
    void corruptedStreamIsDetected() throws IOException {
        byte[] data = idx(synthetic(50, 6), ROWS, COLS);
        byte[] occ = compress(data, modelFile, 0, 1);
        int errors = 0;
        for (int pos = occ.length / 3; pos < occ.length; pos += 7) {
            byte[] bad = occ.clone();
            bad[pos] ^= 0x10;
            try {
                byte[] out = decompress(bad, modelFile);
                assertArrayEquals(data, out); // only acceptable "success": identical output
            } catch (IOException e) {
                errors++;
            }
        }
        assertTrue(errors > 0);
        byte[] cut = java.util.Arrays.copyOf(occ, occ.length - 5);
        assertThrows(IOException.class, () -> decompress(cut, modelFile));
    }

    @Test
    void registeredAsServiceAndBuiltinModelLoads() throws IOException {
        assertEquals("pc", CodecRegistry.getDefault().blockCodec("pc").id());
        PcCodec.Loaded l = PcCodec.model(CodecOptions.defaults());
        assertEquals(28, l.model().rows());
        assertEquals(28, l.model().cols());
    }

    @Test
    void badModelFilesGiveClearErrors() throws IOException {
        byte[] good = Files.readAllBytes(modelFile);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> PcModel.fromBytes(flipped, "m")).getMessage().contains("CRC32C"));
        byte[] version = good.clone();
        version[5] = 9;
        assertTrue(assertThrows(IOException.class, () -> PcModel.fromBytes(version, "m")).getMessage().contains("version 9"));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 10);
        assertTrue(assertThrows(IOException.class, () -> PcModel.fromBytes(cut, "m")).getMessage().contains("truncated"));
        assertThrows(IOException.class, () -> PcModel.fromBytes("hello world, not a model".getBytes(), "m"));
        // and the codec refuses such a model before writing anything
        Path bad = dir.resolve("bad.pcm");
        Files.write(bad, flipped);
        assertThrows(IOException.class, () -> compress(new byte[100], bad, 0, 1));
    }

    @Test
    void idxReaderRejectsTruncatedAndNon8BitFiles() {
        byte[] data = idx(synthetic(5, 7), ROWS, COLS);
        byte[] cut = java.util.Arrays.copyOf(data, data.length - 3);
        IOException e = assertThrows(IOException.class, () -> Idx.read(new ByteArrayInputStream(cut), "x"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] shorts = data.clone();
        shorts[2] = 0x0B;
        e = assertThrows(IOException.class, () -> Idx.read(new ByteArrayInputStream(shorts), "x"));
        assertTrue(e.getMessage().contains("8-bit"), e.getMessage());
    }

    @Test
    void idxReaderReadsWhatWasWritten() throws IOException {
        List<byte[]> imgs = synthetic(9, 8);
        Idx.Images r = Idx.read(new ByteArrayInputStream(idx(imgs, ROWS, COLS)), "x");
        assertEquals(ROWS, r.rows());
        assertEquals(COLS, r.cols());
        assertEquals(9, r.images().size());
        for (int i = 0; i < 9; i++) assertArrayEquals(imgs.get(i), r.images().get(i));
    }
}
