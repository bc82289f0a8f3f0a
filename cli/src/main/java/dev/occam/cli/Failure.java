package dev.occam.cli;

/**
 * A failure the CLI reports in one line: {@code occam: SUBJECT: message}. {@link #exitCode} is 1
 * for failures (refused overwrite, unknown file) and 2 for usage errors (unknown codec, bad level).
 */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    Failure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static Failure usage(String message) {
        return new Failure(Occam.EXIT_USAGE, message);
    }

    static Failure failed(String message) {
        return new Failure(Occam.EXIT_FAILURE, message);
    }
}
