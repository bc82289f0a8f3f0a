package dev.occam.kt.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Parser;
import dev.occam.kt.dsl.Printer;
import dev.occam.kt.gen.Generator;
import dev.occam.kt.gen.Task;
import dev.occam.kt.score.UniformPrior;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSolverTest {
    static final long FAR = Long.MAX_VALUE / 4;

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    static Solution solve(byte[] t) {
        return new SearchSolver().solve(t, System.nanoTime() + FAR);
    }

    static void assertCorrect(Solution s, byte[] target) throws KtException {
        assertArrayEquals(target, Interpreter.run(s.program()), Printer.print(s.program()));
        assertEquals(UniformPrior.bits(s.program()), s.bits(), 1e-9);
    }

    @Test
    void findsTheObviousPrograms() throws KtException {
        assertEquals("output = range_func_up(3, 9)\n", Printer.print(solve(bytes(3, 4, 5, 6, 7, 8, 9)).program()));
        assertEquals("output = range_func_interval(10, 31, 5)\n" /* end = last + 1 */, Printer.print(solve(bytes(10, 15, 20, 25, 30)).program()));
        assertEquals("output = repeat_num(6, 42)\n", Printer.print(solve(bytes(42, 42, 42, 42, 42, 42)).program()));
        assertEquals("sequence_1 = range_func_up(1, 4)\noutput = repeat_list(5, sequence_1)\n",
                Printer.print(solve(bytes(1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4)).program()));
        // descending: reverse of a range
        assertEquals("sequence_1 = range_func_up(5, 12)\noutput = reverse_list(sequence_1)\n",
                Printer.print(solve(bytes(12, 11, 10, 9, 8, 7, 6, 5)).program()));
        // interleave of a run and a progression
        byte[] il = Interpreter.run(Parser.parse("sequence_1 = repeat_num(10, 7)\nsequence_2 = range_func_up(100, 109)\noutput = interleave(sequence_1, sequence_2)"));
        Solution s = solve(il);
        assertCorrect(s, il);
        assertTrue(s.bits() <= UniformPrior.bits(Parser.parse("sequence_1 = repeat_num(10, 7)\nsequence_2 = range_func_up(100, 109)\noutput = interleave(sequence_1, sequence_2)")) + 1e-9);
    }

    @Test
    void randomBytesGetTheFallback() throws KtException {
        SplittableRandom r = new SplittableRandom(1);
        byte[] t = new byte[40];
        for (int i = 0; i < t.length; i++) t[i] = (byte) r.nextInt(256);
        Solution s = solve(t);
        assertCorrect(s, t);
        assertTrue(s.fallback());
        assertEquals(UniformPrior.setListBits(40), s.bits(), 1e-9);
        Solution empty = solve(new byte[0]);
        assertCorrect(empty, new byte[0]);
    }

    @Test
    void expiredDeadlineStillGivesACorrectProgram() throws KtException {
        Task t = new Generator(8).task(3);
        Solution s = new SearchSolver().solve(t.output(), System.nanoTime() - 1);
        assertCorrect(s, t.output());
    }

    @Test
    void generatedTasksAreSolvedCorrectlyAndMostlyAsShortAsTheGenerator() throws Exception {
        List<Task> tasks = new Generator(21).tasks(150);
        List<byte[]> targets = new ArrayList<>();
        for (Task t : tasks) targets.add(t.output());
        List<Solvers.Timed> res = Solvers.solveAll(new SearchSolver(), targets, 2, 1_000_000_000L, null);
        int accurate = 0, nonFallback = 0;
        for (int i = 0; i < tasks.size(); i++) {
            Solution s = res.get(i).solution();
            assertCorrect(s, tasks.get(i).output());
            if (s.bits() <= tasks.get(i).bits() + 1e-9) accurate++;
            if (!s.fallback()) nonFallback++;
            assertTrue(s.bits() <= UniformPrior.setListBits(tasks.get(i).output().length) + 1e-9, "never worse than the fallback");
        }
        // a search that only returned the fallback would reach about 30% here (the share of tasks whose
        // generating program is longer than set_list); ours is far above
        assertTrue(accurate >= 120, accurate + " of 150 as short as the generating program");
        assertTrue(nonFallback >= 80, nonFallback + " of 150 not the fallback");
        assertFalse(res.isEmpty());
    }
}
