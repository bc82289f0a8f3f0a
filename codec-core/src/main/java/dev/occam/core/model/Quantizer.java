package dev.occam.core.model;

/**
 * Turns non-negative integer weights into integer frequencies that sum to exactly
 * {@code 2^precisionBits}; package-private worker behind {@link Categorical}.
 *
 * <p>Algorithm (integer-only, fixed order, hence bit-reproducible everywhere):
 * <ol>
 *   <li>Ideal share {@code x_i = w_i * M / W} ({@code M = 2^precision}, {@code W = sum w}).
 *       Start from {@code f_i = floor(x_i)}, raised to 1 for every symbol that must stay codable.</li>
 *   <li>The sum now differs from {@code M} by {@code d} (|d| < n). Correct it greedily, one unit at
 *       a time, on the symbol whose change costs the least code length: the cross-entropy
 *       {@code -sum w_i log f_i} is separable and convex, so unit steps by best marginal are
 *       (near-)optimal. The marginals {@code w ln((f+1)/f)} and {@code w ln(f/(f-1))} are approximated
 *       by the rational {@code 2w/(2f+1)} and {@code 2w/(2f-1)} (error O(f^-3)) and compared by
 *       exact cross-multiplication; ties go to the lower symbol index. A binary heap makes this
 *       O(n + |d| log n).</li>
 * </ol>
 * Preconditions (checked by callers): {@code w_i * M < 2^63}, {@code w_i * (2M+1) < 2^63},
 * {@code W > 0}, and the number of symbols that need {@code f >= 1} is at most {@code M}.
 */
final class Quantizer {
    private Quantizer() {
    }

    /**
     * Quantises {@code w} to frequencies summing to {@code 1 << precisionBits}.
     *
     * @param keepAll if true every symbol gets f >= 1; otherwise only symbols with w > 0 do
     */
    static int[] quantize(long[] w, int precisionBits, boolean keepAll) {
        final int n = w.length;
        final long m = 1L << precisionBits;
        long total = 0;
        for (long v : w) total += v;
        int[] f = new int[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long fi = w[i] * m / total; // floor(x_i)
            if (fi == 0 && (keepAll || w[i] > 0)) fi = 1;
            f[i] = (int) fi;
            sum += fi;
        }
        long d = m - sum;
        if (d > 0) {
            increase(w, f, d);
        } else if (d < 0) {
            decrease(w, f, -d);
        }
        return f;
    }

    /** Adds {@code d} units, each to the symbol with the largest gain 2w/(2f+1). */
    private static void increase(long[] w, int[] f, long d) {
        int[] heap = new int[w.length];
        int size = 0;
        for (int i = 0; i < w.length; i++) if (w[i] > 0) heap[size++] = i;
        for (int i = size / 2 - 1; i >= 0; i--) siftDown(heap, size, i, w, f, true);
        while (d-- > 0) {
            int s = heap[0];
            f[s]++;
            siftDown(heap, size, 0, w, f, true);
        }
    }

    /** Removes {@code d} units, each from the symbol (with f >= 2) with the smallest cost 2w/(2f-1). */
    private static void decrease(long[] w, int[] f, long d) {
        int[] heap = new int[w.length];
        int size = 0;
        for (int i = 0; i < w.length; i++) if (f[i] >= 2) heap[size++] = i;
        for (int i = size / 2 - 1; i >= 0; i--) siftDown(heap, size, i, w, f, false);
        while (d-- > 0) {
            if (size == 0) throw new IllegalStateException("quantizer: no frequency left to take");
            int s = heap[0];
            f[s]--;
            if (f[s] < 2) heap[0] = heap[--size];
            siftDown(heap, size, 0, w, f, false);
        }
    }

    /** True if symbol a should be served before b (max gain when increasing, min cost when decreasing). */
    private static boolean before(int a, int b, long[] w, int[] f, boolean inc) {
        long la;
        long lb;
        if (inc) { // w_a/(2f_a+1) > w_b/(2f_b+1)
            la = w[a] * (2L * f[b] + 1);
            lb = w[b] * (2L * f[a] + 1);
            return la > lb || (la == lb && a < b);
        }
        // w_a/(2f_a-1) < w_b/(2f_b-1)
        la = w[a] * (2L * f[b] - 1);
        lb = w[b] * (2L * f[a] - 1);
        return la < lb || (la == lb && a < b);
    }

    private static void siftDown(int[] heap, int size, int i, long[] w, int[] f, boolean inc) {
        int x = heap[i];
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && before(heap[c + 1], heap[c], w, f, inc)) c++;
            if (!before(heap[c], x, w, f, inc)) break;
            heap[i] = heap[c];
            i = c;
        }
        if (size > 0 && i < size) heap[i] = x;
    }
}
