package dev.occam.kt.solve;

import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Program;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Program search by decomposition (top-down, deductive): a target is explained as an atom
 * (constant run, arithmetic progression up or down with step 1-8, the same wrapping mod 256,
 * a progression taken with jumps), an atom with one substituted value, an arithmetic progression
 * mod c, a concatenation of atoms, runs, periodic pieces and literal pieces (dynamic programming
 * over the cut points), or by inverting a list operation and solving the smaller target
 * recursively: repeat_list (periodic targets, also cut to length), interleave (alternating parts
 * plus a tail), scan_add (differences mod 256), reverse_list, and at the top level every cut into
 * two halves (both solved, or one a transformation of the other sharing its line). Identical
 * sub-programs are written once. Sub-targets are memoised; the
 * recursion depth is bounded and the deadline is checked at every node, so the search returns in
 * time with the best program found; an optional node budget makes the search independent of
 * the machine's speed. The result is always verified by running it; the {@code set_list}
 * fallback is the floor. An exception inside the search or a plan that does not verify is a bug:
 * the fallback is returned and the failure is counted ({@link #failures()}), never hidden.
 * Plans are at most {@link Program#MAX_LINES} lines (deeper trees are not built), so neither the
 * recursion of the search (bounded by the depth) nor the writing of a plan can overflow the stack.
 * Thread-safe (each call has its own state).
 */
public final class SearchSolver implements Solver {
    private static final double LINE = Math.log(25) / Math.log(2);
    private static final double CONCAT_ESTIMATE = LINE + 6;
    /** Deepest recursion accepted (the CLI allows 0..6); it bounds the Java stack the search uses. */
    public static final int MAX_DEPTH = 8;
    private final int maxDepth;
    private final long maxNodes;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong nodes = new AtomicLong();
    private volatile String lastFailure;
    /** Cut points whose halves are both solved recursively (the most promising by quick estimate). */
    private static final int MAX_CUTS = 24;

    /** A solver with recursion depth 3. */
    public SearchSolver() {
        this(3);
    }

    /** A solver with the given recursion depth (0 = atoms and concatenations only), limited by the deadline only. */
    public SearchSolver(int maxDepth) {
        this(maxDepth, Long.MAX_VALUE);
    }

    /**
     * A solver with the given recursion depth and at most {@code maxNodes} search nodes (sub-targets
     * solved, memo hits not counted) per target, besides the deadline. With a far deadline the node
     * budget alone ends the search, so the result does not depend on the machine's speed or load.
     *
     * @throws IllegalArgumentException when maxDepth is outside 0..{@value #MAX_DEPTH} or maxNodes < 1
     */
    public SearchSolver(int maxDepth, long maxNodes) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH) throw new IllegalArgumentException("depth " + maxDepth + " not in 0.." + MAX_DEPTH);
        if (maxNodes < 1) throw new IllegalArgumentException("maxNodes must be >= 1");
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
    }

    /**
     * Searches that failed inside the solver so far: an exception from a heuristic or a plan whose
     * output did not verify. Each is a bug; the target still gets the (correct) fallback program.
     */
    @Override
    public long failures() {
        return failures.get();
    }

    /** The message of the most recent failure (exception class and message, or the target length), or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Search nodes expanded so far over all targets (memo hits not counted). */
    public long nodes() {
        return nodes.get();
    }

    @Override
    public Solution solve(byte[] target, long deadlineNanos) {
        int[] x = new int[target.length];
        for (int i = 0; i < x.length; i++) x[i] = target[i] & 0xFF;
        Plan fallback = Plan.setList(x);
        Plan found = fallback;
        Search search = new Search(deadlineNanos, maxNodes);
        try {
            found = search.solve(x, maxDepth, true);
        } catch (RuntimeException e) {
            // a bug in a heuristic must never cost correctness, but it is counted and reported (failures())
            failures.incrementAndGet();
            lastFailure = e.toString();
            found = fallback;
        } finally {
            nodes.addAndGet(search.nodes);
        }
        Program p = found.toProgram();
        if (found != fallback && !verify(p, target)) {
            failures.incrementAndGet();
            lastFailure = "a plan of " + found.lines + " lines does not output its " + target.length + "-byte target";
            found = fallback;
            p = found.toProgram();
        }
        return new Solution(p, found.bits, found == fallback || found.fn == Fn.SET_LIST, "search");
    }

    static boolean verify(Program p, byte[] target) {
        try {
            return Arrays.equals(Interpreter.run(p), target);
        } catch (KtException e) {
            return false;
        }
    }

    /** State of one search: deadline and memo. */
    private static final class Search {
        private final long deadline;
        private final long maxNodes;
        private final Map<Key, Plan> memo = new HashMap<>();
        long nodes;

        Search(long deadline, long maxNodes) {
            this.deadline = deadline;
            this.maxNodes = maxNodes;
        }

        boolean late() {
            return nodes >= maxNodes || System.nanoTime() > deadline;
        }

        Plan solve(int[] x, int depth, boolean top) {
            Key key = new Key(x, depth);
            Plan m = memo.get(key);
            if (m != null) return m;
            nodes++;
            Plan best = Plan.setList(x);
            best = Plan.best(best, atom(x));
            if (!late() && x.length >= 3) {
                best = Plan.best(best, substituted(x));
                best = Plan.best(best, modulo(x));
                best = Plan.best(best, concatenation(x));
                if (depth > 0) {
                    best = Plan.best(best, periodic(x, depth));
                    if (!late() && x.length >= 4) best = Plan.best(best, interleaved(x, depth));
                    if (!late()) {
                        Plan d = solve(differences(x), depth - 1, false);
                        if (d.fn != Fn.SET_LIST) best = Plan.best(best, Plan.unary(Fn.SCAN_ADD, d));
                    }
                    if (top && !late()) best = Plan.best(best, cut(x, depth));
                    if (top && !late()) {
                        Plan r = solve(reversed(x), depth - 1, false);
                        if (r.fn != Fn.SET_LIST) best = Plan.best(best, Plan.unary(Fn.REVERSE_LIST, r));
                    }
                }
            }
            memo.put(key, best);
            return best;
        }

        /**
         * x = concatenate(a, b) for every cut point: b as a transformation of a (or a of b), sharing
         * the line; then, while time remains, both halves solved recursively for the
         * {@value #MAX_CUTS} cut points with the cheapest quick estimate.
         */
        Plan cut(int[] x, int depth) {
            int n = x.length;
            Plan out = null;
            for (int k = 1; k < n && !late(); k++) {
                int[] a = Arrays.copyOfRange(x, 0, k), b = Arrays.copyOfRange(x, k, n);
                out = Plan.best(out, relatedPair(Fn.CONCATENATE, a, b, depth));
            }
            Integer[] cuts = new Integer[Math.max(0, n - 3)];
            double[] est = new double[n];
            for (int k = 2; k < n - 1; k++) {
                cuts[k - 2] = k;
                est[k] = quick(Arrays.copyOfRange(x, 0, k)) + quick(Arrays.copyOfRange(x, k, n));
            }
            Arrays.sort(cuts, (p, q) -> Double.compare(est[p], est[q]));
            int tried = 0;
            for (Integer k : cuts) {
                if (late() || tried++ >= MAX_CUTS) break;
                Plan a = solve(Arrays.copyOfRange(x, 0, k), depth - 1, false);
                Plan b = solve(Arrays.copyOfRange(x, k, n), depth - 1, false);
                if (a.fn != Fn.SET_LIST || b.fn != Fn.SET_LIST) out = Plan.best(out, Plan.binary(Fn.CONCATENATE, a, b));
            }
            return out;
        }

        /** op(a, b) where one of a, b is a transformation of the other (the shared part is written once), or null. */
        Plan relatedPair(Fn op, int[] a, int[] b, int depth) {
            Plan out = null;
            java.util.function.UnaryOperator<Plan> ab = related(a, b);
            if (ab != null) {
                Plan pa = solve(a, depth - 1, false);
                out = Plan.best(out, Plan.binary(op, pa, ab.apply(pa)));
            }
            java.util.function.UnaryOperator<Plan> ba = related(b, a);
            if (ba != null) {
                Plan pb = solve(b, depth - 1, false);
                out = Plan.best(out, Plan.binary(op, ba.apply(pb), pb));
            }
            return out;
        }

        /**
         * x = interleave(a, b): every split of x into alternating parts plus the longer part's
         * tail is scored by the cheaper of atom and literal for both parts; the two best splits
         * (and the even/odd split) are solved recursively.
         */
        Plan interleaved(int[] x, int depth) {
            int n = x.length;
            int[][] best = new int[3][];
            double[] score = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            for (int m = 1; 2 * m <= n; m++) {
                for (int side = 0; side < 2; side++) {
                    if (side == 1 && 2 * m == n) continue;
                    int[][] ab = split(x, m, side == 0);
                    double c = quick(ab[0]) + quick(ab[1]);
                    int slot = score[0] > c ? 0 : score[1] > c ? 1 : -1;
                    if (slot < 0) continue;
                    if (slot == 0) {
                        score[1] = score[0];
                        best[1] = best[0];
                    }
                    score[slot] = c;
                    best[slot] = new int[] {m, side};
                }
            }
            best[2] = new int[] {n / 2, n % 2 == 0 ? 0 : 0};
            Plan out = null;
            for (int[] b : best) {
                if (b == null || late()) continue;
                int[][] ab = split(x, b[0], b[1] == 0);
                Plan a = solve(ab[0], depth - 1, false);
                Plan c = solve(ab[1], depth - 1, false);
                if (a.fn != Fn.SET_LIST || c.fn != Fn.SET_LIST) out = Plan.best(out, Plan.binary(Fn.INTERLEAVE, a, c));
                out = Plan.best(out, relatedPair(Fn.INTERLEAVE, ab[0], ab[1], depth));
            }
            return out;
        }

        /** x = P repeated (possibly cut): repeat_list(k, solve(P)) or its prefix. */
        Plan periodic(int[] x, int depth) {
            int n = x.length;
            for (int p = 1; p <= n / 2; p++) {
                if (!hasPeriod(x, p)) continue;
                int k = (n + p - 1) / p;
                if (k > Fn.MAX_COUNT) continue;
                Plan unit = solve(Arrays.copyOf(x, p), depth - 1, false);
                Plan rep = Plan.unary(Fn.REPEAT_LIST, unit, k);
                if (n % p == 0) return rep;
                if (n > Fn.MAX_VALUE) return null;
                return Plan.unary(Fn.GET_SUBSEQUENCE_BETWEEN_INDICES, rep, 0, n);
            }
            return null;
        }

        /** Dynamic programming over cut points: segments are literals, atoms and periodic pieces. */
        Plan concatenation(int[] x) {
            int n = x.length;
            double[] cost = new double[n + 1];
            Plan[] seg = new Plan[n + 1];
            int[] next = new int[n + 1];
            // lit[i]: cheapest split when x[i] starts a literal piece, which then extends while cheaper
            for (int i = n - 1; i >= 0; i--) {
                cost[i] = Double.MAX_VALUE;
                double rest;
                for (int j = i + 1; j <= n; j++) {
                    rest = j == n ? 0 : CONCAT_ESTIMATE + cost[j];
                    double c = LINE + 8.0 * (j - i) + rest;
                    if (c < cost[i]) {
                        cost[i] = c;
                        seg[i] = null;
                        next[i] = j;
                    }
                }
                for (int d = -8; d <= 8; d++) {
                    int j = i + 1;
                    while (j < n && x[j] - x[j - 1] == d) j++;
                    for (int e = i + 2; e <= j; e++) {
                        double ac = atomEstimate(x[i], x[e - 1], d, e - i);
                        if (ac == Double.MAX_VALUE) continue;
                        double c = ac + (e == n ? 0 : CONCAT_ESTIMATE + cost[e]);
                        if (c < cost[i]) {
                            cost[i] = c;
                            seg[i] = null;
                            next[i] = -e; // atom marker
                        }
                    }
                }
                for (int p = 2; p <= 8 && i + 2 * p <= n; p++) {
                    int j = i + p;
                    while (j < n && x[j] == x[j - p]) j++;
                    int reps = (j - i) / p;
                    if (reps < 2) continue;
                    int[] unit = Arrays.copyOfRange(x, i, i + p);
                    Plan u = Plan.best(Plan.setList(unit), atom(unit));
                    for (int r = 2; r <= Math.min(reps, Fn.MAX_COUNT); r++) {
                        int e = i + r * p;
                        double c = u.bits + LINE + 5.4 + (e == n ? 0 : CONCAT_ESTIMATE + cost[e]);
                        if (c < cost[i]) {
                            cost[i] = c;
                            seg[i] = Plan.unary(Fn.REPEAT_LIST, u, r);
                            next[i] = e;
                        }
                    }
                }
            }
            Plan acc = null;
            int pieces = 0;
            for (int i = 0; i < n; ) {
                Plan piece;
                int j;
                if (seg[i] != null) {
                    piece = seg[i];
                    j = next[i];
                } else if (next[i] < 0) {
                    j = -next[i];
                    piece = atom(Arrays.copyOfRange(x, i, j));
                    if (piece == null) piece = Plan.setList(Arrays.copyOfRange(x, i, j));
                } else {
                    j = next[i];
                    piece = Plan.setList(Arrays.copyOfRange(x, i, j));
                }
                acc = acc == null ? piece : Plan.binary(Fn.CONCATENATE, acc, piece);
                if (acc == null) return null; // longer than a program may be
                pieces++;
                i = j;
            }
            return pieces >= 2 ? acc : null;
        }

        /** Estimated bits of an atom covering a progression first..last with step d and length len (MAX_VALUE: none). */
        static double atomEstimate(int first, int last, int d, int len) {
            if (d == 0) return len <= Fn.MAX_COUNT ? LINE + 8 + 4.32 : Double.MAX_VALUE;
            if (d == 1 || d == -1) return LINE + 16 + (d < 0 ? LINE + 1 : 0);
            int hi = Math.max(first, last);
            if (hi + 1 > Fn.MAX_VALUE) return Double.MAX_VALUE;
            return LINE + 19 + (d < 0 ? LINE + 1 : 0);
        }
    }

    /** An atom: a constant run or an arithmetic progression (exact, wrapping mod 256, or with jumps), or null. */
    static Plan atom(int[] x) {
        int n = x.length;
        if (n < 2) return null;
        int d = x[1] - x[0];
        boolean exact = true;
        for (int i = 2; i < n && exact; i++) exact = x[i] - x[i - 1] == d;
        if (exact) {
            Plan p = exactProgression(x[0], d, n);
            if (p != null) return p;
        }
        int dm = (x[1] - x[0]) & 255;
        for (int i = 2; i < n; i++) if (((x[i] - x[i - 1]) & 255) != dm) return null;
        // wrapping progression: add_item_list(progression from 0, first value)
        int step = dm <= 128 ? dm : dm - 256;
        if (step == 0) return null;
        long span = (long) Math.abs(step) * (n - 1);
        if (span > 254) return null;
        Plan base = step > 0 ? exactProgression(0, step, n) : exactProgression((int) span, step, n);
        if (base == null) return null;
        int shift = step > 0 ? x[0] : (x[0] - (int) span) & 255;
        return shift == 0 ? base : Plan.unary(Fn.ADD_ITEM_LIST, base, shift);
    }

    /** first, first+d, ... (n values, exact integers in 0..255), or null when no atom writes it. */
    static Plan exactProgression(int first, int d, int n) {
        long last = first + (long) d * (n - 1);
        if (first < 0 || first > 255 || last < 0 || last > 255) return null;
        if (d == 0) {
            if (n <= Fn.MAX_COUNT) return Plan.leaf(Fn.REPEAT_NUM, n, first);
            for (int k = 2; k <= Fn.MAX_COUNT; k++) {
                if (n % k == 0 && n / k <= Fn.MAX_COUNT) return Plan.unary(Fn.REPEAT_LIST, Plan.leaf(Fn.REPEAT_NUM, n / k, first), k);
            }
            return null;
        }
        if (d < 0) {
            Plan up = exactProgression((int) last, -d, n);
            return up == null ? null : Plan.unary(Fn.REVERSE_LIST, up);
        }
        if (d == 1) return Plan.leaf(Fn.RANGE_FUNC_UP, first, (int) last);
        if (d <= Fn.MAX_STEP) return last + 1 <= 255 ? Plan.leaf(Fn.RANGE_FUNC_INTERVAL, first, (int) last + 1, d) : null;
        // larger steps: every k-th element of a progression with step d/k
        for (int k = 2; k <= Fn.MAX_STEP; k++) {
            if (d % k != 0 || d / k > Fn.MAX_STEP) continue;
            int s = d / k;
            int end = (int) last + 1;
            if (end > 255) return null;
            Plan base = s == 1 ? Plan.leaf(Fn.RANGE_FUNC_UP, first, (int) last) : Plan.leaf(Fn.RANGE_FUNC_INTERVAL, first, end, s);
            return Plan.unary(Fn.GET_SUBSEQUENCE_WITH_JUMPS, base, k);
        }
        return null;
    }

    /** A progression in which every occurrence of one value p was replaced by r: substitute(progression, p, r). */
    static Plan substituted(int[] x) {
        int n = x.length;
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}, {n - 2, n - 1}, {n - 3, n - 1}, {0, n - 1}};
        Plan best = null;
        for (int[] pr : pairs) {
            int i = pr[0], j = pr[1];
            if (i < 0 || i >= j) continue;
            int diff = x[j] - x[i];
            if (diff % (j - i) != 0) continue;
            int d = diff / (j - i);
            if (d == 0) continue;
            int first = x[i] - d * i;
            int p = -1, r = -1;
            boolean ok = true;
            int mismatches = 0;
            for (int k = 0; k < n && ok; k++) {
                int v = first + d * k;
                if (v == x[k]) continue;
                mismatches++;
                if (p < 0) {
                    p = v;
                    r = x[k];
                } else {
                    ok = v == p && x[k] == r;
                }
            }
            if (!ok || mismatches == 0 || p < 0 || p > 255) continue;
            Plan base = exactProgression(first, d, n);
            if (base == null) continue;
            best = Plan.best(best, Plan.unary(Fn.SUBSTITUTE, base, p, r));
        }
        return best;
    }

    /** An exact progression taken mod c: modulo_item_list(progression, c). */
    static Plan modulo(int[] x) {
        int n = x.length;
        int d = -1;
        int max = 0;
        for (int v : x) max = Math.max(max, v);
        for (int i = 1; i < n; i++) {
            int g = x[i] - x[i - 1];
            if (g > 0) {
                if (d < 0) d = g;
                else if (g != d) return null;
            }
        }
        if (d <= 0) return null;
        int c = -1;
        for (int i = 1; i < n; i++) {
            int g = x[i] - x[i - 1];
            if (g == d) continue;
            int cc = d - g;
            if (c < 0) c = cc;
            else if (cc != c) return null;
        }
        if (c <= max || c > 255) return null;
        Plan base = exactProgression(x[0], d, n);
        return base == null ? null : Plan.unary(Fn.MODULO_ITEM_LIST, base, c);
    }

    /**
     * How b follows from a by one list operation (reverse, add a constant mod 256, a slice, every
     * k-th element, running sums, the n largest or smallest, a filter), or null.
     */
    static java.util.function.UnaryOperator<Plan> related(int[] a, int[] b) {
        int n = a.length, m = b.length;
        if (n == 0 || m == 0) return null;
        if (m == n) {
            if (Arrays.equals(b, reversed(a))) return p -> Plan.unary(Fn.REVERSE_LIST, p);
            int c = (b[0] - a[0]) & 255;
            boolean shift = c != 0;
            for (int i = 1; i < n && shift; i++) shift = ((b[i] - a[i]) & 255) == c;
            if (shift) return p -> Plan.unary(Fn.ADD_ITEM_LIST, p, c);
            int[] sums = new int[n];
            int acc = 0;
            for (int i = 0; i < n; i++) sums[i] = acc = (acc + a[i]) & 255;
            if (Arrays.equals(sums, b)) return p -> Plan.unary(Fn.SCAN_ADD, p);
        }
        if (m < n && n <= 255) {
            for (int s = 0; s + m <= n; s++) {
                if (Arrays.equals(a, s, s + m, b, 0, m)) {
                    int from = s;
                    return p -> Plan.unary(Fn.GET_SUBSEQUENCE_BETWEEN_INDICES, p, from, from + m);
                }
            }
        }
        if (m < n) {
            for (int k = 2; k <= Fn.MAX_STEP; k++) {
                if ((n + k - 1) / k != m) continue;
                boolean ok = true;
                for (int i = 0; i < m && ok; i++) ok = b[i] == a[i * k];
                if (ok) {
                    int step = k;
                    return p -> Plan.unary(Fn.GET_SUBSEQUENCE_WITH_JUMPS, p, step);
                }
            }
        }
        if (m <= n && m <= 255) {
            int[] sorted = a.clone();
            Arrays.sort(sorted);
            if (Arrays.equals(sorted, n - m, n, b, 0, m)) return p -> Plan.unary(Fn.MAX_N, p, m);
            if (Arrays.equals(sorted, 0, m, b, 0, m)) return p -> Plan.unary(Fn.MIN_N, p, m);
        }
        if (m < n) {
            for (dev.occam.kt.dsl.Pred pr : dev.occam.kt.dsl.Pred.values()) {
                int k = 0;
                boolean ok = true;
                for (int i = 0; i < n && ok; i++) {
                    if (!pr.test(a[i])) continue;
                    ok = k < m && b[k++] == a[i];
                }
                if (ok && k == m) return p -> Plan.unary(Fn.FILTER, p, pr.ordinal());
            }
        }
        return null;
    }

    /** Bits of the cheaper of atom and literal for x. */
    static double quick(int[] x) {
        Plan a = atom(x);
        double lit = LINE + 8.0 * x.length;
        return a == null ? lit : Math.min(lit, a.bits);
    }

    /**
     * The two lists whose interleaving is x when the shorter one has m elements: with
     * {@code aLonger} a gets x[0], x[2], ..., x[2m-2] and the tail x[2m..], b gets x[1], ..., x[2m-1];
     * otherwise a gets the m even positions and b the odd ones plus the tail.
     */
    static int[][] split(int[] x, int m, boolean aLonger) {
        int n = x.length;
        int tail = n - 2 * m;
        int[] a = new int[m + (aLonger ? tail : 0)];
        int[] b = new int[m + (aLonger ? 0 : tail)];
        for (int i = 0; i < m; i++) {
            a[i] = x[2 * i];
            b[i] = x[2 * i + 1];
        }
        if (aLonger) System.arraycopy(x, 2 * m, a, m, tail);
        else System.arraycopy(x, 2 * m, b, m, tail);
        return new int[][] {a, b};
    }

    static boolean hasPeriod(int[] x, int p) {
        for (int i = p; i < x.length; i++) if (x[i] != x[i - p]) return false;
        return true;
    }

    static int[] every(int[] x, int start) {
        int[] r = new int[(x.length - start + 1) / 2];
        for (int i = 0; i < r.length; i++) r[i] = x[start + 2 * i];
        return r;
    }

    static int[] differences(int[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) r[i] = i == 0 ? x[0] : (x[i] - x[i - 1]) & 255;
        return r;
    }

    static int[] reversed(int[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[x.length - 1 - i];
        return r;
    }

    private record Key(int[] x, int depth) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.depth == depth && Arrays.equals(k.x, x);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(x) * 31 + depth;
        }
    }
}
