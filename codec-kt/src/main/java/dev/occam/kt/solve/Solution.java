package dev.occam.kt.solve;

import dev.occam.kt.dsl.Program;

/**
 * A verified program for a target.
 *
 * @param program  the program (its output equals the target)
 * @param bits     its bits under the uniform prior
 * @param fallback whether it is the plain {@code output = set_list([...])} program
 * @param source   which solver or proposer found it ("search", "onnx", "command", ...)
 */
public record Solution(Program program, double bits, boolean fallback, String source) {
}
