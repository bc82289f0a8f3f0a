package dev.occam.kt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.kt.dsl.Program;
import dev.occam.kt.dsl.Stmt;
import dev.occam.kt.gen.Generator;
import dev.occam.kt.gen.Task;
import dev.occam.kt.score.UniformPrior;
import dev.occam.kt.solve.SearchSolver;
import dev.occam.kt.solve.Solution;
import dev.occam.kt.solve.Solver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The synthetic report's accuracy columns: what counts, and the fallback-only reference. */
class EvaluationTest {
    static final long FAR = Long.MAX_VALUE / 4;

    /** A solver that only ever returns {@code output = set_list([...])}. */
    static final Solver FALLBACK_ONLY = (target, deadline) -> {
        int[] v = new int[target.length];
        for (int i = 0; i < v.length; i++) v[i] = target[i] & 0xFF;
        Program p = Program.ofTrusted(List.of(Stmt.setList(v)));
        return new Solution(p, UniformPrior.bits(p), true, "fallback");
    };

    @Test
    void fallbackOnlyAccuracyIsWhatAFallbackOnlySolverGets() throws Exception {
        List<Task> tasks = new Generator(5).tasks(60);
        Evaluation.SyntheticReport fb = Evaluation.synthetic(tasks, FALLBACK_ONLY, 1, FAR, null);
        // the fallback-only solver's own accuracy is the reference column, and none of it is "not set_list"
        assertEquals(fb.accuracy(), fb.fallbackOnlyAccuracy(), 1e-12);
        assertEquals(0.0, fb.accurateNotSetList(), 0.0);
        assertEquals(0.0, fb.nonFallback(), 0.0);
        assertTrue(fb.accuracy() > 0 && fb.accuracy() < 1, "the tasks mix both kinds: " + fb.accuracy());

        Evaluation.SyntheticReport s = Evaluation.synthetic(tasks, new SearchSolver(3, 200_000), 1, FAR, null);
        assertEquals(fb.fallbackOnlyAccuracy(), s.fallbackOnlyAccuracy(), 1e-12, "a property of the tasks, not of the solver");
        assertTrue(s.accurateNotSetList() <= s.accuracy());
        // tasks accurate with set_list are tasks on which the fallback alone is accurate
        assertTrue(s.accuracy() - s.accurateNotSetList() <= s.fallbackOnlyAccuracy() + 1e-12);
        // the search is never worse than the fallback, so it keeps every task the fallback gets
        assertTrue(s.accuracy() >= s.fallbackOnlyAccuracy() - 1e-12);
        assertTrue(s.accurateNotSetList() > 0);
        assertEquals(0, s.solverFailures());
        assertEquals(1.0, s.exact(), 0.0);
    }

    @Test
    void isSetListMeansTheOneLineFallback() throws Exception {
        assertTrue(Evaluation.isSetList(dev.occam.kt.dsl.Parser.parse("output = set_list([1, 2, 3])")));
        assertTrue(!Evaluation.isSetList(dev.occam.kt.dsl.Parser.parse("sequence_1 = set_list([1, 2, 3])\noutput = reverse_list(sequence_1)")));
        assertTrue(!Evaluation.isSetList(dev.occam.kt.dsl.Parser.parse("output = range_func_up(1, 3)")));
    }
}
