package dev.occam.kt.dsl;

/**
 * The canonical text of a program: line i (1-based) is {@code sequence_i = f(args)}, the last line
 * {@code output = f(args)} (or {@code output = sequence_k}); arguments separated by ", ", lists as
 * {@code [v, v]}, every line ending in a newline. {@code Parser.parse(print(p)).equals(p)}.
 */
public final class Printer {
    private Printer() {
    }

    /** The canonical text of {@code p}. */
    public static String print(Program p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.size(); i++) {
            sb.append(i == p.size() - 1 ? "output" : name(i)).append(" = ");
            appendCall(sb, p.line(i));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The name of line {@code index} (0-based): {@code sequence_<index+1>}. */
    public static String name(int index) {
        return "sequence_" + (index + 1);
    }

    private static void appendCall(StringBuilder sb, Stmt s) {
        Fn fn = s.fn();
        if (fn == Fn.IDENTITY) {
            sb.append(name(s.arg(0)));
            return;
        }
        sb.append(fn.text()).append('(');
        if (fn == Fn.SET_LIST) {
            sb.append('[');
            for (int i = 0; i < s.listLength(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(s.listValue(i));
            }
            sb.append(']');
        } else {
            for (int i = 0; i < fn.arity(); i++) {
                if (i > 0) sb.append(", ");
                int a = s.arg(i);
                switch (fn.arg(i)) {
                    case REF -> sb.append(name(a));
                    case PRED -> sb.append(Pred.values()[a].text());
                    default -> sb.append(a);
                }
            }
        }
        sb.append(')');
    }
}
