package dev.occam.core.codec.classic;

import dev.occam.core.CorruptInputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Locale;

/**
 * The decompressed side of every classical codec: opens the library's decoder lazily (so that
 * constructing the stream never blocks on or fails for its source), maps every failure the library
 * throws on bad input to {@link CorruptInputException} ("xz: corrupt data: ...", "gzip: truncated
 * input") with the compressed offset, passes real I/O errors of the source through unchanged, and
 * after the decoder's end of stream checks that the source has no bytes left (trailing data is an
 * error).
 *
 * <p>Offsets come from a {@link CountingInputStream} under the library, so they count the bytes the
 * library had read when it failed: for truncation exactly the input length; for damaged data a
 * position after the damage (libraries read ahead by up to a buffer or block, and a checksum
 * mismatch is noticed at the end of the checked unit).
 */
final class DecodingInputStream extends InputStream {
    /** Builds the library decoder over the counted source. */
    interface Opener {
        InputStream open(InputStream source) throws IOException;
    }

    private static final int BUFFER = 8192;
    /** A decoder that returns 0 bytes this often in a row is stuck (the InputStream contract forbids 0). */
    private static final int MAX_EMPTY_READS = 1000;

    private final String format;
    private final CountingInputStream source;
    private final Opener opener;
    private final int[] magic;
    private final boolean padsPastEnd;
    private InputStream decoder;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean finished;
    private boolean closed;

    /**
     * @param format name used in messages ("gzip")
     * @param in     the compressed source
     * @param magic  the format's leading bytes (an input that ends inside them is "truncated"), or empty
     * @param opener builds the library decoder
     */
    DecodingInputStream(String format, InputStream in, int[] magic, Opener opener) {
        this(format, in, magic, false, opener);
    }

    /**
     * @param padsPastEnd the decoder reads zeros past the end of its input and may then fail on
     *                    them with an arbitrary message (brotli), so once the source has ended
     *                    a failure may be truncation or corruption and is reported as either
     */
    DecodingInputStream(String format, InputStream in, int[] magic, boolean padsPastEnd, Opener opener) {
        this.format = format;
        this.source = new CountingInputStream(in);
        this.magic = magic.clone();
        this.padsPastEnd = padsPastEnd;
        this.opener = opener;
    }

    @Override
    public int read() throws IOException {
        if (pos == lim && !fill()) return -1;
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || len > b.length - off) throw new IndexOutOfBoundsException();
        if (len == 0) return 0;
        if (pos < lim) {
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len < BUFFER) {
            if (!fill()) return -1;
            int n = Math.min(len, lim);
            System.arraycopy(buf, 0, b, off, n);
            pos = n;
            return n;
        }
        return decode(b, off, len);
    }

    @Override
    public int available() {
        return lim - pos;
    }

    /** Refills the one-read buffer; false at the end of the data. */
    private boolean fill() throws IOException {
        int n = decode(buf, 0, BUFFER);
        pos = 0;
        lim = Math.max(n, 0);
        return n > 0;
    }

    /** Reads decoded bytes from the library, mapping its failures; -1 at the (checked) end. */
    private int decode(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException(format + ": stream closed");
        if (finished) return -1;
        int n;
        try {
            if (decoder == null) decoder = opener.open(source);
            int spins = 0;
            do {
                n = decoder.read(b, off, len);
            } while (n == 0 && ++spins < MAX_EMPTY_READS);
            if (n == 0) throw new IOException(format + ": decoder made no progress");
        } catch (IOException | RuntimeException e) {
            throw map(e);
        }
        if (n < 0) {
            finished = true;
            checkNoTrailingData();
        }
        return n;
    }

    /**
     * After the decoder's end: an empty source is not a compressed stream (every format here has a
     * header), and any further source byte is trailing data the decoder ignored.
     */
    private void checkNoTrailingData() throws IOException {
        if (source.count() == 0) throw new CorruptInputException(0, format + ": truncated input (empty)");
        if (source.reachedEnd()) return;
        long at = source.count();
        if (source.read() >= 0) {
            throw new CorruptInputException(at, format + ": trailing data after the end of the compressed stream");
        }
    }

    private IOException map(Throwable e) {
        if (e instanceof CorruptInputException) return (CorruptInputException) e;
        IOException sourceError = source.sourceError();
        if (sourceError != null) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t == sourceError) return sourceError;
            }
        }
        if (e instanceof InterruptedIOException) return (InterruptedIOException) e;
        if (e instanceof ResourceLimitException) return (ResourceLimitException) e;
        if (source.reachedEnd() && source.count() == 0) {
            return new CorruptInputException(0, format + ": truncated input (empty)", e);
        }
        if (magic.length > 0 && source.isCutMagic(magic)) {
            return new CorruptInputException(source.count(), format + ": truncated input", e);
        }
        CorruptInputException c = corrupt(format, source.count(), e);
        if (padsPastEnd && source.reachedEnd() && c.reason().startsWith(format + ": corrupt data: ")) {
            return new CorruptInputException(c.offset(), format + ": truncated or corrupt input: " + detail(e), e);
        }
        return c;
    }

    /**
     * The CorruptInputException for a library failure: "format: truncated input" when the library
     * reports an unexpected end (EOFException or a message saying so), "format: trailing data ..."
     * or "format: unsupported stream: ..." when its message says so, else "format: corrupt data:
     * message".
     */
    static CorruptInputException corrupt(String format, long offset, Throwable e) {
        String detail = detail(e);
        String lower = detail.toLowerCase(Locale.ROOT);
        String reason;
        if (isTruncation(e)) {
            reason = format + ": truncated input";
        } else if (lower.contains("after a valid") || lower.contains("unused bytes after end")) {
            reason = format + ": trailing data after the end of the compressed stream";
        } else if (lower.contains("unsupported")) {
            reason = format + ": unsupported stream: " + detail;
        } else {
            reason = format + ": corrupt data: " + detail;
        }
        return new CorruptInputException(offset, reason, e);
    }

    /** Cause chains are short; the bound only guards against a cycle. */
    private static final int MAX_CAUSES = 16;

    static boolean isTruncation(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (t instanceof EOFException) return true;
            String m = t.getMessage();
            if (m == null) continue;
            String l = m.toLowerCase(Locale.ROOT);
            if (l.contains("truncat") || l.contains("premature") || l.contains("unexpected end")
                    || l.contains("no more input") || l.contains("read after end") || l.contains("end of input")
                    || l.contains("end of stream")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The innermost message in the cause chain (libraries wrap their real reason), prefixed with
     * the exception's type when it is a JDK runtime exception ("ArrayIndexOutOfBoundsException:
     * Index 9 out of bounds for length 8"), whose message alone says little.
     */
    static String detail(Throwable e) {
        Throwable best = null;
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) best = t;
        }
        if (best == null) return e.getClass().getSimpleName();
        boolean jdkRuntime = best instanceof RuntimeException && best.getClass() != RuntimeException.class
                && best.getClass().getName().startsWith("java.");
        return jdkRuntime ? best.getClass().getSimpleName() + ": " + best.getMessage() : best.getMessage();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (decoder != null) {
            try {
                decoder.close();
            } catch (RuntimeException e) {
                throw map(e);
            } finally {
                source.close();
            }
        } else {
            source.close();
        }
    }
}
