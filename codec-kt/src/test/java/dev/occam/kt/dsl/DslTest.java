package dev.occam.kt.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DslTest {
    /** Runs a program text and returns its output values as ints. */
    static int[] out(String text) throws KtException {
        byte[] b = Interpreter.run(Parser.parse(text));
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) r[i] = b[i] & 0xFF;
        return r;
    }

    static KtException fails(String text) {
        return assertThrows(KtException.class, () -> Interpreter.run(Parser.parse(text)));
    }

    @Test
    void initiators() throws KtException {
        assertArrayEquals(new int[] {3, 4, 5, 6}, out("output = range_func_up(3, 6)"));
        assertArrayEquals(new int[] {}, out("output = range_func_up(6, 3)"));
        assertArrayEquals(new int[] {7}, out("output = range_func_up(7, 7)"));
        // end exclusive: 2, 5, 8 (11 is not < 11)
        assertArrayEquals(new int[] {2, 5, 8}, out("output = range_func_interval(2, 11, 3)"));
        assertArrayEquals(new int[] {2, 5, 8, 11}, out("output = range_func_interval(2, 12, 3)"));
        assertArrayEquals(new int[] {}, out("output = range_func_interval(5, 5, 1)"));
        assertArrayEquals(new int[] {9, 9, 9}, out("output = repeat_num(3, 9)"));
        assertArrayEquals(new int[] {1, 0, 255}, out("output = set_list([1, 0, 255])"));
        assertArrayEquals(new int[] {}, out("output = set_list([])"));
    }

    @Test
    void listOperations() throws KtException {
        String s = "sequence_1 = set_list([5, 1, 4, 1, 3])\n";
        assertArrayEquals(new int[] {5, 1, 4, 1, 3, 5, 1, 4, 1, 3}, out(s + "output = repeat_list(2, sequence_1)"));
        assertArrayEquals(new int[] {3, 1, 4, 1, 5}, out(s + "output = reverse_list(sequence_1)"));
        assertArrayEquals(new int[] {5, 9, 4, 9, 3}, out(s + "output = substitute(sequence_1, 1, 9)"));
        assertArrayEquals(new int[] {5, 1, 4, 1, 3}, out(s + "output = substitute(sequence_1, 7, 9)"));
        assertArrayEquals(new int[] {5, 4, 3}, out(s + "output = get_subsequence_with_jumps(sequence_1, 2)"));
        assertArrayEquals(new int[] {5, 1}, out(s + "output = get_subsequence_with_jumps(sequence_1, 3)"));
        assertArrayEquals(new int[] {1, 4}, out(s + "output = get_subsequence_between_indices(sequence_1, 1, 3)"));
        assertArrayEquals(new int[] {1, 3}, out(s + "output = get_subsequence_between_indices(sequence_1, 3, 200)"));
        assertArrayEquals(new int[] {}, out(s + "output = get_subsequence_between_indices(sequence_1, 4, 2)"));
        assertArrayEquals(new int[] {4, 5}, out(s + "output = max_n(sequence_1, 2)"));
        assertArrayEquals(new int[] {1, 1, 3}, out(s + "output = min_n(sequence_1, 3)"));
        assertArrayEquals(new int[] {1, 1, 3, 4, 5}, out(s + "output = max_n(sequence_1, 99)"));
        assertArrayEquals(new int[] {}, out(s + "output = min_n(sequence_1, 0)"));
        assertArrayEquals(new int[] {15, 11, 14, 11, 13}, out(s + "output = add_item_list(sequence_1, 10)"));
        // 5-10 = -5 -> 251 mod 256 on output
        assertArrayEquals(new int[] {251, 247, 250, 247, 249}, out(s + "output = subtract_item_list(sequence_1, 10)"));
        assertArrayEquals(new int[] {1, 1, 0, 1, 1}, out(s + "output = modulo_item_list(sequence_1, 2)"));
        assertArrayEquals(new int[] {4}, out(s + "output = filter(is_even, sequence_1)"));
        assertArrayEquals(new int[] {5, 1, 1, 3}, out(s + "output = filter(is_odd, sequence_1)"));
        assertArrayEquals(new int[] {1, 2}, out("sequence_1 = set_list([0, 1, 0, 2])\noutput = filter(is_not_zero, sequence_1)"));
        assertArrayEquals(new int[] {5, 6, 10, 11, 14}, out(s + "output = scan_add(sequence_1)"));
        // floor modulo of negatives: -5 mod 3 = 1
        assertArrayEquals(new int[] {1}, out("sequence_1 = set_list([0])\nsequence_2 = subtract_item_list(sequence_1, 5)\noutput = modulo_item_list(sequence_2, 3)"));
        // filter sees the value before mod 256: -2 is even, 254 after output
        assertArrayEquals(new int[] {254}, out("sequence_1 = set_list([1, 0])\nsequence_2 = subtract_item_list(sequence_1, 2)\noutput = filter(is_even, sequence_2)"));
    }

    @Test
    void twoListOperations() throws KtException {
        String s = "sequence_1 = set_list([10, 20, 30, 40])\nsequence_2 = set_list([3, 0, 7])\n";
        assertArrayEquals(new int[] {13, 20, 37}, out(s + "output = add_two_lists(sequence_1, sequence_2)"));
        assertArrayEquals(new int[] {7, 20, 23}, out(s + "output = subtract_two_lists(sequence_1, sequence_2)"));
        // 10 mod 3 = 1; the pair (20, 0) is dropped; 30 mod 7 = 2
        assertArrayEquals(new int[] {1, 2}, out(s + "output = modulo_two_lists(sequence_1, sequence_2)"));
        assertArrayEquals(new int[] {10, 20, 30, 40, 3, 0, 7}, out(s + "output = concatenate(sequence_1, sequence_2)"));
        assertArrayEquals(new int[] {10, 3, 20, 0, 30, 7, 40}, out(s + "output = interleave(sequence_1, sequence_2)"));
        assertArrayEquals(new int[] {3, 10, 0, 20, 7, 30, 40}, out(s + "output = interleave(sequence_2, sequence_1)"));
        assertArrayEquals(new int[] {10, 20, 30, 40}, out(s + "output = sequence_1"));
        String e = "sequence_1 = set_list([])\nsequence_2 = set_list([1, 2])\n";
        assertArrayEquals(new int[] {}, out(e + "output = add_two_lists(sequence_1, sequence_2)"));
        assertArrayEquals(new int[] {1, 2}, out(e + "output = interleave(sequence_1, sequence_2)"));
        assertArrayEquals(new int[] {}, out(e + "output = scan_add(sequence_1)"));
        assertArrayEquals(new int[] {}, out(e + "output = reverse_list(sequence_1)"));
        assertArrayEquals(new int[] {}, out(e + "output = max_n(sequence_1, 3)"));
    }

    @Test
    void outputIsModulo256() throws KtException {
        // 250..255 + 10 = 260..265 -> 4..9
        assertArrayEquals(new int[] {4, 5, 6, 7, 8, 9}, out("sequence_1 = range_func_up(250, 255)\noutput = add_item_list(sequence_1, 10)"));
    }

    @Test
    void printerIsCanonicalAndRoundTrips() throws KtException {
        String canonical = "sequence_1 = range_func_interval(2, 11, 3)\nsequence_2 = set_list([1, 2])\nsequence_3 = filter(is_odd, sequence_2)\n"
                + "output = interleave(sequence_1, sequence_3)\n";
        Program p = Parser.parse(canonical);
        assertEquals(canonical, Printer.print(p));
        assertEquals(p, Parser.parse(Printer.print(p)));
        // any names, spacing, comments and blank lines parse to the same program
        String loose = "# a comment\n  sequence_7 =range_func_interval( 2,11 , 3 )\n\nsequence_3 = set_list([ 1,2 ])\nsequence_9 = filter(is_odd,sequence_3)\noutput = interleave(sequence_7, sequence_9)\n\n";
        assertEquals(p, Parser.parse(loose));
        assertEquals(canonical, Printer.print(Parser.parse(loose)));
        assertEquals("sequence_1 = set_list([])\noutput = sequence_1\n", Printer.print(Parser.parse("sequence_1 = set_list([])\noutput = sequence_1")));
    }

    @Test
    void malformedProgramsNameTheLine() {
        assertLine(2, "sequence_1 = range_func_up(1, 5)\nsequence_2 = frobnicate(sequence_1)\noutput = sequence_2");
        assertLine(1, "sequence_1 = range_func_up(1, 256)\noutput = sequence_1");
        assertLine(1, "sequence_1 = range_func_up(-1, 5)\noutput = sequence_1");
        assertLine(2, "sequence_1 = range_func_up(1, 5)\noutput = repeat_list(21, sequence_1)");
        assertLine(2, "sequence_1 = range_func_up(1, 5)\noutput = repeat_list(0, sequence_1)");
        assertLine(2, "sequence_1 = range_func_up(1, 5)\noutput = get_subsequence_with_jumps(sequence_1, 9)");
        assertLine(1, "sequence_1 = range_func_interval(1, 5, 0)\noutput = sequence_1");
        assertLine(2, "sequence_1 = range_func_up(1, 5)\noutput = reverse_list(sequence_2)");
        assertLine(3, "sequence_1 = range_func_up(1, 5)\n\nsequence_1 = range_func_up(1, 5)\noutput = sequence_1");
        assertLine(2, "sequence_1 = range_func_up(1, 5)\noutput = reverse_list(sequence_1, sequence_1)");
        assertLine(2, "sequence_1 = range_func_up(1, 5)\noutput = filter(is_prime, sequence_1)");
        assertLine(1, "sequence_1 = set_list(1, 2)\noutput = sequence_1");
        assertLine(1, "sequence_1 = set_list([1, x])\noutput = sequence_1");
        assertLine(1, "sequence_1 range_func_up(1, 5)\noutput = sequence_1");
        assertLine(1, "seq = range_func_up(1, 5)\noutput = seq");
        assertLine(2, "output = range_func_up(1, 5)\nsequence_1 = range_func_up(1, 5)");
        assertLine(1, "sequence_1 = range_func_up(1, 5");
        assertLine(1, "sequence_1 = sequence_0\noutput = sequence_1");
        KtException e = assertThrows(KtException.class, () -> Parser.parse("sequence_1 = range_func_up(1, 5)\n"));
        assertTrue(e.getMessage().contains("no output line"), e.getMessage());
        assertThrows(KtException.class, () -> Parser.parse(""));
    }

    static void assertLine(int line, String text) {
        KtException e = assertThrows(KtException.class, () -> Parser.parse(text), text);
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
    }

    @Test
    void runtimeErrorsNameTheLine() {
        KtException z = fails("sequence_1 = range_func_up(1, 5)\noutput = modulo_item_list(sequence_1, 0)");
        assertEquals(2, z.line());
        // 20^6 = 64e6 elements: the list limit stops it at the line that would exceed it
        StringBuilder sb = new StringBuilder("sequence_1 = repeat_num(20, 1)\n");
        for (int i = 2; i <= 6; i++) sb.append("sequence_").append(i).append(" = repeat_list(20, sequence_").append(i - 1).append(")\n");
        sb.append("output = sequence_6\n");
        KtException big = fails(sb.toString());
        assertEquals(4, big.line(), big.getMessage()); // 20^4 = 160000 > 65536
        // k scan_adds of 20 x 255 end in 255 * C(19 + k, k): k = 20 gives 255 * C(39, 20) = 1.75e13 > 2^40 = 1.1e12,
        // an error, not a silent overflow
        StringBuilder grow = new StringBuilder("sequence_1 = repeat_num(20, 255)\n");
        for (int i = 2; i <= 21; i++) grow.append("sequence_").append(i).append(" = scan_add(sequence_").append(i - 1).append(")\n");
        grow.append("output = sequence_21\n");
        KtException range = fails(grow.toString());
        assertTrue(range.getMessage().contains("value out of range"), range.getMessage());
        // the work limit counts all lines: many medium lists
        Interpreter.Limits small = new Interpreter.Limits(1000, 2500);
        KtException work = assertThrows(KtException.class, () -> Interpreter.run(Parser.parse(
                "sequence_1 = range_func_up(0, 255)\nsequence_2 = repeat_list(3, sequence_1)\nsequence_3 = reverse_list(sequence_2)\noutput = reverse_list(sequence_3)"), small));
        assertEquals(4, work.line(), work.getMessage()); // 256 + 768 + 768 + 768 = 2560 > 2500 at line 4
    }

    @Test
    void prunedDropsDeadLines() throws KtException {
        Program p = Parser.parse("sequence_1 = range_func_up(1, 5)\nsequence_2 = repeat_num(3, 3)\nsequence_3 = reverse_list(sequence_1)\noutput = sequence_3");
        assertEquals("sequence_1 = range_func_up(1, 5)\noutput = reverse_list(sequence_1)\n", Printer.print(p.pruned()));
        assertArrayEquals(Interpreter.run(p), Interpreter.run(p.pruned()));
    }
}
