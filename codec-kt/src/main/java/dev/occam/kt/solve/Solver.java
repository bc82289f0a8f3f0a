package dev.occam.kt.solve;

/**
 * Finds a short program whose output is the target. Every solver returns a verified program:
 * at worst the {@code set_list} fallback. Implementations are thread-safe (one solver may serve
 * several threads) unless they say otherwise.
 */
public interface Solver {
    /**
     * A program for {@code target}, searched until about {@code deadlineNanos} ({@link System#nanoTime()} scale).
     *
     * @param target the bytes to reproduce (any length the interpreter's limits allow)
     */
    Solution solve(byte[] target, long deadlineNanos);

    /**
     * Internal failures so far (bugs caught so that the target still gets a correct program, e.g. an
     * exception inside a search heuristic); 0 for solvers that cannot fail that way.
     */
    default long failures() {
        return 0;
    }
}
