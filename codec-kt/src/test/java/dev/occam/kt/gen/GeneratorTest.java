package dev.occam.kt.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Printer;
import dev.occam.kt.dsl.Program;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    @Test
    void sameSeedSameTasks() {
        List<Task> a = new Generator(11).tasks(200);
        List<Task> b = new Generator(11).tasks(200);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).program(), b.get(i).program());
            assertArrayEquals(a.get(i).output(), b.get(i).output());
        }
        // task i does not depend on the tasks before it
        assertEquals(a.get(150).program(), new Generator(11).task(150).program());
        assertNotEquals(Printer.print(new Generator(12).task(0).program()) + Printer.print(new Generator(12).task(1).program()),
                Printer.print(a.get(0).program()) + Printer.print(a.get(1).program()));
    }

    @Test
    void tasksFollowTheDistribution() throws KtException {
        Set<Fn> seen = new HashSet<>();
        for (Task t : new Generator(4).tasks(1000)) {
            Program p = t.program();
            assertArrayEquals(Interpreter.run(p), t.output());
            assertTrue(t.output().length >= 1 && t.output().length <= Generator.MAX_OUTPUT);
            assertEquals(p, p.pruned(), "no dead lines");
            int bases = 0;
            for (int i = 0; i < p.size(); i++) {
                Fn fn = p.line(i).fn();
                seen.add(fn);
                if (fn == Fn.SET_LIST || fn == Fn.RANGE_FUNC_UP || fn == Fn.RANGE_FUNC_INTERVAL || fn == Fn.REPEAT_NUM) {
                    bases++;
                    int len = (int) Interpreter.values(Program.ofTrusted(p.lines().subList(0, i + 1)), Interpreter.Limits.DEFAULT).length;
                    assertTrue(len >= 5 && len <= 25, "base length " + len);
                } else {
                    assertFalse(fn == Fn.IDENTITY);
                }
            }
            assertTrue(bases >= 1 && bases <= 5);
            assertTrue(p.size() > bases, "at least one operation");
        }
        // every function of the DSL occurs
        assertEquals(Fn.count() - 1, seen.size(), seen.toString());
    }

    @Test
    void testOutputsNeverOccurInTraining() {
        Generator.Split s = new Generator(2).split(3000, 500);
        assertEquals(3000, s.train().size());
        assertEquals(500, s.test().size());
        Set<ByteBuffer> train = new HashSet<>();
        for (Task t : s.train()) train.add(ByteBuffer.wrap(t.output()));
        Set<ByteBuffer> test = new HashSet<>();
        for (Task t : s.test()) {
            assertFalse(train.contains(ByteBuffer.wrap(t.output())), "test output in training: " + t.program());
            assertTrue(test.add(ByteBuffer.wrap(t.output())), "duplicate test output");
        }
        // the raw generator does repeat outputs (short constant runs...), so the filter is doing work
        Set<ByteBuffer> raw = new HashSet<>();
        int dup = 0;
        for (Task t : new Generator(2).tasks(3000)) if (!raw.add(ByteBuffer.wrap(t.output()))) dup++;
        assertTrue(dup > 0, "expected some repeated outputs in 3000 raw tasks");
        // reproducible
        Generator.Split again = new Generator(2).split(3000, 500);
        for (int i = 0; i < 500; i++) assertEquals(s.test().get(i).program(), again.test().get(i).program());
    }
}
