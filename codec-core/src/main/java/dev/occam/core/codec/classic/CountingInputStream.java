package dev.occam.core.codec.classic;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the compressed bytes a decoder pulls from its source and remembers whether the source
 * ended and which I/O error it threw, so that decoder failures can be told apart from real I/O
 * errors and reported with an offset. Marks are not supported: libraries that want them add their
 * own buffer on top, so the count is "bytes handed to the library" (it may run ahead of what the
 * library has actually parsed).
 */
final class CountingInputStream extends InputStream {
    private final InputStream in;
    /** The first {@link #HEAD} bytes of the source, for telling a cut-off magic from a wrong one. */
    static final int HEAD = 16;

    private final byte[] head = new byte[HEAD];
    private long count;
    private boolean eof;
    private IOException sourceError;

    CountingInputStream(InputStream in) {
        this.in = in;
    }

    /** Bytes read from the source so far. */
    long count() {
        return count;
    }

    /** True when the whole source (it has ended) is a proper prefix of {@code magic}: input cut inside the magic. */
    boolean isCutMagic(int[] magic) {
        if (!eof || count >= magic.length) return false;
        for (int i = 0; i < count; i++) {
            if ((head[i] & 0xFF) != magic[i]) return false;
        }
        return true;
    }

    /** True once the source returned end of stream. */
    boolean reachedEnd() {
        return eof;
    }

    /** The last I/O error the source itself threw, or null. */
    IOException sourceError() {
        return sourceError;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            sourceError = e;
            throw e;
        }
        if (b < 0) {
            eof = true;
        } else {
            if (count < HEAD) head[(int) count] = (byte) b;
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            sourceError = e;
            throw e;
        }
        if (n < 0) {
            eof = true;
        } else {
            if (count < HEAD) System.arraycopy(b, off, head, (int) count, (int) Math.min(n, HEAD - count));
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping through read keeps the count and the end flag exact
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        } catch (IOException e) {
            sourceError = e;
            throw e;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
