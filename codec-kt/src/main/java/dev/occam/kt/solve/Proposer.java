package dev.occam.kt.solve;

import java.io.IOException;
import java.util.List;

/**
 * Proposes candidate programs (as text) for a target; a {@link ProposerSolver} parses, runs and
 * scores them, so a proposer may return anything. Implementations need not be thread-safe (the
 * solver serialises calls to one proposer).
 */
public interface Proposer extends AutoCloseable {
    /** Short name for reports ("onnx", "command"). */
    String name();

    /** Up to {@code count} candidate program texts for {@code target}, stopping around the deadline. */
    List<String> propose(byte[] target, int count, long deadlineNanos) throws IOException;

    @Override
    default void close() throws IOException {
    }

    /**
     * The prompt proposers give a model: a short description of the DSL, two worked examples and
     * the target sequence; the model is expected to continue with program lines.
     */
    static String prompt(byte[] target) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Write the shortest program whose output is the given sequence.\n");
        sb.append("# Functions: range_func_up(start, end), range_func_interval(start, end, step), repeat_num(count, value),\n");
        sb.append("# set_list([v, ...]), repeat_list(n, s), reverse_list(s), substitute(s, pattern, replacement),\n");
        sb.append("# get_subsequence_with_jumps(s, step), get_subsequence_between_indices(s, start, end), max_n(s, n), min_n(s, n),\n");
        sb.append("# add_item_list(s, c), subtract_item_list(s, c), modulo_item_list(s, c), filter(is_even|is_odd|is_not_zero, s),\n");
        sb.append("# add_two_lists(a, b), subtract_two_lists(a, b), modulo_two_lists(a, b), scan_add(s), concatenate(a, b), interleave(a, b)\n");
        sb.append("\nSequence: [3, 4, 5, 6, 3, 4, 5, 6]\nProgram:\nsequence_1 = range_func_up(3, 6)\noutput = repeat_list(2, sequence_1)\n");
        sb.append("\nSequence: [7, 7, 7, 1, 2]\nProgram:\nsequence_1 = repeat_num(3, 7)\nsequence_2 = range_func_up(1, 2)\noutput = concatenate(sequence_1, sequence_2)\n");
        sb.append("\nSequence: [");
        for (int i = 0; i < target.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(target[i] & 0xFF);
        }
        sb.append("]\nProgram:\n");
        return sb.toString();
    }

    /** The program part of a model's continuation: lines up to and including the first {@code output = } line. */
    static String programPart(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            sb.append(line).append('\n');
            if (line.strip().startsWith("output")) break;
        }
        return sb.toString();
    }
}
