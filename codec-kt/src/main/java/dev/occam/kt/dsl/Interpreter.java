package dev.occam.kt.dsl;

import java.util.Arrays;

/**
 * Runs programs. Values are 64-bit integers; a value beyond +-2^40 is an error ("value out of
 * range"), as are a zero divisor in {@code modulo_item_list}, a list longer than
 * {@link Limits#maxLength()} and more than {@link Limits#maxWork()} elements produced in total:
 * every run ends quickly with a result or a {@link KtException} naming the line.
 * The output is the last line's list taken mod 256 (floor modulo) as bytes.
 */
public final class Interpreter {
    /** Largest magnitude of a value. */
    public static final long MAX_MAGNITUDE = 1L << 40;

    /**
     * Resource limits of one run.
     *
     * @param maxLength most elements in one list
     * @param maxWork   most elements produced by all lines together
     */
    public record Limits(int maxLength, long maxWork) {
        /** Defaults: 2^16 elements per list, 2^20 in total. */
        public static final Limits DEFAULT = new Limits(1 << 16, 1 << 20);
    }

    private Interpreter() {
    }

    /** The output bytes of {@code p} under the default limits. */
    public static byte[] run(Program p) throws KtException {
        return run(p, Limits.DEFAULT);
    }

    /** The output bytes of {@code p}: the last line's values mod 256. */
    public static byte[] run(Program p, Limits limits) throws KtException {
        long[] out = values(p, limits);
        byte[] b = new byte[out.length];
        for (int i = 0; i < out.length; i++) b[i] = (byte) Math.floorMod(out[i], 256L);
        return b;
    }

    /** The last line's values (not reduced mod 256). */
    public static long[] values(Program p, Limits limits) throws KtException {
        long[][] v = new long[p.size()][];
        long work = 0;
        for (int i = 0; i < p.size(); i++) {
            long[] r = eval(p.line(i), v, i + 1, limits);
            work += r.length;
            if (work > limits.maxWork()) throw new KtException(i + 1, "work limit exceeded (" + limits.maxWork() + " elements in total)");
            v[i] = r;
        }
        return v[p.size() - 1];
    }

    private static void len(long n, int line, Limits limits) throws KtException {
        if (n > limits.maxLength()) throw new KtException(line, "list of " + n + " elements exceeds the limit " + limits.maxLength());
    }

    private static long check(long x, int line) throws KtException {
        if (x > MAX_MAGNITUDE || x < -MAX_MAGNITUDE) throw new KtException(line, "value out of range (" + x + ")");
        return x;
    }

    /** Evaluates one statement given the earlier lines' values. */
    static long[] eval(Stmt s, long[][] v, int line, Limits limits) throws KtException {
        Fn fn = s.fn();
        switch (fn) {
            case RANGE_FUNC_UP -> {
                long a = s.arg(0), b = s.arg(1);
                if (a > b) return new long[0];
                len(b - a + 1, line, limits);
                long[] r = new long[(int) (b - a + 1)];
                for (int i = 0; i < r.length; i++) r[i] = a + i;
                return r;
            }
            case RANGE_FUNC_INTERVAL -> {
                long a = s.arg(0), b = s.arg(1), st = s.arg(2);
                if (a >= b) return new long[0];
                long n = (b - a + st - 1) / st;
                len(n, line, limits);
                long[] r = new long[(int) n];
                for (int i = 0; i < n; i++) r[i] = a + st * i;
                return r;
            }
            case REPEAT_NUM -> {
                len(s.arg(0), line, limits);
                long[] r = new long[s.arg(0)];
                Arrays.fill(r, s.arg(1));
                return r;
            }
            case SET_LIST -> {
                len(s.listLength(), line, limits);
                long[] r = new long[s.listLength()];
                for (int i = 0; i < r.length; i++) r[i] = s.listValue(i);
                return r;
            }
            case REPEAT_LIST -> {
                long[] a = v[s.arg(1)];
                int n = s.arg(0);
                len((long) a.length * n, line, limits);
                long[] r = new long[a.length * n];
                for (int k = 0; k < n; k++) System.arraycopy(a, 0, r, k * a.length, a.length);
                return r;
            }
            case REVERSE_LIST -> {
                long[] a = v[s.arg(0)];
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) r[i] = a[a.length - 1 - i];
                return r;
            }
            case SUBSTITUTE -> {
                long[] r = v[s.arg(0)].clone();
                for (int i = 0; i < r.length; i++) if (r[i] == s.arg(1)) r[i] = s.arg(2);
                return r;
            }
            case GET_SUBSEQUENCE_WITH_JUMPS -> {
                long[] a = v[s.arg(0)];
                int st = s.arg(1);
                long[] r = new long[(a.length + st - 1) / st];
                for (int i = 0; i < r.length; i++) r[i] = a[i * st];
                return r;
            }
            case GET_SUBSEQUENCE_BETWEEN_INDICES -> {
                long[] a = v[s.arg(0)];
                int from = Math.min(s.arg(1), a.length), to = Math.min(s.arg(2), a.length);
                return from >= to ? new long[0] : Arrays.copyOfRange(a, from, to);
            }
            case MAX_N, MIN_N -> {
                long[] a = v[s.arg(0)].clone();
                Arrays.sort(a);
                int n = Math.min(s.arg(1), a.length);
                return fn == Fn.MIN_N ? Arrays.copyOf(a, n) : Arrays.copyOfRange(a, a.length - n, a.length);
            }
            case ADD_ITEM_LIST, SUBTRACT_ITEM_LIST, MODULO_ITEM_LIST -> {
                long[] a = v[s.arg(0)];
                long c = s.arg(1);
                if (fn == Fn.MODULO_ITEM_LIST && c == 0) throw new KtException(line, "modulo_item_list by zero");
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = fn == Fn.ADD_ITEM_LIST ? check(a[i] + c, line) : fn == Fn.SUBTRACT_ITEM_LIST ? check(a[i] - c, line) : Math.floorMod(a[i], c);
                }
                return r;
            }
            case FILTER -> {
                Pred p = Pred.values()[s.arg(0)];
                long[] a = v[s.arg(1)];
                long[] r = new long[a.length];
                int n = 0;
                for (long x : a) if (p.test(x)) r[n++] = x;
                return Arrays.copyOf(r, n);
            }
            case ADD_TWO_LISTS, SUBTRACT_TWO_LISTS, MODULO_TWO_LISTS -> {
                long[] a = v[s.arg(0)], b = v[s.arg(1)];
                int n = Math.min(a.length, b.length);
                long[] r = new long[n];
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (fn == Fn.ADD_TWO_LISTS) r[k++] = check(a[i] + b[i], line);
                    else if (fn == Fn.SUBTRACT_TWO_LISTS) r[k++] = check(a[i] - b[i], line);
                    else if (b[i] != 0) r[k++] = Math.floorMod(a[i], b[i]);
                }
                return k == n ? r : Arrays.copyOf(r, k);
            }
            case SCAN_ADD -> {
                long[] a = v[s.arg(0)];
                long[] r = new long[a.length];
                long acc = 0;
                for (int i = 0; i < a.length; i++) r[i] = acc = check(acc + a[i], line);
                return r;
            }
            case CONCATENATE -> {
                long[] a = v[s.arg(0)], b = v[s.arg(1)];
                len((long) a.length + b.length, line, limits);
                long[] r = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, r, a.length, b.length);
                return r;
            }
            case INTERLEAVE -> {
                long[] a = v[s.arg(0)], b = v[s.arg(1)];
                len((long) a.length + b.length, line, limits);
                long[] r = new long[a.length + b.length];
                int n = Math.min(a.length, b.length), k = 0;
                for (int i = 0; i < n; i++) {
                    r[k++] = a[i];
                    r[k++] = b[i];
                }
                for (int i = n; i < a.length; i++) r[k++] = a[i];
                for (int i = n; i < b.length; i++) r[k++] = b[i];
                return r;
            }
            case IDENTITY -> {
                return v[s.arg(0)];
            }
            default -> throw new KtException(line, "unknown function " + fn);
        }
    }
}
