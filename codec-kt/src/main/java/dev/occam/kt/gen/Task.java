package dev.occam.kt.gen;

import dev.occam.kt.dsl.Program;
import dev.occam.kt.score.UniformPrior;

/**
 * A synthetic task: the generating program and its output (the sequence to compress).
 *
 * @param id      index within its set
 * @param program the (pruned) generating program
 * @param output  its output bytes
 */
public record Task(int id, Program program, byte[] output) {
    /** The generating program's bits under the uniform prior. */
    public double bits() {
        return UniformPrior.bits(program);
    }
}
