package dev.occam.core;

import java.io.IOException;

/**
 * The one exception for bad compressed input: wrong magic, unsupported version, unknown codec,
 * model mismatch, truncation, checksum mismatch, impossible coder state.
 *
 * <p>{@link #offset()} is the byte offset in the compressed stream where the problem was
 * detected (-1 when unknown); {@link #reason()} is the human-readable cause without the offset.
 */
public final class CorruptInputException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    public CorruptInputException(long offset, String reason) {
        super(offset >= 0 ? reason + " (at byte offset " + offset + ")" : reason);
        this.offset = offset;
        this.reason = reason;
    }

    public CorruptInputException(long offset, String reason, Throwable cause) {
        this(offset, reason);
        initCause(cause);
    }

    /** Byte offset in the compressed input where the problem was found, or -1 if unknown. */
    public long offset() {
        return offset;
    }

    /** The cause in words, without the offset. */
    public String reason() {
        return reason;
    }
}
