package dev.occam.kt.dsl;

import java.io.IOException;

/**
 * A malformed program or one that fails when run (out-of-range value, zero divisor, a limit hit):
 * the message starts with {@code line N: } where N is the 1-based line of the program text (or
 * of the statement), so callers can report it and go on with the next task. No stack trace is
 * captured: the search raises these often.
 */
public final class KtException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int line;

    /** An error at 1-based {@code line} (0 when it concerns the program as a whole). */
    public KtException(int line, String reason) {
        super(line > 0 ? "line " + line + ": " + reason : reason);
        this.line = line;
    }

    /** The 1-based line, or 0. */
    public int line() {
        return line;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
