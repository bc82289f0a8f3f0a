package dev.occam.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CategoricalTest {

    @Test
    void fromProbabilitiesInvariantsAndNearOptimality() {
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int prec = 1 + rnd.nextInt(24);
            int n = 1 + rnd.nextInt((int) Math.min(5000, 1L << prec));
            double[] p = new double[n];
            for (int i = 0; i < n; i++) p[i] = rnd.nextInt(5) == 0 ? 0 : Math.pow(rnd.nextDouble(), 1 + rnd.nextInt(10));
            p[rnd.nextInt(n)] = 0.5;
            Categorical m = Categorical.fromProbabilities(p, prec);
            checkInvariants(m, "seed " + seed);
            int[] f = m.frequencies();
            for (int i = 0; i < n; i++) assertTrue(f[i] >= 1, "seed " + seed + " symbol " + i);
            // determinism: same input -> same output
            assertArrayEquals(m.cdf(), Categorical.fromProbabilities(p.clone(), prec).cdf(), "seed " + seed);
            // near-optimal: cross-entropy cost within a small margin of the best real-valued
            // allocation q_i = max(p_i, 1/M-ish) constrained to f >= 1 (lower bound: KL >= 0 vs p itself)
            double sum = Arrays.stream(p).sum();
            double kl = 0;
            double slack = 0; // mass that must go to zero-probability symbols: each costs >= 1 slot
            for (int i = 0; i < n; i++) {
                double q = p[i] / sum;
                if (q > 0) kl += q * Math.log(q * (1 << prec) / f[i]) / Math.log(2);
                else slack += 1.0 / (1 << prec);
            }
            // unavoidable: the forced slots; rounding: about n / (8 M^2 q) per symbol -> bounded by n/M bits
            double allowed = 2 * slack / Math.log(2) + 2.0 * n / (1L << prec) + 1e-9;
            assertTrue(kl <= allowed, "seed " + seed + ": KL " + kl + " > " + allowed + " (n=" + n + ", P=" + prec + ")");
        }
    }

    @Test
    void greedyCorrectionMatchesExhaustiveOptimumOnSmallCases() {
        // brute force over all frequency vectors for tiny n and M: the greedy result must cost at
        // most 1e-3 bits more than the exact optimum of -sum p_i log2 f_i subject to f_i >= 1
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            int prec = 2 + rnd.nextInt(4);
            int n = 2 + rnd.nextInt(3);
            if (n > (1 << prec)) n = 1 << prec;
            double[] p = new double[n];
            for (int i = 0; i < n; i++) p[i] = Math.pow(rnd.nextDouble(), 3);
            double sum = Arrays.stream(p).sum();
            int[] f = Categorical.fromProbabilities(p, prec).frequencies();
            double got = cost(p, sum, f);
            double best = bestCost(p, sum, new int[n], 0, 1 << prec);
            assertTrue(got <= best + 1e-3, "seed " + seed + ": " + got + " vs optimum " + best + " " + Arrays.toString(f));
        }
    }

    private static double cost(double[] p, double sum, int[] f) {
        double c = 0;
        for (int i = 0; i < p.length; i++) if (p[i] > 0) c -= p[i] / sum * Math.log(f[i]);
        return c / Math.log(2);
    }

    private static double bestCost(double[] p, double sum, int[] f, int i, int left) {
        if (i == p.length - 1) {
            if (left < 1) return Double.POSITIVE_INFINITY;
            f[i] = left;
            return cost(p, sum, f);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int v = 1; v <= left - (p.length - 1 - i); v++) {
            f[i] = v;
            best = Math.min(best, bestCost(p, sum, f, i + 1, left - v));
        }
        return best;
    }

    @Test
    void floatAndDoubleAgreeAndResultIsReproducible() {
        Random rnd = new Random(42);
        float[] pf = new float[1000];
        double[] pd = new double[1000];
        for (int i = 0; i < pf.length; i++) {
            pf[i] = rnd.nextFloat();
            pd[i] = pf[i];
        }
        assertArrayEquals(Categorical.fromProbabilities(pd, 16).cdf(), Categorical.fromProbabilities(pf, 16).cdf());
        // a small case whose result follows from the algorithm by hand: p = (0.5, 0.25, 0.25, 0) at 2 bits:
        // floors (2, 1, 1, 0->1) sum 5 > 4, take one unit from the cheapest (w/(2f-1): 0.5/3 < 0.25/1) -> (1,1,1,1)
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Categorical.fromProbabilities(new double[] {0.5, 0.25, 0.25, 0}, 2).cdf());
        // (0.7, 0.2, 0.1) at 4 bits: floors (11, 3, 1) sum 15, +1 to max w/(2f+1): 0.7/23=.0304, .2/7=.0286, .1/3=.0333 -> symbol 2
        assertArrayEquals(new int[] {0, 11, 14, 16}, Categorical.fromProbabilities(new double[] {0.7, 0.2, 0.1}, 4).cdf());
    }

    @Test
    void extremeSkewAndLargeVocabulary() {
        Categorical skew = Categorical.fromProbabilities(new double[] {1.0, 1e-30}, 24);
        assertEquals((1 << 24) - 1, skew.freq(0));
        assertEquals(1, skew.freq(1));
        double[] p = new double[1 << 20];
        Random rnd = new Random(1);
        for (int i = 0; i < p.length; i++) p[i] = rnd.nextDouble() < 0.01 ? rnd.nextDouble() * 1000 : rnd.nextDouble() * 1e-6;
        Categorical big = Categorical.fromProbabilities(p, 24);
        checkInvariants(big, "2^20");
        for (int i = 0; i < p.length; i++) assertTrue(big.freq(i) >= 1);
        Categorical full = Categorical.fromProbabilities(new double[1 << 4 == 16 ? 16 : 0].length == 16 ? ones(16) : null, 4);
        for (int i = 0; i < 16; i++) assertEquals(1, full.freq(i));
    }

    private static double[] ones(int n) {
        double[] d = new double[n];
        Arrays.fill(d, 1);
        return d;
    }

    @Test
    void fromFrequenciesKeepsZerosAndNonzeros() {
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            int prec = 8 + rnd.nextInt(17);
            int[] c = new int[1 + rnd.nextInt(300)];
            for (int i = 0; i < c.length; i++) c[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(rnd.nextBoolean() ? 10 : Integer.MAX_VALUE / 400);
            c[0] = 1;
            Categorical m = Categorical.fromFrequencies(c, prec);
            checkInvariants(m, "seed " + seed);
            for (int i = 0; i < c.length; i++) {
                assertEquals(c[i] == 0, m.freq(i) == 0, "seed " + seed + " symbol " + i);
            }
        }
        // exact scaling when possible
        assertArrayEquals(new int[] {0, 4, 12, 16}, Categorical.fromFrequencies(new int[] {1, 2, 1}, 4).cdf());
    }

    @Test
    void uniformAndOfCdfAndLookupTableAgreeWithSearch() {
        Categorical u = Categorical.uniform(3, 4);
        assertArrayEquals(new int[] {0, 6, 11, 16}, u.cdf());
        Random rnd = new Random(3);
        for (int prec : new int[] {4, 12, 16, 17, 24}) {
            double[] p = new double[Math.min(300, 1 << prec)];
            for (int i = 0; i < p.length; i++) p[i] = rnd.nextDouble();
            Categorical a = Categorical.fromProbabilities(p, prec);
            Categorical b = Categorical.ofCdf(a.cdf(), prec);
            for (int k = 0; k < 2000; k++) { // crosses the lazy-table threshold
                int slot = k < 4 ? new int[] {0, (1 << prec) - 1, 1, (1 << prec) - 2}[k] : rnd.nextInt(1 << prec);
                int s = b.symbolForSlot(slot);
                assertTrue(b.cumFreq(s) <= slot && slot < b.cumFreq(s) + b.freq(s), "prec " + prec + " slot " + slot);
            }
        }
        // int-valued slot table: more than 65536 symbols at precision <= 16 (most with count 0)
        int[] counts = new int[70000];
        for (int i = 0; i < counts.length; i += 97) counts[i] = 1 + rnd.nextInt(50);
        counts[69999] = 3;
        Categorical wide = Categorical.fromFrequencies(counts, 14);
        for (int k = 0; k < 3000; k++) {
            int slot = rnd.nextInt(1 << 14);
            int s = wide.symbolForSlot(slot);
            assertTrue(counts[s] > 0 && wide.cumFreq(s) <= slot && slot < wide.cumFreq(s) + wide.freq(s), "slot " + slot);
        }
        assertEquals(69999, wide.symbolForSlot((1 << 14) - 1));
        int[] cdfWithZero = {0, 3, 3, 8};
        Categorical z = Categorical.ofCdf(cdfWithZero, 3);
        for (int k = 0; k < 1000; k++) assertTrue(z.symbolForSlot(k & 7) != 1);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new double[] {0.5, Double.NaN}, 8));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new double[] {0.5, -0.1}, 8));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new double[] {0, 0}, 8));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new double[] {1, Double.POSITIVE_INFINITY}, 8));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new double[0], 8));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new double[17], 4));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new float[] {1f}, 25));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromProbabilities(new double[(1 << 20) + 1], 24));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromFrequencies(new int[] {0, 0}, 8));
        assertThrows(IllegalArgumentException.class, () -> Categorical.fromFrequencies(new int[] {1, -1}, 8));
        assertThrows(IllegalArgumentException.class, () -> Categorical.ofCdf(new int[] {0, 5, 3, 8}, 3));
        assertThrows(IllegalArgumentException.class, () -> Categorical.ofCdf(new int[] {0, 5, 7}, 3));
        assertThrows(IllegalArgumentException.class, () -> Categorical.ofCdf(new int[] {1, 5, 8}, 3));
        assertThrows(IllegalArgumentException.class, () -> Categorical.uniform(0, 3));
    }

    static void checkInvariants(CdfModel m, String msg) {
        int total = 0;
        for (int s = 0; s < m.size(); s++) {
            assertEquals(total, m.cumFreq(s), msg);
            assertTrue(m.freq(s) >= 0, msg);
            total += m.freq(s);
        }
        assertEquals(1 << m.precisionBits(), total, msg + ": sum must be exactly 2^P");
    }
}
