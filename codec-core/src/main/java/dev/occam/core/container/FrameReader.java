package dev.occam.core.container;

import dev.occam.core.CorruptInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Reads frame structure from a stream byte-exactly (no read-ahead, so the stream is left just
 * after a frame), tracks the absolute offset, keeps a running CRC32C of structural bytes on
 * demand, and reports the end of input as a "truncated" {@link CorruptInputException}.
 */
final class FrameReader {
    private final InputStream in;
    private final CRC32C crc = new CRC32C();
    private final byte[] scratch4 = new byte[4];
    private long pos;

    FrameReader(InputStream in, long startOffset) {
        this.in = in;
        this.pos = startOffset;
    }

    /** Absolute offset of the next byte. */
    long pos() {
        return pos;
    }

    /** Restarts the running CRC: the next bytes read are the first it covers. */
    void crcStart() {
        crc.reset();
    }

    /** CRC32C of the structural bytes read since {@link #crcStart()} (payloads excluded). */
    int crcValue() {
        return (int) crc.getValue();
    }

    /** The next byte (0..255), or -1 at the end of input. Counted in the running CRC. */
    int read() throws IOException {
        int b = in.read();
        if (b < 0) return -1;
        pos++;
        crc.update(b);
        return b;
    }

    /** The next byte; the end of input is a truncation inside {@code what}. */
    int readByte(String what) throws IOException {
        int b = read();
        if (b < 0) throw truncated(what);
        return b;
    }

    /** Reads exactly len bytes into b (counted in the running CRC). */
    void readFully(byte[] b, int off, int len, String what) throws IOException {
        readPayload(b, off, len, what);
        crc.update(b, off, len);
    }

    /** Reads exactly len bytes into b without touching the running CRC. */
    void readPayload(byte[] b, int off, int len, String what) throws IOException {
        int done = 0;
        while (done < len) {
            int n = readSome(b, off + done, len - done);
            if (n < 0) {
                pos += done;
                throw truncated(what);
            }
            done += n;
        }
        pos += len;
    }

    /** Reads and discards n bytes (by reading: skip() may pass the end of a file silently). */
    void skipPayload(long n, byte[] scratch, String what) throws IOException {
        while (n > 0) {
            int want = (int) Math.min(n, scratch.length);
            int got = readSome(scratch, 0, want);
            if (got < 0) throw truncated(what);
            pos += got;
            n -= got;
        }
    }

    /**
     * At least one byte (or -1 at the end): a stream whose read(byte[]) returns 0 is asked for a
     * single byte, which blocks until data or the end, so the loops above cannot spin.
     */
    private int readSome(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n != 0) return n;
        int c = in.read();
        if (c < 0) return -1;
        b[off] = (byte) c;
        return 1;
    }

    /** Four bytes, little-endian. */
    int readU32(String what) throws IOException {
        readFully(scratch4, 0, 4, what);
        return (scratch4[0] & 0xFF) | (scratch4[1] & 0xFF) << 8 | (scratch4[2] & 0xFF) << 16 | (scratch4[3] & 0xFF) << 24;
    }


    /**
     * Unsigned LEB128 in canonical form (no redundant trailing zero groups), at most 9 bytes;
     * values above {@code max} are refused as corrupt.
     */
    long readVarint(long max, String field, String what) throws IOException {
        long at = pos;
        long v = 0;
        for (int i = 0; i < 9; i++) {
            int b = readByte(what);
            v |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) throw new CorruptInputException(at, "non-canonical varint in the " + field);
                if (v < 0 || v > max) throw new CorruptInputException(at, field + " " + Long.toUnsignedString(v) + " is out of range");
                return v;
            }
        }
        throw new CorruptInputException(at, "varint too long in the " + field);
    }

    CorruptInputException truncated(String what) {
        return new CorruptInputException(pos, "truncated: the input ends inside the " + what);
    }
}
