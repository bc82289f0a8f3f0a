package dev.occam.kt.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Parser;
import org.junit.jupiter.api.Test;

class UniformPriorTest {
    static final double L25 = 4.643856189774724; // log2(25)
    static final double L20 = 4.321928094887363; // log2(20)

    static double bits(String text) throws KtException {
        return UniformPrior.bits(Parser.parse(text));
    }

    @Test
    void handComputedTotals() throws KtException {
        // one line, 3 literals: log2(25) + 3*8 = 4.6439 + 24 = 28.6439
        assertEquals(L25 + 24, bits("output = set_list([1, 2, 3])"), 1e-9);
        // line 1: log2(25) + 8 + 8; line 2 (repeat_list): log2(25) + log2(20) + ref log2(2)=1
        // = 4.6439+16 + 4.6439+4.3219+1 = 30.6096
        assertEquals(2 * L25 + 16 + L20 + 1, bits("sequence_1 = range_func_up(1, 9)\noutput = repeat_list(3, sequence_1)"), 1e-9);
        assertEquals(30.609640474436812, bits("sequence_1 = range_func_up(1, 9)\noutput = repeat_list(3, sequence_1)"), 1e-9);
        // range_func_interval: 2 values + step = 16 + 3; repeat_num: value + count = 8 + 4.3219
        // line 3 concatenate: 2 refs of log2(3) = 2*1.58496; total 3*4.6439 + 19 + 12.3219 + 3.16993 = 48.4234
        assertEquals(3 * L25 + 19 + 8 + L20 + 2 * Math.log(3) / Math.log(2),
                bits("sequence_1 = range_func_interval(0, 10, 2)\nsequence_2 = repeat_num(4, 7)\noutput = concatenate(sequence_1, sequence_2)"), 1e-9);
        assertEquals(48.42342166565385,
                bits("sequence_1 = range_func_interval(0, 10, 2)\nsequence_2 = repeat_num(4, 7)\noutput = concatenate(sequence_1, sequence_2)"), 1e-9);
        // substitute = ref + 2 values; between indices = ref + 2 values; jumps = ref + step; max_n = ref + value
        // lines 2..5 refs: log2(2)=1, log2(3)=1.585, log2(4)=2, log2(5)=2.3219
        double expected = 5 * L25 + 16 // line 1 range_func_up
                + 1 + 16 // line 2 substitute
                + Math.log(3) / Math.log(2) + 16 // line 3 between indices
                + 2 + 3 // line 4 jumps
                + Math.log(5) / Math.log(2) + 8; // line 5 max_n
        assertEquals(expected, bits("sequence_1 = range_func_up(0, 20)\nsequence_2 = substitute(sequence_1, 3, 4)\n"
                + "sequence_3 = get_subsequence_between_indices(sequence_2, 1, 9)\nsequence_4 = get_subsequence_with_jumps(sequence_3, 2)\n"
                + "output = max_n(sequence_4, 2)"), 1e-9);
        // filter, reverse, scan_add: ref only (the predicate is free); bare output: log2(25) + ref
        // 5*4.6439 + 16 + 1 + 1.585 + 2 + 2.3219 = 46.126
        assertEquals(5 * L25 + 16 + 1 + Math.log(3) / Math.log(2) + 2 + Math.log(5) / Math.log(2),
                bits("sequence_1 = range_func_up(0, 20)\nsequence_2 = filter(is_even, sequence_1)\nsequence_3 = reverse_list(sequence_2)\n"
                        + "sequence_4 = scan_add(sequence_3)\noutput = sequence_4"), 1e-9);
        // item operations: ref + value
        assertEquals(4 * L25 + 16 + (1 + 8) + (Math.log(3) / Math.log(2) + 8) + (2 + 8),
                bits("sequence_1 = range_func_up(0, 20)\nsequence_2 = add_item_list(sequence_1, 3)\nsequence_3 = subtract_item_list(sequence_2, 1)\n"
                        + "output = modulo_item_list(sequence_3, 7)"), 1e-9);
        assertEquals(UniformPrior.setListBits(5), bits("output = set_list([1, 2, 3, 4, 5])"), 1e-12);
    }
}
