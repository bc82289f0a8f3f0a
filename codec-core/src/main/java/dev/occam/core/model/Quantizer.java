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
 *   <li>Start from {@code f_i = floor(w_i M / W)} ({@code W = sum w}), raised to the lower bound.</li>
 *   <li>Fix the sum one unit at a time: add to the symbol with the largest gain
 *       {@code 2w/(2f+1)}, or take from the symbol with the smallest loss {@code 2w/(2f-1)}.</li>
 *   <li>Exchange: while the largest gain exceeds the smallest loss, move one unit. Phi is separable
 *       and concave, so when no improving exchange is left the result is its exact optimum.</li>
 * </ol>
 * Comparisons are exact cross-multiplications in long; ties go to the lower symbol index. Two
 * indexed binary heaps make it O(n + (|d| + exchanges) log n).
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
        final int n = w.length;
        final long m = 1L << precisionBits;
        long total = 0;
        for (long v : w) total += v;
        int[] f = new int[n];
        int[] min = new int[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            min[i] = keepAll || w[i] > 0 ? 1 : 0;
            long fi = Math.max(min[i], w[i] * m / total); // floor(x_i), raised to the bound
            f[i] = (int) fi;
            sum += fi;
        }
        Heap gain = new Heap(w, f, min, true);
        Heap loss = new Heap(w, f, min, false);
        for (long d = m - sum; d != 0; ) {
            int s;
            if (d > 0) {
                s = gain.top();
                f[s]++;
                d--;
            } else {
                s = loss.top();
                if (f[s] <= min[s]) throw new IllegalStateException("quantizer: nothing left to take");
                f[s]--;
                d++;
            }
            gain.update(s);
            loss.update(s);
        }
        for (long guard = 4L * n + 64; guard > 0; guard--) { // exchange phase (terminates earlier in practice)
            int a = gain.top();
            int b = loss.top();
            if (a == b || f[b] <= min[b] || w[a] == 0) break;
            // improving iff 2w_a/(2f_a+1) > 2w_b/(2f_b-1)
            if (w[a] * (2L * f[b] - 1) <= w[b] * (2L * f[a] + 1)) break;
            f[a]++;
            f[b]--;
            gain.update(a);
            gain.update(b);
            loss.update(a);
            loss.update(b);
        }
        return f;
    }

    /** Indexed binary heap over all symbols: best gain first (inc) or smallest loss first (!inc). */
    private static final class Heap {
        private final long[] w;
        private final int[] f;
        private final int[] min;
        private final boolean inc;
        private final int[] heap;
        private final int[] pos;

        Heap(long[] w, int[] f, int[] min, boolean inc) {
            this.w = w;
            this.f = f;
            this.min = min;
            this.inc = inc;
            int n = w.length;
            heap = new int[n];
            pos = new int[n];
            for (int i = 0; i < n; i++) {
                heap[i] = i;
                pos[i] = i;
            }
            for (int i = n / 2 - 1; i >= 0; i--) down(i);
        }

        int top() {
            return heap[0];
        }

        void update(int s) {
            up(pos[s]);
            down(pos[s]);
        }

        /** True if a should be served before b. */
        private boolean before(int a, int b) {
            long la;
            long lb;
            if (inc) { // gain w/(2f+1), larger first
                la = w[a] * (2L * f[b] + 1);
                lb = w[b] * (2L * f[a] + 1);
                return la > lb || (la == lb && a < b);
            }
            boolean ta = f[a] > min[a];
            boolean tb = f[b] > min[b];
            if (ta != tb) return ta; // symbols at their lower bound cannot give: last
            if (!ta) return a < b;
            la = w[a] * (2L * f[b] - 1); // loss w/(2f-1), smaller first
            lb = w[b] * (2L * f[a] - 1);
            return la < lb || (la == lb && a < b);
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
