package dev.occam.kt.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated program: one or more lines, each referring only to earlier lines; the last line is
 * the output. Values 0..255, steps 1..8, repeat counts 1..20, at most {@link #MAX_LINES} lines and
 * {@link #MAX_LIST} literal values per set_list; {@link Fn#IDENTITY} only on the last line (and not
 * as the only line). Immutable; equality by content.
 */
public final class Program {
    /** Most lines in a program. */
    public static final int MAX_LINES = 1024;
    /** Most values in one set_list. */
    public static final int MAX_LIST = 1 << 16;

    private final List<Stmt> lines;

    private Program(List<Stmt> lines) {
        this.lines = lines;
    }

    /**
     * Checks and wraps the lines.
     *
     * @throws KtException naming the 1-based line of the first problem
     */
    public static Program of(List<Stmt> lines) throws KtException {
        if (lines.isEmpty()) throw new KtException(0, "empty program (no output line)");
        if (lines.size() > MAX_LINES) throw new KtException(MAX_LINES + 1, "more than " + MAX_LINES + " lines");
        List<Stmt> copy = List.copyOf(lines);
        for (int i = 0; i < copy.size(); i++) check(copy.get(i), i, i == copy.size() - 1);
        return new Program(copy);
    }

    /** {@link #of(List)} for programs built by code that guarantees validity (an invalid one is a bug). */
    public static Program ofTrusted(List<Stmt> lines) {
        try {
            return of(lines);
        } catch (KtException e) {
            throw new IllegalArgumentException("invalid program: " + e.getMessage(), e);
        }
    }

    /** A program of the given lines. */
    public static Program of(Stmt... lines) throws KtException {
        return of(List.of(lines));
    }

    private static void check(Stmt s, int index, boolean last) throws KtException {
        int line = index + 1;
        Fn fn = s.fn();
        if (fn == Fn.IDENTITY && !last) throw new KtException(line, "a bare reference is only allowed on the output line");
        if (fn == Fn.IDENTITY && index == 0) throw new KtException(line, "output refers to no earlier line");
        if (fn == Fn.SET_LIST) {
            if (s.listLength() > MAX_LIST) throw new KtException(line, "set_list has more than " + MAX_LIST + " values");
            for (int i = 0; i < s.listLength(); i++) checkValue(line, s.listValue(i), "set_list value");
            return;
        }
        for (int i = 0; i < fn.arity(); i++) {
            int a = s.arg(i);
            switch (fn.arg(i)) {
                case VALUE -> checkValue(line, a, fn.text() + " argument " + (i + 1));
                case STEP -> {
                    if (a < Fn.MIN_STEP || a > Fn.MAX_STEP) {
                        throw new KtException(line, "step " + a + " of " + fn.text() + " outside " + Fn.MIN_STEP + ".." + Fn.MAX_STEP);
                    }
                }
                case COUNT -> {
                    if (a < Fn.MIN_COUNT || a > Fn.MAX_COUNT) {
                        throw new KtException(line, "repeat count " + a + " of " + fn.text() + " outside " + Fn.MIN_COUNT + ".." + Fn.MAX_COUNT);
                    }
                }
                case REF -> {
                    if (a < 0 || a >= index) throw new KtException(line, "reference to line " + (a + 1) + ", which is not an earlier line");
                }
                case PRED -> {
                    if (a < 0 || a >= Pred.values().length) throw new KtException(line, "unknown predicate " + a);
                }
                default -> throw new KtException(line, "bad argument kind");
            }
        }
    }

    private static void checkValue(int line, int v, String what) throws KtException {
        if (v < 0 || v > Fn.MAX_VALUE) throw new KtException(line, what + " " + v + " outside 0.." + Fn.MAX_VALUE);
    }

    /** Number of lines (the output line included). */
    public int size() {
        return lines.size();
    }

    /** Line {@code i} (0-based). */
    public Stmt line(int i) {
        return lines.get(i);
    }

    /** The lines. */
    public List<Stmt> lines() {
        return lines;
    }

    /**
     * The same program without lines the output does not depend on (references renumbered), and
     * with a bare output reference folded into the line it names when that line is used only there.
     */
    public Program pruned() {
        int n = lines.size();
        boolean[] live = new boolean[n];
        live[n - 1] = true;
        for (int i = n - 1; i >= 0; i--) {
            if (!live[i]) continue;
            Stmt s = lines.get(i);
            for (int a = 0; a < s.fn().arity(); a++) if (s.fn().arg(a) == Fn.Arg.REF) live[s.arg(a)] = true;
        }
        int[] map = new int[n];
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!live[i]) continue;
            map[i] = out.size();
            out.add(lines.get(i).remap(map));
        }
        Stmt last = out.get(out.size() - 1);
        if (last.fn() == Fn.IDENTITY && last.arg(0) == out.size() - 2) {
            boolean usedElsewhere = false;
            for (int i = 0; i < out.size() - 1; i++) {
                Stmt s = out.get(i);
                for (int a = 0; a < s.fn().arity(); a++) if (s.fn().arg(a) == Fn.Arg.REF && s.arg(a) == out.size() - 2) usedElsewhere = true;
            }
            if (!usedElsewhere) out.remove(out.size() - 1);
        }
        return ofTrusted(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Program p && p.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
