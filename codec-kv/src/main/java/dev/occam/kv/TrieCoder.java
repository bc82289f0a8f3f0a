package dev.occam.kv;

import dev.occam.core.CorruptInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layer 1: all sessions' token sequences as one radix tree (language trie), coded depth first.
 *
 * <p>A node at depth d (its path = a common prefix of length d) codes {@code e} = sessions that end
 * there and {@code c} = child edges (each Elias gamma of count + 1 with adaptive bits), then each
 * child edge in increasing order of its first token: the edge's tokens, each coded with the prior's
 * distribution at its position, and STOP (a reserved symbol with 2^-12 of the prior's mass); then
 * the child node. A prefix shared by k sessions is coded once; each token costs its surprisal
 * -log2 P_M(t | path) plus ~2^-12 * log2(e) bits for "not STOP". Sessions are visited in
 * lexicographic order of their tokens (ends before children): the DFS order.
 */
final class TrieCoder {
    private TrieCoder() {
    }

    /** Sees each session when the walk reaches its end (the walker then holds its whole path). */
    interface EndListener {
        void end(int dfsIndex, int[] tokens, Walker w) throws IOException;
    }

    /**
     * Codes the sequences; returns their DFS order (indices into {@code seqs}). {@code pathBits[i]}
     * receives, for session i, the cumulative token bits at each depth 0..len (may be null).
     */
    static int[] encode(SymCoder c, int[][] seqs, Walker w, EndListener l, double[][] pathBits) throws IOException {
        int[] order = lexicographicOrder(seqs);
        int maxLen = 0;
        for (int[] s : seqs) maxLen = Math.max(maxLen, s.length);
        Enc e = new Enc(c, seqs, order, w, l, new double[maxLen + 1], pathBits);
        e.node(0, 0, order.length);
        return order;
    }

    /** Indices of the sequences in lexicographic order (a proper prefix first; stable): the DFS order of the trie. */
    static int[] lexicographicOrder(int[][] seqs) {
        Integer[] o = new Integer[seqs.length];
        for (int i = 0; i < o.length; i++) o[i] = i;
        Arrays.sort(o, (a, b) -> Arrays.compare(seqs[a], seqs[b]));
        int[] order = new int[o.length];
        for (int i = 0; i < o.length; i++) order[i] = o[i];
        return order;
    }

    private static final class Enc {
        final SymCoder c;
        final int[][] seqs;
        final int[] order;
        final Walker w;
        final EndListener l;
        final double[] path;
        final double[][] pathBits;
        final int[] pe = SymCoder.probs(32);
        final int[] pc = SymCoder.probs(32);
        int dfs;

        Enc(SymCoder c, int[][] seqs, int[] order, Walker w, EndListener l, double[] path, double[][] pathBits) {
            this.c = c;
            this.seqs = seqs;
            this.order = order;
            this.w = w;
            this.l = l;
            this.path = path;
            this.pathBits = pathBits;
        }

        void node(int d, int lo, int hi) throws IOException {
            int e = 0;
            while (lo + e < hi && seqs[order[lo + e]].length == d) e++;
            List<int[]> groups = new ArrayList<>();
            for (int a = lo + e; a < hi; ) {
                int t = seqs[order[a]][d];
                int b = a + 1;
                while (b < hi && seqs[order[b]][d] == t) b++;
                groups.add(new int[] {a, b});
                a = b;
            }
            c.gamma(e + 1, pe, 0);
            c.gamma(groups.size() + 1, pc, 0);
            for (int i = 0; i < e; i++) {
                int s = order[lo + i];
                if (pathBits != null) pathBits[s] = Arrays.copyOf(path, d + 1);
                l.end(dfs++, seqs[s], w);
            }
            for (int[] g : groups) {
                int[] first = seqs[order[g[0]]];
                int[] last = seqs[order[g[1] - 1]];
                int end = Arrays.mismatch(first, last);
                if (end < 0) end = first.length;
                for (int pos = d; pos < end; pos++) {
                    double before = c.bits;
                    int t = first[pos];
                    c.symbol(t, w.predict());
                    w.coded(t);
                    path[pos + 1] = path[pos] + (c.bits - before);
                    w.push(t);
                }
                int stop = w.vocabulary();
                c.symbol(stop, w.predict());
                w.coded(stop);
                node(end, g[0], g[1]);
                w.truncate(d);
            }
        }
    }

    /** Decodes {@code n} sequences; returns them in DFS order. */
    static int[][] decode(SymCoder c, int n, Walker w, EndListener l) throws IOException {
        Dec d = new Dec(c, n, w, l);
        d.node(0);
        if (d.out.size() != n) throw new CorruptInputException(-1, "kv: the trie holds " + d.out.size() + " sessions, the header says " + n);
        return d.out.toArray(new int[0][]);
    }

    private static final class Dec {
        final SymCoder c;
        final int n;
        final Walker w;
        final EndListener l;
        final int[] pe = SymCoder.probs(32);
        final int[] pc = SymCoder.probs(32);
        final List<int[]> out = new ArrayList<>();
        int[] path = new int[64];

        Dec(SymCoder c, int n, Walker w, EndListener l) {
            this.c = c;
            this.n = n;
            this.w = w;
            this.l = l;
        }

        void node(int d) throws IOException {
            long e = c.gamma(1, pe, 0) - 1;
            long k = c.gamma(1, pc, 0) - 1;
            if (e > n - out.size() || k > w.vocabulary() || (d == 0 && e > 0) || (d > 0 && e == 0 && k == 0)) {
                throw new CorruptInputException(-1, "kv: bad trie node at depth " + d);
            }
            for (int i = 0; i < e; i++) {
                int[] s = Arrays.copyOf(path, d);
                out.add(s);
                l.end(out.size() - 1, s, w);
            }
            int prevFirst = -1;
            for (int i = 0; i < k; i++) {
                int pos = d;
                while (true) {
                    int sym = c.symbol(0, w.predict());
                    w.coded(sym);
                    if (sym == w.vocabulary()) break;
                    if (pos == d) {
                        if (sym <= prevFirst) throw new CorruptInputException(-1, "kv: trie children out of order at depth " + d);
                        prevFirst = sym;
                    }
                    if (pos >= w.maxDepth()) throw new CorruptInputException(-1, "kv: trie path longer than " + w.maxDepth() + " tokens");
                    if (pos == path.length) path = Arrays.copyOf(path, path.length * 2);
                    path[pos++] = sym;
                    w.push(sym);
                }
                if (pos == d) throw new CorruptInputException(-1, "kv: empty trie edge at depth " + d);
                node(pos);
                w.truncate(d);
            }
        }
    }
}
