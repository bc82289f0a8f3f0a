package dev.occam.core.codec.classic;

import dev.occam.core.CorruptInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes one zlib stream (RFC 1950: header, deflate data, Adler-32) with {@link Inflater},
 * which checks the header and the Adler-32 itself. Feeding the inflater by hand gives exact
 * offsets ({@link Inflater#getBytesRead()}) and lets us refuse what {@code InflaterInputStream}
 * (and so Commons Compress's {@code DeflateCompressorInputStream}) silently allows: bytes after the
 * stream that are already in its buffer, and a stream that needs a preset dictionary, which it
 * ends as if it were empty.
 */
final class ZlibInputStream extends InputStream {
    private static final String FORMAT = "deflate";

    private final InputStream in;
    private final Inflater inflater = new Inflater(false);
    private final byte[] input = new byte[64 * 1024];
    private boolean done;
    private boolean closed;

    ZlibInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || len > b.length - off) throw new IndexOutOfBoundsException();
        if (closed) throw new IOException(FORMAT + ": stream closed");
        if (len == 0) return 0;
        if (done) return -1;
        while (true) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                long at = inflater.getBytesRead();
                throw new CorruptInputException(at, FORMAT + ": corrupt data: " + e.getMessage(), e);
            }
            if (n > 0) return n;
            if (inflater.finished()) {
                finish();
                return -1;
            }
            if (inflater.needsDictionary()) {
                throw new CorruptInputException(inflater.getBytesRead(),
                        FORMAT + ": stream needs a preset dictionary (not supported)");
            }
            if (inflater.needsInput()) {
                int r = in.read(input, 0, input.length);
                if (r < 0) throw new CorruptInputException(inflater.getBytesRead(), FORMAT + ": truncated input");
                inflater.setInput(input, 0, r);
            }
        }
    }

    /** End of the zlib stream: nothing may follow it, neither in the buffer nor in the source. */
    private void finish() throws IOException {
        long end = inflater.getBytesRead();
        if (inflater.getRemaining() > 0 || in.read() >= 0) {
            throw new CorruptInputException(end, FORMAT + ": trailing data after the end of the compressed stream");
        }
        done = true;
        inflater.end();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        inflater.end();
        in.close();
    }
}
