package dev.occam.core.codec.classic;

import java.io.IOException;

/**
 * A valid stream this JVM cannot decode within its resources (xz dictionary larger than the memory
 * limit). Passed through unchanged by {@link DecodingInputStream}: it is not corrupt input.
 */
final class ResourceLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    ResourceLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
