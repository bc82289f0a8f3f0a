package dev.occam.kt.eval;

import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Program;
import java.util.Arrays;

/** Independent re-verification of solver results (the evaluation trusts no solver). */
final class SolverChecks {
    private SolverChecks() {
    }

    static boolean outputs(Program p, byte[] target) {
        try {
            return Arrays.equals(Interpreter.run(p), target);
        } catch (KtException e) {
            return false;
        }
    }
}
