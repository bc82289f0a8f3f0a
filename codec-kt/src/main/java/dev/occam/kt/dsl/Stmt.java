package dev.occam.kt.dsl;

import java.util.Arrays;

/**
 * One line of a program: a function and its arguments. References hold the 0-based index of the
 * referenced line; predicates their {@link Pred} ordinal; a {@code set_list} its values in
 * {@link #list()} (its one argument slot is 0). Immutable; equality by content.
 */
public final class Stmt {
    private final Fn fn;
    private final int[] args;
    private final int[] list;

    private Stmt(Fn fn, int[] args, int[] list) {
        this.fn = fn;
        this.args = args;
        this.list = list;
    }

    /** A statement of {@code fn} with these arguments (as many as its arity; not set_list). */
    public static Stmt of(Fn fn, int... args) {
        if (fn == Fn.SET_LIST) throw new IllegalArgumentException("use Stmt.setList for set_list");
        if (args.length != fn.arity()) throw new IllegalArgumentException(fn.text() + " takes " + fn.arity() + " arguments, got " + args.length);
        return new Stmt(fn, args.clone(), null);
    }

    /** {@code set_list(values)}. */
    public static Stmt setList(int... values) {
        return new Stmt(Fn.SET_LIST, new int[1], values.clone());
    }

    /** The function. */
    public Fn fn() {
        return fn;
    }

    /** Argument {@code i}. */
    public int arg(int i) {
        return args[i];
    }

    /** The set_list values (a copy), or null for other functions. */
    public int[] list() {
        return list == null ? null : list.clone();
    }

    /** Number of set_list values (0 for other functions). */
    public int listLength() {
        return list == null ? 0 : list.length;
    }

    /** The set_list value at {@code i}. */
    public int listValue(int i) {
        return list[i];
    }

    /** This statement with every reference r replaced by {@code map[r]}. */
    public Stmt remap(int[] map) {
        if (list != null) return this;
        int[] a = args.clone();
        for (int i = 0; i < a.length; i++) if (fn.arg(i) == Fn.Arg.REF) a[i] = map[a[i]];
        return new Stmt(fn, a, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stmt s && s.fn == fn && Arrays.equals(s.args, args) && Arrays.equals(s.list, list);
    }

    @Override
    public int hashCode() {
        return fn.hashCode() * 31 * 31 + Arrays.hashCode(args) * 31 + Arrays.hashCode(list);
    }

    @Override
    public String toString() {
        return fn + Arrays.toString(args) + (list == null ? "" : Arrays.toString(list));
    }
}
