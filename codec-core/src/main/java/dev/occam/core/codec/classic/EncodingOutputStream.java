package dev.occam.core.codec.classic;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The compressing side of every classical codec: a write buffer in front of the library encoder
 * (single-byte writes would otherwise cost a native or Deflater call each) that refuses writes
 * after {@link #close()} instead of buffering them into nowhere. Closing flushes the buffer and
 * closes the encoder, which finishes the format and closes the target.
 */
final class EncodingOutputStream extends OutputStream {
    private static final int BUFFER = 64 * 1024;

    private final String format;
    private final OutputStream encoder;
    private final byte[] buf = new byte[BUFFER];
    private int count;
    private boolean closed;

    EncodingOutputStream(String format, OutputStream encoder) {
        this.format = format;
        this.encoder = encoder;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == buf.length) drain();
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len >= buf.length) {
            drain();
            encoder.write(b, off, len);
            return;
        }
        if (len > buf.length - count) drain();
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Passes the buffered bytes and a flush to the encoder (zstd and lz4 end a block here). */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        drain();
        encoder.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        IOException failure = null;
        try {
            drain();
        } catch (IOException e) {
            failure = e;
        }
        try {
            encoder.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private void drain() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            encoder.write(buf, 0, n);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException(format + ": stream closed");
    }
}
