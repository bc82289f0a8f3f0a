package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Layer 1: the language trie round-trips any set of sequences and codes a shared prefix once. */
class TrieTest {
    static int[][] roundTrip(int[][] seqs, java.util.function.Supplier<Walker> walker, double[] bits) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RangeEncoder re = new RangeEncoder(out);
        SymCoder c = SymCoder.encoder(re);
        List<int[]> seenEnc = new ArrayList<>();
        int[] order = TrieCoder.encode(c, seqs, walker.get(), (dfs, t, w) -> seenEnc.add(t), null);
        re.finish();
        if (bits != null) bits[0] = c.bits;
        SymCoder d = SymCoder.decoder(new RangeDecoder(out.toByteArray(), 0, out.size()));
        List<int[]> seenDec = new ArrayList<>();
        int[][] back = TrieCoder.decode(d, seqs.length, walker.get(), (dfs, t, w) -> seenDec.add(t));
        for (int i = 0; i < seqs.length; i++) {
            assertArrayEquals(seqs[order[i]], back[i]);
            assertArrayEquals(seenEnc.get(i), seenDec.get(i));
        }
        return back;
    }

    @Test
    void anySetOfSequencesRoundTripsWithoutAModel() throws Exception {
        Random r = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(12);
            int[][] s = new int[n][];
            for (int i = 0; i < n; i++) {
                if (i > 0 && r.nextInt(3) == 0) { // a prefix or an extension of an earlier one, or a duplicate
                    int[] base = s[r.nextInt(i)];
                    int len = Math.max(1, Math.min(base.length + r.nextInt(5) - 2, 40));
                    s[i] = Arrays.copyOf(base, len);
                    for (int k = base.length; k < len; k++) s[i][k] = r.nextInt(6);
                } else {
                    s[i] = new int[1 + r.nextInt(20)];
                    for (int k = 0; k < s[i].length; k++) s[i][k] = r.nextInt(6);
                }
            }
            int max = 0;
            for (int[] x : s) max = Math.max(max, x.length);
            int mx = max;
            roundTrip(s, () -> new Walker.Adaptive(6, mx), null);
        }
    }

    @Test
    void sessionsSharingAPrefixCostThePrefixOncePlusTheSuffixes() throws Exception {
        KvModel m = Stories.model();
        List<String> texts = Stories.texts();
        int[] prefix = concat(m.startTokens(), m.encode(texts.get(0)));
        String[] endings = {" The end.", " Lily smiled and went home.", " Then it started to rain.", " The dog wagged its tail."};
        int[][] seqs = new int[endings.length][];
        double sumAlone = 0;
        for (int i = 0; i < endings.length; i++) {
            seqs[i] = concat(prefix, m.encode(endings[i]));
            double[] b = new double[1];
            roundTrip(new int[][] {seqs[i]}, () -> new Walker.Lm(m, 512), b);
            sumAlone += b[0];
        }
        double[] prefixBits = new double[1];
        roundTrip(new int[][] {prefix}, () -> new Walker.Lm(m, 512), prefixBits);
        double[] together = new double[1];
        roundTrip(seqs, () -> new Walker.Lm(m, 512), together);
        double suffixes = 0;
        for (int i = 0; i < endings.length; i++) {
            double[] b = new double[1];
            roundTrip(new int[][] {seqs[i]}, () -> new Walker.Lm(m, 512), b);
            suffixes += b[0] - prefixBits[0];
        }
        System.out.printf("prefix %d tokens %.1f bits; %d sessions alone %.1f bits, in one trie %.1f bits, prefix + suffixes %.1f bits%n",
                prefix.length, prefixBits[0], seqs.length, sumAlone, together[0], prefixBits[0] + suffixes);
        assertTrue(together[0] < prefixBits[0] + suffixes + 16 * endings.length,
                "shared prefix coded once: " + together[0] + " vs " + (prefixBits[0] + suffixes));
        assertTrue(together[0] < 0.5 * sumAlone);
        assertTrue(Arrays.mismatch(seqs[0], seqs[1]) >= prefix.length);
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
