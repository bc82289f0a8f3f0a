package dev.occam.kt.solve;

import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.dsl.Stmt;
import dev.occam.kt.score.UniformPrior;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A program as a tree: a function, its non-reference arguments and one sub-plan per reference.
 * {@link #bits} is the exact uniform-prior cost of the tree written as a program (children first,
 * left to right, the root as the output line).
 */
final class Plan {
    final Fn fn;
    final int[] args;
    final Plan[] kids;
    final int[] list;
    final int lines;
    final double bits;

    private Plan(Fn fn, int[] args, Plan[] kids, int[] list) {
        this.fn = fn;
        this.args = args;
        this.kids = kids;
        this.list = list;
        int n = 1;
        for (Plan k : kids) n += k.lines;
        this.lines = n;
        this.bits = UniformPrior.bits(toProgram());
    }

    /** A leaf or inner node; {@code args} has the function's arity (reference slots are ignored); null when {@link #fits} fails. */
    static Plan of(Fn fn, int[] args, Plan... kids) {
        return fits(kids) ? new Plan(fn, args, kids, null) : null;
    }

    /**
     * Whether a node over these kids is a valid program: no kid is missing (a null sub-plan means
     * "none found") and the tree has at most {@link Program#MAX_LINES} lines. This also bounds the
     * depth of the recursive {@link #emit}, so a long concatenation chain cannot overflow the stack.
     */
    static boolean fits(Plan... kids) {
        int n = 1;
        for (Plan k : kids) {
            if (k == null) return false;
            n += k.lines;
        }
        return n <= Program.MAX_LINES;
    }

    static Plan leaf(Fn fn, int... args) {
        return new Plan(fn, args, new Plan[0], null);
    }

    /** A unary operation whose reference is the first REF slot. */
    static Plan unary(Fn fn, Plan kid, int... nonRef) {
        int[] a = new int[fn.arity()];
        int k = 0;
        for (int i = 0; i < a.length; i++) if (fn.arg(i) != Fn.Arg.REF) a[i] = nonRef[k++];
        return of(fn, a, kid);
    }

    /** A two-reference operation, or null when {@link #fits} fails. */
    static Plan binary(Fn fn, Plan a, Plan b) {
        return of(fn, new int[2], a, b);
    }

    static Plan setList(int[] values) {
        return new Plan(Fn.SET_LIST, new int[1], new Plan[0], values.clone());
    }

    Program toProgram() {
        List<Stmt> out = new ArrayList<>(lines);
        Map<Stmt, Integer> seen = new HashMap<>();
        emit(out, seen);
        return Program.ofTrusted(out);
    }

    /** Writes the tree children first; a statement equal to an earlier one is not repeated (its line is reused). */
    private int emit(List<Stmt> out, Map<Stmt, Integer> seen) {
        int[] refs = new int[kids.length];
        for (int i = 0; i < kids.length; i++) refs[i] = kids[i].emit(out, seen);
        Stmt s;
        if (fn == Fn.SET_LIST) {
            s = Stmt.setList(list);
        } else {
            int[] a = args.clone();
            int k = 0;
            for (int i = 0; i < a.length; i++) if (fn.arg(i) == Fn.Arg.REF) a[i] = refs[k++];
            s = Stmt.of(fn, a);
        }
        Integer at = seen.get(s);
        if (at != null) return at;
        out.add(s);
        seen.put(s, out.size() - 1);
        return out.size() - 1;
    }

    /** The better of two plans: fewer bits, then fewer lines. */
    static Plan best(Plan a, Plan b) {
        if (a == null) return b;
        if (b == null) return a;
        if (b.bits < a.bits - 1e-9) return b;
        if (a.bits < b.bits - 1e-9) return a;
        return b.lines < a.lines ? b : a;
    }
}
