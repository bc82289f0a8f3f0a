package dev.occam.kt.score;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Pred;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.dsl.Stmt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Our coded prior: programs arithmetic-coded over their syntax tree with adaptive binary models
 * (16-bit probabilities, shift-5 updates), so the cost of a program is what the range coder
 * really spends. The models adapt across the programs coded with one instance (a dataset is
 * coded as one stream); a fresh instance starts from uniform.
 *
 * <p>Per program: the line count - 1 (adaptive Elias-gamma); per line the function (5-bit binary
 * tree, context: the previous line's function, and whether it is the output line); then the
 * arguments: a reference as its distance back - 1 (adaptive gamma, not coded when only one line
 * precedes); values with 8-bit trees per (function, argument) context, the second bound of
 * range_func_up / range_func_interval / get_subsequence_between_indices as its difference from the
 * first mod 256; steps and counts with 3- and 5-bit trees per function; predicates with a 2-bit
 * tree; set_list lengths with adaptive gamma and elements with an 8-bit tree whose context is
 * whether the element equals its predecessor plus one step of the running difference.
 *
 * <p>Instances are not thread-safe; encoder and decoder must code the same programs in the same order.
 */
public final class CodedPrior {
    private static final int SHIFT = 5;
    private static final int START = Fn.count(); // "no previous line" context

    private final short[][] fnTree = new short[(START + 1) * 2][32];
    private final Gamma lines = new Gamma();
    private final Gamma refs = new Gamma();
    private final Gamma listLen = new Gamma();
    private final short[][] valueTree = new short[Fn.count() * 3][256];
    private final short[][] stepTree = new short[Fn.count()][8];
    private final short[][] countTree = new short[Fn.count()][32];
    private final short[] predTree = new short[4];
    private final short[] listFirst = new short[256];
    private final short[] listSame = new short[2];
    private final short[] listDelta = new short[2];
    private final short[] listRest = new short[256];

    /** A prior with every model at its uniform start. */
    public CodedPrior() {
        for (short[] t : fnTree) init(t);
        for (short[] t : valueTree) init(t);
        for (short[] t : stepTree) init(t);
        for (short[] t : countTree) init(t);
        init(predTree);
        init(listFirst);
        init(listSame);
        init(listDelta);
        init(listRest);
    }

    private static void init(short[] t) {
        java.util.Arrays.fill(t, (short) 32768);
    }

    /** Writes {@code p} to {@code enc} and adapts. */
    public void encode(Program p, RangeEncoder enc) throws IOException {
        code(new BitIo.Enc(enc), p);
    }

    /**
     * Reads one program from {@code dec} and adapts.
     *
     * @throws CorruptInputException when the bits do not describe a valid program
     */
    public Program decode(RangeDecoder dec) throws IOException {
        return code(new BitIo.Dec(dec), null);
    }

    /** The bits {@code p} costs now (ideal code length, -log2 of the model probabilities), and adapts as if coded. */
    public double cost(Program p) {
        BitIo.Cost c = new BitIo.Cost();
        try {
            code(c, p);
        } catch (IOException e) {
            throw new AssertionError(e); // the meter does no I/O
        }
        return c.bits;
    }

    /** Bits of {@code p} under a fresh prior (no adaptation from earlier programs). */
    public static double freshCost(Program p) {
        return new CodedPrior().cost(p);
    }

    private Program code(BitIo io, Program p) throws IOException {
        boolean dec = io.decoding();
        int n = (int) Math.min(Integer.MAX_VALUE, lines.code(io, dec ? 0 : p.size() - 1, 0) + 1);
        if (n > Program.MAX_LINES) throw new CorruptInputException(-1, "program of " + n + " lines");
        List<Stmt> out = dec ? new ArrayList<>(n) : null;
        int prev = START;
        for (int i = 0; i < n; i++) {
            Stmt s = dec ? null : p.line(i);
            boolean last = i == n - 1;
            int f = tree(io, fnTree[prev * 2 + (last ? 1 : 0)], 5, dec ? 0 : s.fn().ordinal());
            if (f >= Fn.count()) throw new CorruptInputException(-1, "function code " + f);
            Fn fn = Fn.of(f);
            if (fn == Fn.SET_LIST) {
                int len = (int) Math.min(Integer.MAX_VALUE, listLen.code(io, dec ? 0 : s.listLength(), 0));
                if (len > Program.MAX_LIST) throw new CorruptInputException(-1, "set_list of " + len + " values");
                int[] v = new int[len];
                for (int k = 0; k < len; k++) v[k] = listValue(io, dec ? 0 : s.listValue(k), k, v);
                if (dec) out.add(Stmt.setList(v));
            } else {
                int[] a = new int[fn.arity()];
                for (int k = 0; k < fn.arity(); k++) {
                    int x = dec ? 0 : s.arg(k);
                    switch (fn.arg(k)) {
                        case REF -> {
                            if (i == 0) throw new CorruptInputException(-1, "reference on the first line");
                            int d = i == 1 ? 1 : (int) Math.min(Integer.MAX_VALUE, refs.code(io, dec ? 0 : i - x - 1, 0) + 1);
                            if (d > i) throw new CorruptInputException(-1, "reference " + d + " lines back on line " + (i + 1));
                            a[k] = i - d;
                        }
                        case VALUE -> {
                            boolean delta = k > 0 && fn.arg(k - 1) == Fn.Arg.VALUE;
                            int base = delta ? a[k - 1] : 0;
                            int coded = tree(io, valueTree[f * 3 + Math.min(k, 2)], 8, dec ? 0 : (x - base) & 255);
                            a[k] = (coded + base) & 255;
                        }
                        case STEP -> a[k] = tree(io, stepTree[f], 3, dec ? 0 : x - 1) + 1;
                        case COUNT -> {
                            a[k] = tree(io, countTree[f], 5, dec ? 0 : x - 1) + 1;
                            if (a[k] > Fn.MAX_COUNT) throw new CorruptInputException(-1, "repeat count " + a[k]);
                        }
                        case PRED -> {
                            a[k] = tree(io, predTree, 2, x);
                            if (a[k] >= Pred.values().length) throw new CorruptInputException(-1, "predicate " + a[k]);
                        }
                        default -> throw new AssertionError(fn);
                    }
                }
                if (dec) out.add(Stmt.of(fn, a));
            }
            prev = f;
        }
        if (!dec) return p;
        try {
            return Program.of(out);
        } catch (KtException e) {
            throw new CorruptInputException(-1, "decoded program is invalid: " + e.getMessage());
        }
    }

    /** A set_list element: first with its own tree; then "same as before?", "previous + last difference?", else an 8-bit tree. */
    private int listValue(BitIo io, int x, int k, int[] v) throws IOException {
        if (k == 0) return v[0] = tree(io, listFirst, 8, x);
        int prev = v[k - 1];
        if (bit(io, listSame, 1, x == prev ? 1 : 0) == 1) return prev;
        if (k >= 2) {
            int d = (prev + (prev - v[k - 2])) & 255;
            if (d != prev && bit(io, listDelta, 1, x == d ? 1 : 0) == 1) return d;
        }
        return tree(io, listRest, 8, x);
    }

    /** Codes one bit with the adaptive probability t[i] and updates it: p += (target - p) >> 5. */
    static int bit(BitIo io, short[] t, int i, int b) throws IOException {
        int p = t[i] & 0xFFFF;
        int p1 = Math.max(32, Math.min(65504, p));
        int r = io.bit(b, p1);
        p += r != 0 ? (65536 - p) >> SHIFT : -(p >> SHIFT);
        t[i] = (short) p;
        return r;
    }

    /** Codes {@code bits}-bit value x MSB first through a binary tree of adaptive probabilities. */
    static int tree(BitIo io, short[] t, int bits, int x) throws IOException {
        int node = 1;
        for (int b = bits - 1; b >= 0; b--) node = node << 1 | bit(io, t, node, (x >>> b) & 1);
        return node - (1 << bits);
    }

    /** Adaptive Elias-gamma code for values >= 0 (bit count in unary, then the bits below the top one). */
    static final class Gamma {
        private final short[] unary = new short[64];
        private final short[][] mantissa = new short[40][];

        Gamma() {
            init(unary);
        }

        long code(BitIo io, long x, int ctx) throws IOException {
            long v = x + 1;
            int nb = 64 - Long.numberOfLeadingZeros(v); // bits of x+1 when encoding
            int k = 0;
            while (true) {
                if (k >= 39) throw new CorruptInputException(-1, "number too long");
                int stop = bit(io, unary, k, k + 1 == nb ? 1 : 0);
                k++;
                if (stop == 1) break;
            }
            if (mantissa[k] == null) {
                mantissa[k] = new short[Math.min(1 << Math.min(k, 8), 256) * 2];
                init(mantissa[k]);
            }
            long r = 1;
            for (int b = k - 2; b >= 0; b--) {
                int ctxIdx = (int) Math.min(r, mantissa[k].length / 2 - 1);
                r = r << 1 | bit(io, mantissa[k], ctxIdx, (int) (v >>> b) & 1);
            }
            return r - 1;
        }
    }
}
