package dev.occam.kt.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.testing.Assets;
import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.Parser;
import dev.occam.kt.dsl.Printer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProposerTest {
    static final String INTERLEAVE = "sequence_1 = range_func_up(1, 10)\nsequence_2 = repeat_num(10, 7)\noutput = interleave(sequence_1, sequence_2)\n";

    static CommandProposer printing(String text) {
        return new CommandProposer(List.of("sh", "-c", "cat > /dev/null; printf '%s' \"$0\"", text));
    }

    @Test
    void commandCandidatesAreVerifiedAndTheShorterOneIsUsed() throws Exception {
        byte[] target = Interpreter.run(Parser.parse(INTERLEAVE));
        // depth 0: no interleave inversion, so the search alone does worse than the proposal
        Solution alone = new SearchSolver(0).solve(target, System.nanoTime() + 1_000_000_000L);
        ProposerSolver ps = new ProposerSolver(new SearchSolver(0), List.of(printing(INTERLEAVE)), 1);
        Solution s = ps.solve(target, System.nanoTime() + 5_000_000_000L);
        assertEquals(INTERLEAVE, Printer.print(s.program()));
        assertEquals("command", s.source());
        assertTrue(s.bits() < alone.bits());
        assertEquals(new ProposerSolver.Stats(1, 0, 0, 0, 1, 1, 0), ps.stats());
    }

    @Test
    void malformedWrongAndFailingCandidatesAreDropped() throws Exception {
        byte[] target = {1, 2, 3, 4, 5};
        ProposerSolver ps = new ProposerSolver(new SearchSolver(), List.of(
                printing("this is not a program"),
                printing("output = range_func_up(1, 6)\n"),
                printing("sequence_1 = range_func_up(1, 5)\noutput = modulo_item_list(sequence_1, 0)\n"),
                new CommandProposer(List.of("/nonexistent/kt-proposer")),
                new CommandProposer(List.of("sh", "-c", "sleep 30"))), 1);
        long start = System.nanoTime();
        Solution s = ps.solve(target, start + 2_000_000_000L);
        assertArrayEquals(target, Interpreter.run(s.program()));
        assertEquals("search", s.source());
        ProposerSolver.Stats st = ps.stats();
        assertEquals(3, st.proposed());
        assertEquals(1, st.malformed());
        assertEquals(1, st.wrong());
        assertEquals(1, st.failed());
        assertEquals(0, st.used());
        assertEquals(1, st.errors()); // the missing program; the sleeping one was killed and proposed nothing
    }

    @Test
    void onnxProposerPlumbing() throws Exception {
        Path dir = Assets.require("lm/stories260k/model.onnx").getParent();
        try (OnnxProposer p = OnnxProposer.open(dir, 24)) {
            byte[] target = {2, 4, 6, 8, 10, 12};
            List<String> c = p.propose(target, 2, System.nanoTime() + 60_000_000_000L);
            assertEquals(2, c.size());
            for (String s : c) assertFalse(s.isEmpty());
            // greedy decoding is deterministic
            assertEquals(c.get(0), p.propose(target, 1, System.nanoTime() + 60_000_000_000L).get(0));
            ProposerSolver ps = new ProposerSolver(new SearchSolver(), List.of(p), 2);
            Solution s = ps.solve(target, System.nanoTime() + 60_000_000_000L);
            assertArrayEquals(target, Interpreter.run(s.program()));
            ProposerSolver.Stats st = ps.stats();
            assertEquals(2, st.proposed());
            assertEquals(st.proposed(), st.malformed() + st.failed() + st.wrong() + st.verified());
        }
    }
}
