package dev.occam.kt.dsl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses program text: one statement per line, {@code NAME = f(args)} with NAME
 * {@code sequence_K} (any K, each defined once, defined before use), the last statement
 * {@code output = f(args)} or {@code output = sequence_K}. Blank lines, lines starting with
 * {@code #} and surrounding spaces are ignored. Arguments: integers, {@code sequence_K}
 * references, predicate names, and for set_list one bracketed list. Every error names the
 * 1-based text line. At most {@value #MAX_TEXT} characters.
 */
public final class Parser {
    /** Longest accepted program text, in characters. */
    public static final int MAX_TEXT = 1 << 22;

    private Parser() {
    }

    /**
     * The program in {@code text}.
     *
     * @throws KtException with the line number of the first problem
     */
    public static Program parse(String text) throws KtException {
        if (text.length() > MAX_TEXT) throw new KtException(0, "program text longer than " + MAX_TEXT + " characters");
        String[] rows = text.split("\r?\n", -1);
        List<Stmt> stmts = new ArrayList<>();
        List<Integer> textLines = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        boolean sawOutput = false;
        for (int r = 0; r < rows.length; r++) {
            int lineNo = r + 1;
            String row = rows[r].strip();
            if (row.isEmpty() || row.startsWith("#")) continue;
            if (sawOutput) throw new KtException(lineNo, "statement after the output line");
            int eq = row.indexOf('=');
            if (eq < 0) throw new KtException(lineNo, "expected 'NAME = function(...)'");
            String name = row.substring(0, eq).strip();
            String rhs = row.substring(eq + 1).strip();
            boolean output = name.equals("output");
            if (!output) {
                if (!isSequenceName(name)) throw new KtException(lineNo, "bad name '" + clip(name) + "' (expected sequence_K or output)");
                if (names.containsKey(name)) throw new KtException(lineNo, name + " is defined twice");
            }
            Stmt s = parseCall(rhs, lineNo, names, output);
            if (stmts.size() >= Program.MAX_LINES) throw new KtException(lineNo, "more than " + Program.MAX_LINES + " lines");
            if (output) sawOutput = true;
            else names.put(name, stmts.size());
            stmts.add(s);
            textLines.add(lineNo);
        }
        if (!sawOutput) throw new KtException(rows.length, "no output line ('output = ...')");
        try {
            return Program.of(stmts);
        } catch (KtException e) {
            int line = e.line() >= 1 && e.line() <= textLines.size() ? textLines.get(e.line() - 1) : e.line();
            String reason = e.getMessage().replaceFirst("^line \\d+: ", "");
            throw new KtException(line, reason);
        }
    }

    private static boolean isSequenceName(String s) {
        if (!s.startsWith("sequence_") || s.length() == 9 || s.length() > 18) return false;
        for (int i = 9; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static Stmt parseCall(String rhs, int lineNo, Map<String, Integer> names, boolean output) throws KtException {
        if (isSequenceName(rhs)) {
            if (!output) throw new KtException(lineNo, "a bare reference is only allowed on the output line");
            return Stmt.of(Fn.IDENTITY, ref(rhs, lineNo, names));
        }
        int open = rhs.indexOf('(');
        if (open < 0 || !rhs.endsWith(")")) throw new KtException(lineNo, "expected 'function(arguments)', got '" + clip(rhs) + "'");
        String fname = rhs.substring(0, open).strip();
        Fn fn = Fn.byName(fname);
        if (fn == null) throw new KtException(lineNo, "unknown function '" + clip(fname) + "'");
        String inner = rhs.substring(open + 1, rhs.length() - 1).strip();
        if (fn == Fn.SET_LIST) {
            if (!inner.startsWith("[") || !inner.endsWith("]")) throw new KtException(lineNo, "set_list takes one list [v, ...]");
            String body = inner.substring(1, inner.length() - 1).strip();
            if (body.isEmpty()) return Stmt.setList();
            String[] parts = body.split(",", -1);
            if (parts.length > Program.MAX_LIST) throw new KtException(lineNo, "set_list has more than " + Program.MAX_LIST + " values");
            int[] v = new int[parts.length];
            for (int i = 0; i < parts.length; i++) v[i] = integer(parts[i].strip(), lineNo);
            return Stmt.setList(v);
        }
        String[] parts = inner.isEmpty() ? new String[0] : inner.split(",", -1);
        if (parts.length != fn.arity()) {
            throw new KtException(lineNo, fn.text() + " takes " + fn.arity() + " argument" + (fn.arity() == 1 ? "" : "s") + ", got " + parts.length);
        }
        int[] a = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            switch (fn.arg(i)) {
                case REF -> a[i] = ref(p, lineNo, names);
                case PRED -> {
                    Pred pred = Pred.byName(p);
                    if (pred == null) throw new KtException(lineNo, "unknown predicate '" + clip(p) + "' (is_even, is_odd, is_not_zero)");
                    a[i] = pred.ordinal();
                }
                default -> a[i] = integer(p, lineNo);
            }
        }
        return Stmt.of(fn, a);
    }

    private static int ref(String p, int lineNo, Map<String, Integer> names) throws KtException {
        if (!isSequenceName(p)) throw new KtException(lineNo, "expected a sequence name, got '" + clip(p) + "'");
        Integer idx = names.get(p);
        if (idx == null) throw new KtException(lineNo, p + " is not defined on an earlier line");
        return idx;
    }

    private static int integer(String p, int lineNo) throws KtException {
        if (p.isEmpty()) throw new KtException(lineNo, "missing number");
        int i = p.charAt(0) == '-' || p.charAt(0) == '+' ? 1 : 0;
        if (i == p.length() || p.length() > 12) throw new KtException(lineNo, "bad number '" + clip(p) + "'");
        for (int k = i; k < p.length(); k++) if (p.charAt(k) < '0' || p.charAt(k) > '9') throw new KtException(lineNo, "bad number '" + clip(p) + "'");
        long v = Long.parseLong(p);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new KtException(lineNo, "number " + clip(p) + " out of range");
        return (int) v;
    }
}
