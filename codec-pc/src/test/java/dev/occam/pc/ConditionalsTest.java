package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cached conditionals against brute-force sums over every latent assignment of tiny random HCLTs. */
class ConditionalsTest {
    static PcModel random(int rows, int cols, int k, int[] parent, long seed) {
        Random r = new Random(seed);
        int d = rows * cols;
        double[] prior = dist(r, 1, k);
        double[] trans = dist(r, d * k, k);
        double[] leaf = dist(r, d * k, 256);
        return new PcModel(rows, cols, k, parent, prior, trans, leaf);
    }

    static double[] dist(Random r, int groups, int size) {
        double[] p = new double[groups * size];
        for (int g = 0; g < groups; g++) {
            double s = 0;
            for (int v = 0; v < size; v++) s += p[g * size + v] = 0.01 + Math.pow(r.nextDouble(), 3);
            for (int v = 0; v < size; v++) p[g * size + v] /= s;
        }
        return p;
    }

    /** P(x_S) by summing over all k^D latent assignments; pixels not in mask are marginalised. */
    static double brute(PcModel m, byte[] x, boolean[] mask) {
        int d = m.d;
        int k = m.k;
        int[] z = new int[d];
        double total = 0;
        for (long a = 0; a < Math.round(Math.pow(k, d)); a++) {
            long t = a;
            for (int i = 0; i < d; i++) {
                z[i] = (int) (t % k);
                t /= k;
            }
            double p = 1;
            for (int i = 0; i < d; i++) {
                p *= m.parent[i] < 0 ? m.prior[z[i]] : m.trans[(i * k + z[m.parent[i]]) * k + z[i]];
                if (mask[i]) p *= m.leaf[(i * k + z[i]) * 256 + (x[i] & 0xFF)];
            }
            total += p;
        }
        return total;
    }

    @Test
    void chainOfConditionalsIsTheJointLikelihood() throws Exception {
        int[][] trees = {{-1, 0, 0, 1, 1, 2}, {1, 2, 3, -1, 3, 4}, {5, 0, 1, 2, 3, -1}};
        Random r = new Random(11);
        for (int t = 0; t < trees.length; t++) {
            PcModel m = random(2, 3, 3, trees[t], t);
            Conditionals c = new Conditionals(m);
            for (int rep = 0; rep < 5; rep++) {
                byte[] x = new byte[6];
                r.nextBytes(x);
                boolean[] all = new boolean[6];
                Arrays.fill(all, true);
                double want = -Math.log(brute(m, x, all)) / Math.log(2);
                assertEquals(want, c.nllBits(x, 0), 1e-5 * Math.abs(want)); // float leaf mixture
            }
        }
    }

    @Test
    void partialWindowsCodeTheMarginalAndRoundTrip() throws Exception {
        PcModel m = random(2, 3, 2, new int[] {1, 2, 3, -1, 3, 4}, 5);
        Random r = new Random(12);
        byte[] x = new byte[6];
        r.nextBytes(x);
        int[][] windows = {{0, 6}, {0, 2}, {4, 6}, {3, 4}};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(out);
        Conditionals c = new Conditionals(m);
        double bits = 0;
        for (int[] w : windows) {
            boolean[] mask = new boolean[6];
            for (int i = w[0]; i < w[1]; i++) mask[i] = true;
            bits -= Math.log(brute(m, x, mask)) / Math.log(2);
            c.encode(x, 0, w[0], w[1], enc);
        }
        enc.finish();
        byte[] coded = out.toByteArray();
        // the coded size is the marginal likelihood's information content (plus the coder's few bytes)
        assertTrue(coded.length * 8 >= bits - 1 && coded.length * 8 <= bits + 64, coded.length * 8 + " bits vs " + bits);
        RangeDecoder dec = new RangeDecoder(coded, 0, coded.length);
        Conditionals c2 = new Conditionals(m);
        for (int[] w : windows) {
            byte[] y = new byte[6];
            c2.decode(y, 0, w[0], w[1], dec);
            for (int i = 0; i < 6; i++) assertEquals(i >= w[0] && i < w[1] ? x[i] : 0, y[i]);
        }
    }

    @Test
    void quantisedCdfKeepsEveryValueAndSumsExactly() {
        Random r = new Random(4);
        int[] f = new int[256];
        for (int t = 0; t < 100; t++) {
            float[] p = new float[256];
            for (int v = 0; v < 256; v++) p[v] = t % 3 == 0 && v != t ? 1e-30f : r.nextFloat();
            Conditionals.quantise(p, f);
            long s = 0;
            for (int v = 0; v < 256; v++) {
                assertTrue(f[v] >= 1);
                s += f[v];
            }
            assertEquals(1L << Conditionals.PRECISION, s);
        }
    }
}
