package dev.occam.core.model;

/**
 * Mutable adaptive model over {@code n} symbols: counts that grow with {@link #update(int)},
 * exposed as a CDF with total exactly {@code 2^precisionBits}.
 *
 * <p>Scheme (deterministic, integer-only): each symbol has a count {@code c_i >= 1} (start 1,
 * +{@code increment} per update; when the count total exceeds {@code maxTotal} all counts are
 * halved, rounding up, which keeps them >= 1 and makes the model forget old statistics). The CDF
 * the coders see is rebuilt from the counts every {@code interval} updates: the interval starts at
 * 1 and doubles after each rebuild up to {@code max(256, n/4)}, so early adaptation is fast and the
 * amortised rebuild cost stays O(1)-ish per update. Rebuild: {@code f_i = 1 + floor(c_i (M - n) / C)}
 * ({@code M = 2^precision}, {@code C = sum c}) and the leftover {@code M - sum f} (< n) goes to the
 * symbol with the largest count (lowest index on ties). Every symbol therefore always has
 * {@code freq >= 1}. Between rebuilds the CDF is stale; encoder and decoder see the same sequence
 * of states as long as they call {@code update} identically.
 *
 * <p>Requires {@code 2 <= 2n <= 2^precisionBits}. {@link #symbolForSlot(int)} is a binary search.
 */
public final class AdaptiveFrequencyModel implements CdfModel {
    private final int n;
    private final int precision;
    private final int increment;
    private final int maxTotal;
    private final int maxInterval;
    private final int[] counts;
    private final int[] cdf;
    private long total;
    private int interval = 1;
    private int pending;

    /** Model over n symbols at the given precision with increment 32 and count limit 2^16 (a common default). */
    public AdaptiveFrequencyModel(int n, int precisionBits) {
        this(n, precisionBits, 32, 1 << 16);
    }

    /**
     * @param increment count added per update (>= 1)
     * @param maxTotal count total above which counts are halved (>= 2n and >= 2*increment, <= 2^30)
     */
    public AdaptiveFrequencyModel(int n, int precisionBits, int increment, int maxTotal) {
        if (precisionBits < 2 || precisionBits > MAX_PRECISION) {
            throw new IllegalArgumentException("precision must be 2.." + MAX_PRECISION + ", got " + precisionBits);
        }
        if (n < 1 || n > MAX_SYMBOLS || 2L * n > (1L << precisionBits)) {
            throw new IllegalArgumentException("need 1 <= n <= 2^(precision-1), got n=" + n + " at precision " + precisionBits);
        }
        if (increment < 1 || maxTotal < 2L * n || maxTotal < 2L * increment || maxTotal > (1 << 30)) {
            throw new IllegalArgumentException("bad increment/maxTotal " + increment + "/" + maxTotal);
        }
        this.n = n;
        this.precision = precisionBits;
        this.increment = increment;
        this.maxTotal = maxTotal;
        this.maxInterval = Math.max(256, n / 4);
        this.counts = new int[n];
        this.cdf = new int[n + 1];
        java.util.Arrays.fill(counts, 1);
        this.total = n;
        rebuild();
    }

    /** Records one occurrence of {@code symbol} (call after coding it, identically on both sides). */
    public void update(int symbol) {
        counts[symbol] += increment;
        total += increment;
        if (total > maxTotal) halve();
        if (++pending >= interval) {
            rebuild();
            pending = 0;
            if (interval < maxInterval) interval = Math.min(maxInterval, interval * 2);
        }
    }

    /** The current (raw) count of a symbol. */
    public int count(int symbol) {
        return counts[symbol];
    }

    private void halve() {
        long t = 0;
        for (int i = 0; i < n; i++) {
            counts[i] = (counts[i] + 1) >>> 1; // ceil(c/2) >= 1
            t += counts[i];
        }
        total = t;
    }

    /** f_i = 1 + floor(c_i (M-n) / C); leftover to the most frequent symbol. */
    private void rebuild() {
        final long spare = (1L << precision) - n;
        int best = 0;
        int acc = 0;
        for (int i = 0; i < n; i++) {
            int c = counts[i];
            if (c > counts[best]) best = i;
            cdf[i] = acc;
            acc += 1 + (int) (c * spare / total);
        }
        int leftover = (1 << precision) - acc;
        for (int i = best + 1; i < n; i++) cdf[i] += leftover;
        cdf[n] = 1 << precision;
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
        return CdfSearch.symbolAt(cdf, n, slot);
    }
}
