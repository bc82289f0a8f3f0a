package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PcTrainerTest {
    /**
     * One training image gives zero mutual information everywhere, so the Chow-Liu tree is a star:
     * the root has D-1 children, and the product of their messages underflows a double unless the
     * upward pass rescales it. The likelihood must stay finite and the model must learn the image.
     */
    @Test
    void aStarShapedTreeDoesNotUnderflow() throws InterruptedException {
        int rows = 28;
        int cols = 28;
        byte[] image = new byte[rows * cols];
        new Random(3).nextBytes(image);
        PcTrainer.Settings s = new PcTrainer.Settings(16, 1, 1, 1, 0.5, 0.01, 0.01, 1, 5);
        PcModel m = PcTrainer.train(List.of(image), List.of(), rows, cols, s, p -> { });
        double bpd = PcTrainer.bitsPerDim(m, List.of(image), 1);
        assertTrue(Double.isFinite(bpd), "bits per dimension must be finite, got " + bpd);
        assertTrue(bpd < 8, "the model must do better than 8 bits per pixel on its only training image: " + bpd);
    }

    /** Small synthetic digits: a bright bar at a random row and column, anti-aliased edges. */
    private static List<byte[]> bars(int n, int rows, int cols, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            byte[] img = new byte[rows * cols];
            int c = r.nextInt(cols);
            int row = r.nextInt(rows);
            for (int y = 0; y < rows; y++) {
                img[y * cols + c] = (byte) (200 + r.nextInt(56));
                if (c + 1 < cols) img[y * cols + c + 1] = (byte) r.nextInt(120);
            }
            for (int x = 0; x < cols; x++) img[row * cols + x] = (byte) 255;
            out.add(img);
        }
        return out;
    }

    /**
     * Splitting every state into copies describes the same distribution (up to the noise), and
     * EM from the split model does not end worse than where it started.
     */
    @Test
    void splitStatesKeepTheDistributionAndTrainingContinues() throws InterruptedException {
        List<byte[]> train = bars(400, 6, 6, 1);
        List<byte[]> held = bars(100, 6, 6, 2);
        PcTrainer.Settings s4 = new PcTrainer.Settings(4, 1, 2, 100, 0.5, 0.01, 0.01, 2, 3);
        PcModel m4 = PcTrainer.train(train, held, 6, 6, s4, p -> { });
        double before = PcTrainer.bitsPerDim(m4, held, 1);
        PcModel split = PcTrainer.split(m4, 2, 9);
        assertEquals(8, split.latentStates());
        assertEquals(before, PcTrainer.bitsPerDim(split, held, 1), 0.05 * before, "a split model must code like the original");
        PcTrainer.Settings s8 = new PcTrainer.Settings(8, 0, 2, 100, 0.5, 0.01, 0.01, 2, 3);
        PcModel m8 = PcTrainer.train(train, held, m4, s8, p -> { });
        assertEquals(8, m8.latentStates());
        assertTrue(PcTrainer.bitsPerDim(m8, train, 1) <= PcTrainer.bitsPerDim(m4, train, 1) + 1e-3,
                "EM from the split model must not be worse on the training images");
        assertThrows(IllegalArgumentException.class, () -> PcTrainer.train(train, held, m4, new PcTrainer.Settings(6, 0, 1, 100, 0.5, 0.01, 0.01, 1, 3), p -> { }));
    }

    /** The value kernel keeps every group's total, moves nothing to or from frequent values, and spreads rare ones. */
    @Test
    void valueKernelKeepsMassAndFrequentValues() {
        boolean[] rare = new boolean[256];
        for (int v = 1; v < 250; v++) rare[v] = true;
        double[] counts = new double[512];
        counts[0] = 100;
        counts[100] = 10;
        counts[249] = 4;
        counts[256 + 253] = 7;
        counts[256 + 3] = 1;
        double[] before = counts.clone();
        PcTrainer.smoothLeafCounts(counts, 2, rare, 5, 0.3);
        double s0 = 0;
        double s1 = 0;
        for (int v = 0; v < 256; v++) {
            s0 += counts[v];
            s1 += counts[256 + v];
        }
        assertEquals(114, s0, 1e-9);
        assertEquals(8, s1, 1e-9);
        assertEquals(100, counts[0], 0, "a frequent value keeps its count");
        assertEquals(7, counts[256 + 253], 0);
        assertEquals(10 * 0.7 + 10 * 0.3 / 11, counts[100], 1e-12, "the value keeps 70% and its share of the spread");
        assertEquals(10 * 0.3 / 11, counts[95], 1e-12);
        assertEquals(0, counts[94], 0);
        // 249 has rare neighbours 244..249 only (250.. are frequent): six values share its spread
        assertEquals(4 * 0.7 + 4 * 0.3 / 6, counts[249], 1e-12);
        assertEquals(0, counts[250], 0);
        // value 3's neighbours within 5 are 1..8 (0 is frequent): eight values
        assertEquals(0.3 / 8, counts[256 + 1], 1e-12);
        assertTrue(before[256 + 8] == 0 && counts[256 + 8] > 0);
    }

    /** The originals first, then each image moved right, left, down, up, zeros shifted in. */
    @Test
    void shiftsKeepTheOriginalsAndMoveByOnePixel() {
        byte[] a = {1, 2, 3, 4, 5, 6}; // 2 rows x 3 columns
        List<byte[]> out = PcTrainer.withShifts(List.of(a), 2, 3);
        assertEquals(5, out.size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, out.get(0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {0, 1, 2, 0, 4, 5}, out.get(1), "right");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {2, 3, 0, 5, 6, 0}, out.get(2), "left");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3}, out.get(3), "down");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {4, 5, 6, 0, 0, 0}, out.get(4), "up");
    }
}
