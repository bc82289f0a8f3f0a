package dev.occam.core.coding;

import dev.occam.core.CorruptInputException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decoder for {@link BinaryEncoder} streams. Same buffering and truncation rules as
 * {@link RangeDecoder}: reads ahead from a stream; up to 7 zero bytes of padding past the end,
 * then {@link CorruptInputException} "truncated".
 */
public final class BinaryDecoder {
    private final RcIn rc;

    /** Decoder over a stream (reads ahead into an 8 KiB buffer). */
    public BinaryDecoder(InputStream in) throws IOException {
        this.rc = new RcIn(in);
    }

    /** Decoder over {@code buf[off, off+len)}. */
    public BinaryDecoder(byte[] buf, int off, int len) throws CorruptInputException {
        try {
            this.rc = new RcIn(buf, off, len);
        } catch (CorruptInputException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Decodes one bit coded with the same {@code p1} in [1, 65535]. */
    public int decode(int p1) throws IOException {
        return rc.decodeBit(p1);
    }

    /** Bytes consumed from the input so far. */
    public long bytesRead() {
        return rc.bytesRead();
    }
}
