package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The compact .pcm format (version 3): the grid, exact round trips of the snapped values, damage. */
class CompactFormatTest {
    private static final int[] TREE = {-1, 0, 0, 1, 1, 2};

    private static PcMixture mixture(int comps, int k, long seed) {
        PcModel[] parts = new PcModel[comps];
        double[] w = new double[comps];
        for (int c = 0; c < comps; c++) {
            parts[c] = ConditionalsTest.random(2, 3, k, TREE, seed + c);
            w[c] = 1 + c;
        }
        return new PcMixture(parts, w);
    }

    private static CompactFormat.Raw raw(byte[] file) throws IOException {
        int v = PcModel.version(file, "t");
        return CompactFormat.parse(v, PcModel.unframe(file, "t"), "t");
    }

    @Test
    void gridStartsAtZeroEndsAt65535AndItsStepGrowsAsPToTheMinusHalf() {
        int[] g = CompactFormat.grid(CompactFormat.STEP0, CompactFormat.MAX_STEP);
        assertEquals(0, g[0]);
        assertEquals(65535, g[g.length - 1]);
        assertEquals(12, g[1] - g[0]);
        for (int i = 2; i < g.length - 1; i++) {
            int step = g[i] - g[i - 1];
            assertTrue(step >= g[i - 1] - g[i - 2], "steps never shrink");
            assertTrue(step <= CompactFormat.MAX_STEP);
        }
        // two bits further down (q + 2048, q in 1/1024 bit) the step is twice as large (p^-1/2), below the one-bit cap
        int at = Arrays.binarySearch(g, 10_000) < 0 ? -Arrays.binarySearch(g, 10_000) - 1 : Arrays.binarySearch(g, 10_000);
        int stepHere = g[at + 1] - g[at];
        int there = -Arrays.binarySearch(g, g[at] + 2048) - 1;
        double ratio = (g[there + 1] - g[there]) / (double) stepHere;
        assertTrue(ratio > 1.9 && ratio < 2.5, "step ratio over two bits " + ratio);
        int[] unit = CompactFormat.grid(1, 1);
        assertEquals(65536, unit.length, "steps of 1 keep every q");
    }

    @Test
    void snapPicksTheNearestGridPointTheLowerOnATie() {
        int[] g = {0, 4, 10, 65535};
        int[] t = CompactFormat.snapTable(g);
        assertEquals(0, t[0]);
        assertEquals(0, t[2]);
        assertEquals(1, t[3]);
        assertEquals(1, t[7]);
        assertEquals(2, t[8]);
        assertEquals(2, t[10]);
        assertEquals(3, t[65535]);
    }

    @Test
    void compactFileHoldsEveryQSnappedToTheGridAndTheWeightsExactly() throws IOException {
        for (int comps : new int[] {1, 3}) {
            PcMixture m = mixture(comps, 5, 11 * comps);
            byte[] v12 = m.toBytes();
            byte[] v3 = PcMixture.compact(v12, "t");
            assertEquals(CompactFormat.VERSION, PcModel.version(v3, "t"));
            assertArrayEquals(v3, m.toCompactBytes(), "the trainer's --compact and pc-compact write the same bytes");
            CompactFormat.Raw before = raw(v12);
            CompactFormat.Raw after = CompactFormat.read(v3, "t");
            int[] g = CompactFormat.grid(CompactFormat.STEP0, CompactFormat.MAX_STEP);
            int[] snap = CompactFormat.snapTable(g);
            assertEquals(comps, after.components());
            assertArrayEquals(before.parent(), after.parent());
            if (comps > 1) assertArrayEquals(before.weightQ(), after.weightQ());
            for (int c = 0; c < comps; c++) {
                short[] b = before.params()[c];
                short[] a = after.params()[c];
                assertEquals(b.length, a.length);
                for (int i = 0; i < b.length; i++) assertEquals(g[snap[b[i] & 0xFFFF]], a[i] & 0xFFFF, "q " + i);
            }
            PcMixture back = PcMixture.fromBytes(v3, "t");
            assertEquals(comps, back.components());
            assertArrayEquals(v3, PcMixture.compact(v3, "t"), "compacting a compact file changes nothing");
        }
    }

    @Test
    void unitGridIsLossless() throws IOException {
        PcMixture m = mixture(2, 4, 5);
        CompactFormat.Raw r = raw(m.toBytes());
        CompactFormat.Raw back = CompactFormat.read(CompactFormat.write(r, 1, 1), "t");
        for (int c = 0; c < 2; c++) assertArrayEquals(r.params()[c], back.params()[c]);
    }

    @Test
    void compactModelCostsLittleLikelihood() throws Exception {
        PcMixture m = mixture(2, 6, 3).quantised();
        PcMixture c = PcMixture.fromBytes(m.toCompactBytes(), "t");
        Random rnd = new Random(1);
        List<byte[]> imgs = new ArrayList<>();
        for (int j = 0; j < 400; j++) {
            byte[] x = new byte[6];
            for (int i = 0; i < 6; i++) x[i] = (byte) rnd.nextInt(256);
            imgs.add(x);
        }
        double a = PcTrainer.bitsPerDim(m, imgs, 1);
        double b = PcTrainer.bitsPerDim(c, imgs, 1);
        assertNotEquals(a, b, "the grid moves the parameters");
        assertEquals(a, b, 0.01 * a, "within 1%");
    }

    @Test
    void aSingleModelLoadsAsPcModelAndAMixtureDoesNot() throws IOException {
        byte[] one = PcMixture.of(ConditionalsTest.random(2, 3, 4, TREE, 9)).toCompactBytes();
        assertEquals(4, PcModel.fromBytes(one, "one.pcm").latentStates());
        byte[] three = mixture(3, 4, 9).toCompactBytes();
        IOException e = assertThrows(IOException.class, () -> PcModel.fromBytes(three, "three.pcm"));
        assertTrue(e.getMessage().contains("three.pcm") && e.getMessage().contains("single model"), e.getMessage());
    }

    /** Damage behind a recomputed CRC reaches the parameter decoder: it must fail cleanly or decode in range, never crash. */
    @Test
    void damagedStreamsGiveIoExceptionsNamingTheFile() throws IOException {
        byte[] good = mixture(2, 5, 21).toCompactBytes();
        IOException crc = assertThrows(IOException.class, () -> {
            byte[] b = good.clone();
            b[b.length - 3] ^= 0x40;
            PcMixture.fromBytes(b, "bad.pcm");
        });
        assertTrue(crc.getMessage().startsWith("bad.pcm: ") && crc.getMessage().contains("CRC32C"), crc.getMessage());
        Random r = new Random(4);
        int failures = 0;
        for (int t = 0; t < 200; t++) {
            byte[] b = good.clone();
            int pos = 16 + 12 + 4 * 6 + 4 + r.nextInt(b.length - (16 + 12 + 4 * 6 + 4));
            b[pos] ^= (byte) (1 + r.nextInt(255));
            recrc(b);
            try {
                PcMixture.fromBytes(b, "bad.pcm");
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith("bad.pcm: "), e.getMessage());
                failures++;
            }
        }
        assertTrue(failures > 0, "some damage is detected by the decoder itself");
        byte[] cut = Arrays.copyOf(good, good.length - 5);
        ByteBuffer.wrap(cut).putInt(8, cut.length - 16);
        recrc(cut);
        IOException e = assertThrows(IOException.class, () -> PcMixture.fromBytes(cut, "cut.pcm"));
        assertTrue(e.getMessage().startsWith("cut.pcm: "), e.getMessage());
    }

    private static void recrc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 16, b.length - 16);
        ByteBuffer.wrap(b).putInt(12, (int) crc.getValue());
    }
}
