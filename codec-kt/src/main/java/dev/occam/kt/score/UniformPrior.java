package dev.occam.kt.score;

import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.dsl.Stmt;

/**
 * The paper's uniform prior over programs, in bits. Every line (the output line too) costs
 * log2(25) for the choice among the 24 functions plus the output reference; each literal value
 * (set_list elements and value arguments) log2(256) = 8; a reference log2(n), n the 1-based number
 * of the line that makes it; a step or jump log2(8) = 3; a repeat count log2(20). A filter
 * predicate costs nothing (the issue charges filter one reference only). A bare output line
 * {@code output = sequence_k} costs log2(25) + one reference.
 */
public final class UniformPrior {
    /** log2(25): the function choice of a line. */
    public static final double LINE_BITS = log2(25);
    /** log2(256). */
    public static final double VALUE_BITS = 8;
    /** log2(8). */
    public static final double STEP_BITS = 3;
    /** log2(20). */
    public static final double COUNT_BITS = log2(20);

    private UniformPrior() {
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Bits of {@code p} under the uniform prior. */
    public static double bits(Program p) {
        double bits = 0;
        for (int i = 0; i < p.size(); i++) bits += lineBits(p.line(i), i + 1);
        return bits;
    }

    /** Bits of one statement written on 1-based line {@code lineNo}. */
    public static double lineBits(Stmt s, int lineNo) {
        double bits = LINE_BITS;
        Fn fn = s.fn();
        if (fn == Fn.SET_LIST) return bits + VALUE_BITS * s.listLength();
        for (int a = 0; a < fn.arity(); a++) {
            switch (fn.arg(a)) {
                case VALUE -> bits += VALUE_BITS;
                case STEP -> bits += STEP_BITS;
                case COUNT -> bits += COUNT_BITS;
                case REF -> bits += log2(lineNo);
                default -> {
                    // predicates are free under the paper's prior
                }
            }
        }
        return bits;
    }

    /** Bits of the fallback program {@code output = set_list(data)}: log2(25) + 8 per byte. */
    public static double setListBits(int length) {
        return LINE_BITS + VALUE_BITS * length;
    }
}
