package dev.occam.core.model;

/**
 * Turns non-negative integer weights into integer frequencies that sum to exactly
 * {@code 2^precisionBits}; package-private worker behind {@link Categorical}.
 *
 * <p>Algorithm (integer-only, fixed order, hence bit-reproducible everywhere). It maximises
 * {@code Phi(f) = sum_i w_i g(f_i)} subject to {@code sum f = M = 2^precision} and the lower bounds
 * {@code f_i >= 1} (for every symbol that must stay codable), where
 * {@code g(f) = sum_{k<f} 2/(2k+1)} is a rational stand-in for {@code ln f}
 * ({@code g(f+1) - g(f) = 2/(2f+1)} vs {@code ln((f+1)/f)}, error O(f^-3)). Maximising
 * {@code sum w_i ln f_i} is minimising the code length (KL divergence) of data distributed as w.
 * <ol>
 *   <li>Start from the water-filling solution of the continuous problem: symbols whose share
 *       {@code lambda w_i} would fall below 1 are pinned at their lower bound, the others get
 *       {@code round(lambda w_i)} (the per-symbol optimum of the surrogate below) with {@code lambda = (M - pinned) / (weight of the others)}
 *       (iterated until the pinned set is stable; capped at 64 passes).</li>
 *   <li>Fix the sum one unit at a time: add to the symbol with the largest gain
 *       {@code 2w/(2f+1)}, or take from the symbol with the smallest loss {@code 2w/(2f-1)}.</li>
 *   <li>Exchange: while the largest gain exceeds the smallest loss, move one unit. Phi is separable
 *       and concave, so when no improving exchange is left the result is its exact optimum.</li>
 * </ol>
 * Comparisons are exact cross-multiplications in long; ties go to the lower symbol index. Two
 * indexed binary heaps over the positive-weight symbols make it O(n + (|d| + exchanges) log n);
 * from the water-filling start |d| is below the number of unpinned symbols and the exchanges are few.
 * Preconditions (checked by callers): {@code w_i * M < 2^62}, {@code w_i * (2M+1) < 2^62},
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
        return quantize(w, precisionBits, keepAll, SCAN_WORK);
    }

    /** As above with an explicit scan budget (tests use it to check that scans and heaps agree). */
    static int[] quantize(long[] w, int precisionBits, boolean keepAll, int scanWork) {
        final int n = w.length;
        final long m = 1L << precisionBits;
        long total = 0;
        for (long v : w) total += v;
        int[] f = new int[n];
        int[] min = new int[n];
        boolean[] small = new boolean[n];
        long forced = 0; // symbols pinned at their lower bound
        long rest = total; // weight of the others
        for (int i = 0; i < n; i++) {
            min[i] = keepAll || w[i] > 0 ? 1 : 0;
            if (w[i] == 0) {
                small[i] = true;
                forced += min[i];
            }
        }
        // water-filling start: f_i = max(1, lambda w_i) with lambda = (M - forced) / rest; pinning a
        // symbol lowers lambda, so iterate until no new symbol drops below 1 (a few passes in practice)
        for (int pass = 0; pass < 64; pass++) {
            long budget = m - forced;
            long newForced = forced;
            long newRest = rest;
            for (int i = 0; i < n; i++) {
                if (!small[i] && w[i] * budget < rest) { // lambda w_i < 1
                    small[i] = true;
                    newForced++;
                    newRest -= w[i];
                }
            }
            if (newForced == forced) break;
            forced = newForced;
            rest = newRest;
        }
        final long budget = m - forced;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long fi = small[i] || rest <= 0 ? min[i] : Math.max(min[i], (2 * w[i] * budget + rest) / (2 * rest)); // round(lambda w_i)
            f[i] = (int) fi;
            sum += fi;
        }
        // unit steps, each on the best symbol by the exact orders below; per side, the first
        // max(1, 2^14 / n) look-ups are linear scans (cheap for the usual small |d|), then an indexed
        // heap takes over. Both pick the same symbol, so the result does not depend on which was used.
        Heap gain = null;
        Heap loss = null;
        int gainScans = 0;
        int lossScans = 0;
        long d = m - sum;
        final int scanSteps = Math.max(1, scanWork / n);
        for (long step = 0, guard = 4L * n + 64 + Math.abs(d); step < guard; step++) {
            int a = -1;
            int b = -1;
            if (d >= 0) {
                if (gain == null && gainScans == scanSteps) gain = new Heap(w, f, min, true);
                if (gain != null) {
                    a = gain.top();
                } else {
                    a = scan(w, f, min, true);
                    gainScans++;
                }
            }
            if (d <= 0) {
                if (loss == null && lossScans == scanSteps) loss = new Heap(w, f, min, false);
                if (loss != null) {
                    b = loss.top();
                } else {
                    b = scan(w, f, min, false);
                    lossScans++;
                }
                if (b >= 0 && f[b] <= min[b]) b = -1; // nobody can give
            }
            if (d > 0) {
                if (a < 0) throw new IllegalStateException("quantizer: no positive weight");
                d--;
            } else if (d < 0) {
                if (b < 0) throw new IllegalStateException("quantizer: nothing left to take");
                d++;
            } else { // exchange iff 2w_a/(2f_a+1) > 2w_b/(2f_b-1)
                if (a < 0 || b < 0 || a == b || w[a] * (2L * f[b] - 1) <= w[b] * (2L * f[a] + 1)) break;
            }
            if (a >= 0) {
                f[a]++;
                if (gain != null) gain.update(a);
                if (loss != null) loss.update(a);
            }
            if (b >= 0) {
                f[b]--;
                if (gain != null) gain.update(b);
                if (loss != null) loss.update(b);
            }
        }
        return f;
    }

    /** Linear scans cost n per step: allow about this much scanning work before building the heaps. */
    private static final int SCAN_WORK = 1 << 14;

    /** Best symbol by linear scan: largest gain (inc) or smallest loss among those above their bound (!inc); -1 if none. */
    private static int scan(long[] w, int[] f, int[] min, boolean inc) {
        int best = -1;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0 || (!inc && f[i] <= min[i])) continue;
            if (best < 0 || (inc ? gainBefore(i, best, w, f) : lossBefore(i, best, w, f, min))) best = i;
        }
        return best;
    }

    /** Gain order: 2w_a/(2f_a+1) > 2w_b/(2f_b+1), ties to the lower index. */
    static boolean gainBefore(int a, int b, long[] w, int[] f) {
        long la = w[a] * (2L * f[b] + 1);
        long lb = w[b] * (2L * f[a] + 1);
        return la > lb || (la == lb && a < b);
    }

    /** Loss order: symbols above their bound first, then 2w_a/(2f_a-1) < 2w_b/(2f_b-1), ties to the lower index. */
    static boolean lossBefore(int a, int b, long[] w, int[] f, int[] min) {
        boolean ta = f[a] > min[a];
        boolean tb = f[b] > min[b];
        if (ta != tb) return ta;
        if (!ta) return a < b;
        long la = w[a] * (2L * f[b] - 1);
        long lb = w[b] * (2L * f[a] - 1);
        return la < lb || (la == lb && a < b);
    }

    /** Indexed binary heap over all symbols: best gain first (inc) or smallest loss first (!inc). */
    private static final class Heap {
        private final long[] w;
        private final int[] f;
        private final int[] min;
        private final boolean inc;
        private final int[] heap;
        private final int[] pos;
        final int size;

        Heap(long[] w, int[] f, int[] min, boolean inc) {
            this.w = w;
            this.f = f;
            this.min = min;
            this.inc = inc;
            // candidates: positive weight (gain heap) / above the lower bound or able to get there (loss heap)
            int n = w.length;
            int k = 0;
            for (int i = 0; i < n; i++) if (w[i] > 0) k++;
            heap = new int[k];
            pos = new int[n];
            java.util.Arrays.fill(pos, -1);
            k = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] > 0) {
                    heap[k] = i;
                    pos[i] = k++;
                }
            }
            size = k;
            for (int i = k / 2 - 1; i >= 0; i--) down(i);
        }

        int top() {
            return heap[0];
        }

        void update(int s) {
            if (pos[s] < 0) return; // zero weight: never gains, and (from fromProbabilities) sits at f = 1
            up(pos[s]);
            down(pos[s]);
        }

        /** True if a should be served before b. */
        private boolean before(int a, int b) {
            return inc ? gainBefore(a, b, w, f) : lossBefore(a, b, w, f, min);
        }

        private void up(int i) {
            int x = heap[i];
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(x, heap[parent])) break;
                set(i, heap[parent]);
                i = parent;
            }
            set(i, x);
        }

        private void down(int i) {
            int n = heap.length;
            int x = heap[i];
            while (true) {
                int c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && before(heap[c + 1], heap[c])) c++;
                if (!before(heap[c], x)) break;
                set(i, heap[c]);
                i = c;
            }
            set(i, x);
        }

        private void set(int i, int s) {
            heap[i] = s;
            pos[s] = i;
        }
    }
}
