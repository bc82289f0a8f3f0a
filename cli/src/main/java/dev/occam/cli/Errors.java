package dev.occam.cli;

import dev.occam.core.CorruptInputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns any throwable into the one-line reason printed after {@code occam: FILE: }. */
final class Errors {
    private Errors() {
    }

    /** The reason in words; with {@code verbose} the cause chain follows on the same line. */
    static String describe(Throwable t, boolean verbose) {
        CorruptInputException corrupt = find(t, CorruptInputException.class);
        String s;
        if (corrupt != null) {
            s = "corrupt input: " + corrupt.reason()
                    + (corrupt.offset() >= 0 ? " (at byte offset " + corrupt.offset() + ")" : " (byte offset unknown)");
        } else if (t instanceof Failure f) {
            s = f.getMessage();
        } else if (t instanceof OutOfMemoryError) {
            s = "out of memory: give the JVM more heap (e.g. OCCAM_JAVA_OPTS=-Xmx4g) or use a smaller --block-size";
        } else if (t instanceof StackOverflowError) {
            s = "stack overflow: give the JVM a larger stack (e.g. OCCAM_JAVA_OPTS=-Xss64m)";
        } else {
            Throwable io = t instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : t;
            s = describeOne(io);
        }
        if (verbose) {
            StringBuilder chain = new StringBuilder();
            for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                chain.append(chain.length() == 0 ? " (caused by " : "; ").append(c.getClass().getSimpleName());
                if (c.getMessage() != null) chain.append(": ").append(oneLine(c.getMessage()));
            }
            if (chain.length() > 0) s += chain.append(')');
        }
        return oneLine(s);
    }

    private static String describeOne(Throwable t) {
        if (t instanceof FileSystemException fs) {
            String what;
            if (t instanceof NoSuchFileException) what = "No such file or directory";
            else if (t instanceof AccessDeniedException) what = "Permission denied";
            else if (t instanceof FileAlreadyExistsException) what = "already exists; use -f to overwrite";
            else if (t instanceof NotDirectoryException) what = "Not a directory";
            else what = fs.getReason() != null ? fs.getReason() : "file system error";
            return fs.getFile() != null ? fs.getFile() + ": " + what : what;
        }
        if (t instanceof EOFException) {
            return "unexpected end of input" + (t.getMessage() != null ? ": " + t.getMessage() : "");
        }
        if (t instanceof IOException) {
            return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        }
        return "internal error: " + t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
        }
        return null;
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
