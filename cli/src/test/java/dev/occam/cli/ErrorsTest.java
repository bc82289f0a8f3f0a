package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.occam.core.CorruptInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** The one-line reasons printed after {@code occam: FILE: }. */
class ErrorsTest {
    @Test
    void corruptInputShowsReasonAndOffsetEvenWhenWrapped() {
        CorruptInputException c = new CorruptInputException(1234, "block CRC32C mismatch");
        assertEquals("corrupt input: block CRC32C mismatch (at byte offset 1234)", Errors.describe(c, false));
        assertEquals("corrupt input: block CRC32C mismatch (at byte offset 1234)",
                Errors.describe(new IOException("worker failed", c), false));
        assertEquals("corrupt input: bad thing (byte offset unknown)",
                Errors.describe(new CorruptInputException(-1, "bad thing"), false));
    }

    @Test
    void systemErrorsAndBugsAreOneLine() {
        assertEquals("/x/y: Permission denied", Errors.describe(new AccessDeniedException("/x/y"), false));
        assertEquals("disk on fire", Errors.describe(new UncheckedIOException(new IOException("disk on fire")), false));
        assertEquals("internal error: IllegalStateException: line one line two",
                Errors.describe(new IllegalStateException("line one\nline two"), false));
        assertEquals("out of memory: give the JVM more heap (e.g. OCCAM_JAVA_OPTS=-Xmx4g) or use a smaller --block-size",
                Errors.describe(new OutOfMemoryError("Java heap space"), false));
    }

    @Test
    void verboseAddsTheCauseChain() {
        IOException e = new IOException("read failed", new IllegalArgumentException("bad length", new ArithmeticException()));
        assertEquals("read failed", Errors.describe(e, false));
        assertEquals("read failed (caused by IllegalArgumentException: bad length; ArithmeticException)",
                Errors.describe(e, true));
    }
}
