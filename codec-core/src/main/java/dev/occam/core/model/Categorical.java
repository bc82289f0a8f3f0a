package dev.occam.core.model;

import java.util.Arrays;

/**
 * Immutable categorical distribution as an integer CDF: symbol {@code s} owns the slots
 * {@code [cdf[s], cdf[s+1])} of {@code [0, 2^precisionBits)}. Up to {@link CdfModel#MAX_SYMBOLS}
 * symbols at up to {@link CdfModel#MAX_PRECISION} bits.
 *
 * <p>Construction from real-valued probabilities ({@link #fromProbabilities(double[], int)}) is
 * bit-reproducible: the only floating-point steps are one left-to-right double sum and, per
 * symbol, one division and one multiplication by a power of two followed by truncation to a
 * 36-bit fixed-point weight (all exactly specified by IEEE 754 / the JLS); everything after is
 * integer arithmetic in a fixed order (see {@link Quantizer}: floor of the ideal share, then a
 * greedy KL-optimal unit correction so the sum is exact and every symbol keeps frequency >= 1).
 *
 * <p>{@link #symbolForSlot(int)}: binary search over the CDF; for precision <= 16 a slot -> symbol
 * lookup table is built lazily once the model has served 256 look-ups (so throw-away per-step
 * models never pay for the table, and long-lived static models get O(1) look-ups). The table is
 * published through a volatile field, so the class stays thread-safe.
 */
public final class Categorical implements CdfModel {
    private static final int TABLE_MAX_PRECISION = 16;
    private static final int TABLE_AFTER_LOOKUPS = 256;
    /** Fixed-point scale of the weights derived from probabilities: 2^36. */
    private static final double PROB_SCALE = 68719476736.0;

    private final int n;
    private final int precision;
    private final int[] cdf; // n+1 entries, cdf[0]=0, cdf[n]=2^precision
    private volatile Object table; // slot -> symbol as byte[] (n <= 256), char[] (n <= 65536) or int[]; lazy, precision <= 16
    private int lookups; // racy counter; only decides when to build the table

    private Categorical(int[] cdf, int precision) {
        this.n = cdf.length - 1;
        this.precision = precision;
        this.cdf = cdf;
    }

    /**
     * Scales non-negative counts to frequencies summing to exactly {@code 2^precisionBits}
     * (same algorithm as {@link #fromProbabilities(double[], int)}, on the exact integer counts).
     * Every symbol with count > 0 keeps frequency >= 1; count 0 gives frequency 0, so the alphabet
     * may be larger than {@code 2^precisionBits} as long as the nonzero counts fit.
     *
     * @throws IllegalArgumentException on negative counts, all-zero counts, more nonzero counts
     *     than {@code 2^precisionBits}, or sizes/precisions out of range
     */
    public static Categorical fromFrequencies(int[] counts, int precisionBits) {
        checkPrecisionAndSize(counts.length, precisionBits);
        long[] w = new long[counts.length];
        long total = 0;
        int nonzero = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) throw new IllegalArgumentException("negative count " + counts[i] + " at symbol " + i);
            w[i] = counts[i];
            total += counts[i];
            if (counts[i] > 0) nonzero++;
        }
        if (total == 0) throw new IllegalArgumentException("all counts are zero");
        if (nonzero > (1L << precisionBits)) {
            throw new IllegalArgumentException(nonzero + " nonzero counts do not fit in precision " + precisionBits);
        }
        return fromFreqs(Quantizer.quantize(w, precisionBits, false), precisionBits);
    }

    /**
     * Quantises probabilities (need not sum to 1; they are normalised) so that EVERY symbol gets
     * frequency >= 1 and the frequencies sum to exactly {@code 2^precisionBits}; bit-reproducible
     * across JVMs and CPUs (see the class comment for the algorithm).
     *
     * @throws IllegalArgumentException on NaN, infinite or negative entries, a zero sum, an empty
     *     array, {@code n > 2^precisionBits}, {@code n > 2^20} or precision outside 1..24
     */
    public static Categorical fromProbabilities(double[] p, int precisionBits) {
        checkShape(p.length, precisionBits);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double v = p[i];
            if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("bad probability " + v + " at symbol " + i);
            sum += v;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) throw new IllegalArgumentException("probabilities sum to " + sum);
        long[] w = new long[p.length];
        long total = 0;
        for (int i = 0; i < p.length; i++) {
            w[i] = (long) (p[i] / sum * PROB_SCALE); // w_i = trunc(2^36 * p_i / sum), exact IEEE ops
            total += w[i];
        }
        if (total == 0) w[0] = 1; // unreachable for n <= 2^20 (max p_i/sum >= 2^-20); kept defensive
        return fromFreqs(Quantizer.quantize(w, precisionBits, true), precisionBits);
    }

    /** Same as {@link #fromProbabilities(double[], int)} for floats (each widened exactly to double). */
    public static Categorical fromProbabilities(float[] p, int precisionBits) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) d[i] = p[i];
        return fromProbabilities(d, precisionBits);
    }

    /** Uniform distribution over n symbols (frequencies differ by at most 1, lower symbols get the extra). */
    public static Categorical uniform(int n, int precisionBits) {
        checkShape(n, precisionBits);
        int m = 1 << precisionBits;
        int[] cdf = new int[n + 1];
        int base = m / n;
        int extra = m % n;
        for (int i = 0; i < n; i++) cdf[i + 1] = cdf[i] + base + (i < extra ? 1 : 0);
        return new Categorical(cdf, precisionBits);
    }

    /**
     * Wraps a CDF (copied; zero-frequency symbols allowed): {@code cdf.length = n+1}, {@code cdf[0] = 0},
     * {@code cdf[n] = 2^precisionBits}, non-decreasing.
     *
     * @throws IllegalArgumentException if the CDF is malformed
     */
    public static Categorical ofCdf(int[] cdf, int precisionBits) {
        if (cdf.length < 2) throw new IllegalArgumentException("cdf needs at least 2 entries");
        checkPrecisionAndSize(cdf.length - 1, precisionBits);
        if (cdf[0] != 0) throw new IllegalArgumentException("cdf[0] must be 0, got " + cdf[0]);
        if (cdf[cdf.length - 1] != 1 << precisionBits) {
            throw new IllegalArgumentException("cdf[n] must be 2^" + precisionBits + ", got " + cdf[cdf.length - 1]);
        }
        for (int i = 1; i < cdf.length; i++) {
            if (cdf[i] < cdf[i - 1]) throw new IllegalArgumentException("cdf decreases at index " + i);
        }
        return new Categorical(cdf.clone(), precisionBits);
    }

    private static Categorical fromFreqs(int[] f, int precisionBits) {
        int[] cdf = new int[f.length + 1];
        for (int i = 0; i < f.length; i++) cdf[i + 1] = cdf[i] + f[i];
        if (cdf[f.length] != 1 << precisionBits) throw new IllegalStateException("quantizer sum mismatch");
        return new Categorical(cdf, precisionBits);
    }

    private static void checkShape(int n, int precisionBits) {
        checkPrecisionAndSize(n, precisionBits);
        if (n > (1L << precisionBits)) {
            throw new IllegalArgumentException("alphabet size " + n + " exceeds 2^" + precisionBits + " slots");
        }
    }

    private static void checkPrecisionAndSize(int n, int precisionBits) {
        if (precisionBits < 1 || precisionBits > MAX_PRECISION) {
            throw new IllegalArgumentException("precision must be 1.." + MAX_PRECISION + ", got " + precisionBits);
        }
        if (n < 1 || n > MAX_SYMBOLS) throw new IllegalArgumentException("alphabet size must be 1.." + MAX_SYMBOLS + ", got " + n);
    }

    /** A copy of the CDF ({@code size()+1} entries). */
    public int[] cdf() {
        return cdf.clone();
    }

    /** Frequencies as a new array ({@code size()} entries). */
    public int[] frequencies() {
        int[] f = new int[n];
        for (int i = 0; i < n; i++) f[i] = cdf[i + 1] - cdf[i];
        return f;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public int precisionBits() {
        return precision;
    }

    @Override
    public int cumFreq(int symbol) {
        return cdf[symbol];
    }

    @Override
    public int freq(int symbol) {
        return cdf[symbol + 1] - cdf[symbol];
    }

    @Override
    public int symbolForSlot(int slot) {
        Object t = table;
        if (t instanceof byte[]) return ((byte[]) t)[slot] & 0xFF; // the small-alphabet case first
        if (t != null) return t instanceof char[] ? ((char[]) t)[slot] : ((int[]) t)[slot];
        if (precision <= TABLE_MAX_PRECISION && ++lookups > TABLE_AFTER_LOOKUPS) {
            table = buildTable();
        }
        return search(slot);
    }

    /** Largest s with cdf[s] <= slot (then cdf[s+1] > slot, so freq(s) >= 1). */
    private int search(int slot) {
        return CdfSearch.symbolAt(cdf, n, slot);
    }

    /** Slot -> symbol in the narrowest array type (2^P bytes for byte alphabets: L1-resident at P <= 15). */
    private Object buildTable() {
        int m = 1 << precision;
        if (n <= 256) {
            byte[] t = new byte[m];
            for (int s = 0; s < n; s++) Arrays.fill(t, cdf[s], cdf[s + 1], (byte) s);
            return t;
        }
        if (n <= 65536) {
            char[] t = new char[m];
            for (int s = 0; s < n; s++) Arrays.fill(t, cdf[s], cdf[s + 1], (char) s);
            return t;
        }
        int[] t = new int[m];
        for (int s = 0; s < n; s++) Arrays.fill(t, cdf[s], cdf[s + 1], s);
        return t;
    }

    /** Ideal code length of the symbol in bits, {@code precision - log2 freq} (for reports and tests). */
    public double bits(int symbol) {
        return precision - Math.log(freq(symbol)) / Math.log(2);
    }

    @Override
    public String toString() {
        return "Categorical[n=" + n + ", precision=" + precision + "]";
    }
}
