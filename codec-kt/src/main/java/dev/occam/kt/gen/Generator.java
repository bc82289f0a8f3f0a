package dev.occam.kt.gen;

import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Pred;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.dsl.Stmt;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic tasks after the paper's distribution: 1-5 base sequences of length 5-25 with values
 * 0-255 (set_list of random values, range_func_up, range_func_interval with step 1-8, repeat_num),
 * then 1-4 random operations (list, math, filter and two-list functions) on earlier lines with
 * parameters drawn so the operation does something (patterns that occur, indices inside the
 * list...); the last operation is the output. Lines the output does not use are removed, outputs
 * must be 1..{@value #MAX_OUTPUT} values. Task {@code i} of seed {@code s} depends only on (s, i),
 * so sets are reproducible and can be generated in parallel.
 */
public final class Generator {
    /** Longest output. */
    public static final int MAX_OUTPUT = 128;
    private static final Fn[] OPS = {Fn.REPEAT_LIST, Fn.REVERSE_LIST, Fn.SUBSTITUTE, Fn.GET_SUBSEQUENCE_WITH_JUMPS,
        Fn.GET_SUBSEQUENCE_BETWEEN_INDICES, Fn.MAX_N, Fn.MIN_N, Fn.ADD_ITEM_LIST, Fn.SUBTRACT_ITEM_LIST, Fn.MODULO_ITEM_LIST,
        Fn.FILTER, Fn.ADD_TWO_LISTS, Fn.SUBTRACT_TWO_LISTS, Fn.MODULO_TWO_LISTS, Fn.SCAN_ADD, Fn.CONCATENATE, Fn.INTERLEAVE};

    private final long seed;

    /** A generator for one seed. */
    public Generator(long seed) {
        this.seed = seed;
    }

    /** Tasks 0..count-1 of this seed. */
    public List<Task> tasks(int count) {
        List<Task> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(task(i));
        return out;
    }

    /** Task {@code index}: a function of (seed, index) only. */
    public Task task(int index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
        while (true) {
            Task t = attempt(r, index);
            if (t != null) return t;
        }
    }

    /**
     * A training set and a test set: the test outputs are distinct from each other and never equal
     * to a training output (test task j is the j-th task of the derived test seed whose output is new).
     *
     * @return the training tasks then the test tasks
     */
    public Split split(int trainCount, int testCount) {
        List<Task> train = tasks(trainCount);
        HashSet<ByteBuffer> seen = new HashSet<>();
        for (Task t : train) seen.add(ByteBuffer.wrap(t.output()));
        Generator testGen = new Generator(seed ^ 0x5DEECE66DL * 31 + 1);
        List<Task> test = new ArrayList<>(testCount);
        for (int i = 0; test.size() < testCount; i++) {
            Task t = testGen.task(i);
            if (seen.add(ByteBuffer.wrap(t.output()))) test.add(new Task(test.size(), t.program(), t.output()));
        }
        return new Split(train, test);
    }

    /** Training and test tasks. */
    public record Split(List<Task> train, List<Task> test) {
    }

    private Task attempt(SplittableRandom r, int index) {
        List<Stmt> lines = new ArrayList<>();
        List<long[]> vals = new ArrayList<>();
        int bases = 1 + r.nextInt(5);
        for (int b = 0; b < bases; b++) add(lines, vals, base(r));
        int ops = 1 + r.nextInt(4);
        int made = 0;
        for (int tries = 0; made < ops && tries < 50; tries++) {
            Stmt s = op(r, lines, vals);
            if (s == null) continue;
            long[] v = eval(lines, vals, s);
            if (v == null || v.length == 0 || v.length > MAX_OUTPUT) continue;
            add(lines, vals, s, v);
            made++;
        }
        if (made == 0) return null;
        try {
            Program p = Program.of(lines).pruned();
            byte[] out = Interpreter.run(p);
            if (out.length == 0 || out.length > MAX_OUTPUT) return null;
            return new Task(index, p, out);
        } catch (KtException e) {
            return null;
        }
    }

    private static void add(List<Stmt> lines, List<long[]> vals, Stmt s) {
        add(lines, vals, s, eval(lines, vals, s));
    }

    private static void add(List<Stmt> lines, List<long[]> vals, Stmt s, long[] v) {
        lines.add(s);
        vals.add(v);
    }

    private static long[] eval(List<Stmt> lines, List<long[]> vals, Stmt s) {
        List<Stmt> all = new ArrayList<>(lines);
        all.add(s);
        try {
            return Interpreter.values(Program.of(all), Interpreter.Limits.DEFAULT);
        } catch (KtException e) {
            return null;
        }
    }

    private static Stmt base(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0 -> {
                int[] v = new int[5 + r.nextInt(21)];
                for (int i = 0; i < v.length; i++) v[i] = r.nextInt(256);
                return Stmt.setList(v);
            }
            case 1 -> {
                int len = 5 + r.nextInt(21);
                int a = r.nextInt(256 - len + 1);
                return Stmt.of(Fn.RANGE_FUNC_UP, a, a + len - 1);
            }
            case 2 -> {
                int step = 1 + r.nextInt(8);
                int maxLen = Math.min(25, 254 / step + 1);
                int len = 5 + r.nextInt(maxLen - 4);
                int a = r.nextInt(254 - step * (len - 1) + 1);
                return Stmt.of(Fn.RANGE_FUNC_INTERVAL, a, Math.min(255, a + step * (len - 1) + 1 + r.nextInt(step)), step);
            }
            default -> {
                return Stmt.of(Fn.REPEAT_NUM, 5 + r.nextInt(16), r.nextInt(256));
            }
        }
    }

    /** A random operation on earlier lines (recent lines more likely), or null when it would be pointless. */
    private static Stmt op(SplittableRandom r, List<Stmt> lines, List<long[]> vals) {
        Fn fn = OPS[r.nextInt(OPS.length)];
        int n = lines.size();
        int a = pick(r, n);
        long[] va = vals.get(a);
        switch (fn) {
            case REPEAT_LIST:
                return Stmt.of(fn, 2 + r.nextInt(3), a);
            case REVERSE_LIST:
            case SCAN_ADD:
                return Stmt.of(fn, a);
            case SUBSTITUTE: {
                long p = va[r.nextInt(va.length)];
                if (p < 0 || p > 255) return null;
                return Stmt.of(fn, a, (int) p, r.nextInt(256));
            }
            case GET_SUBSEQUENCE_WITH_JUMPS:
                return Stmt.of(fn, a, 2 + r.nextInt(7));
            case GET_SUBSEQUENCE_BETWEEN_INDICES: {
                if (va.length < 3) return null;
                int from = r.nextInt(va.length - 1);
                int to = from + 2 + r.nextInt(va.length - from - 1);
                return Stmt.of(fn, a, from, Math.min(to, 255));
            }
            case MAX_N:
            case MIN_N:
                return Stmt.of(fn, a, 1 + r.nextInt(Math.max(1, Math.min(255, va.length))));
            case ADD_ITEM_LIST:
            case SUBTRACT_ITEM_LIST:
                return Stmt.of(fn, a, 1 + r.nextInt(255));
            case MODULO_ITEM_LIST:
                return Stmt.of(fn, a, 2 + r.nextInt(254));
            case FILTER:
                return Stmt.of(fn, r.nextInt(Pred.values().length), a);
            default: {
                if (n < 2) return null;
                int b = pick(r, n);
                if (b == a) b = (a + 1 + r.nextInt(n - 1)) % n;
                return Stmt.of(fn, a, b);
            }
        }
    }

    /** A line index, the later ones twice as likely as the rest. */
    private static int pick(SplittableRandom r, int n) {
        int i = r.nextInt(n + Math.min(n, 2));
        return i < n ? i : n - 1 - (i - n);
    }

    /** Whether two outputs are equal (helper for tests and the split). */
    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
