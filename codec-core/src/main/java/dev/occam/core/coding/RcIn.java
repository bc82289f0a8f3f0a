package dev.occam.core.coding;

import dev.occam.core.CorruptInputException;
import dev.occam.core.model.CdfModel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decoder core shared by {@link RangeDecoder} and {@link BinaryDecoder} (the mirror of
 * {@link RcOut}): {@code code} is the offset of the coded value inside the current interval,
 * {@code 0 <= code < range}. Bytes past the end of the input read as 0 for at most
 * {@value #MAX_PAD} bytes (the tail the encoder may omit); one more throws
 * {@link CorruptInputException} "truncated".
 */
final class RcIn {
    static final int MAX_PAD = 7;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final InputStream in;
    private final byte[] buf;
    private final int start;
    private int pos;
    private int limit;
    private long before; // bytes consumed from earlier buffer fills
    private int pad;
    private boolean eof;
    long code;
    long range = RcOut.TOP;

    RcIn(InputStream in) throws IOException {
        if (in == null) throw new NullPointerException("in");
        this.in = in;
        this.buf = new byte[1 << 13];
        this.start = 0;
        init();
    }

    RcIn(byte[] data, int off, int len) throws IOException {
        if (off < 0 || len < 0 || off > data.length - len) throw new IndexOutOfBoundsException("off=" + off + " len=" + len);
        this.in = null;
        this.buf = data;
        this.start = off;
        this.pos = off;
        this.limit = off + len;
        this.eof = true;
        init();
    }

    private void init() throws IOException {
        long c = 0;
        for (int i = 0; i < 7; i++) c = (c << 8) | nextByte();
        code = c;
    }

    int nextByte() throws IOException {
        if (pos < limit) return buf[pos++] & 0xFF;
        return refill();
    }

    private int refill() throws IOException {
        while (!eof) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
            } else if (n > 0) {
                before += limit - start;
                pos = 0;
                limit = n;
                return buf[pos++] & 0xFF;
            } else {
                int b = in.read();
                if (b < 0) {
                    eof = true;
                } else {
                    before += limit - start;
                    pos = 0;
                    limit = 0;
                    before += 1;
                    return b;
                }
            }
        }
        if (++pad > MAX_PAD) throw new CorruptInputException(bytesRead(), "truncated range-coded data");
        return 0;
    }

    /** slot = floor(code / floor(range / 2^P)); must be < 2^P for a valid stream. */
    int decodeSlot(int precisionBits) throws CorruptInputException {
        long r = range >>> precisionBits;
        long q = code / r;
        if (q >>> precisionBits != 0) throw corrupt("range decoder: slot outside [0, 2^" + precisionBits + ")");
        return (int) q;
    }

    /** One symbol: slot = code / r, s = model.symbolForSlot(slot), then remove s's slot range. */
    int decodeSymbol(CdfModel model) throws IOException {
        int prec = model.precisionBits();
        int slot = decodeSlot(prec);
        int s = model.symbolForSlot(slot);
        int cum = model.cumFreq(s);
        int f = model.freq(s);
        if (slot < cum || slot - cum >= f) throw corrupt("model maps slot " + slot + " to symbol " + s + " outside its range");
        consumeUnchecked(cum, f, prec);
        return s;
    }

    /**
     * {@code len} calls of {@link #decodeSymbol} with one model (symbols stored as bytes), with the
     * coder state in locals while at least 8 input bytes are buffered.
     */
    void decodeBytes(CdfModel model, byte[] dst, int off, int len) throws IOException {
        final int prec = model.precisionBits();
        final byte[] in = buf;
        long c = code;
        long rg = range;
        int p = pos;
        int lim = limit;
        final int end = off + len;
        int i = off;
        try {
            while (i < end) {
                if (p + 8 > lim) { // near the end of the buffer: one symbol through the general path
                    code = c;
                    range = rg;
                    pos = p;
                    dst[i++] = (byte) decodeSymbol(model);
                    c = code;
                    rg = range;
                    p = pos;
                    lim = limit;
                    continue;
                }
                long r = rg >>> prec;
                long q = c / r; // slot = floor(code / r)
                if (q >>> prec != 0) throw new CorruptInputException(before + (p - start), "range decoder: slot outside [0, 2^" + prec + ")");
                int slot = (int) q;
                int s = model.symbolForSlot(slot);
                int cum = model.cumFreq(s);
                int f = model.freq(s);
                if (slot < cum || slot - cum >= f) {
                    throw new CorruptInputException(before + (p - start), "model maps slot " + slot + " to symbol " + s + " outside its range");
                }
                c -= r * cum; // code -= r cum; range = r f; then shift in k = 0..3 bytes
                rg = r * f;
                int k = (Long.numberOfLeadingZeros(rg) - 8) >> 3;
                k &= ~(k >> 31);
                int bits = k << 3;
                long v = (long) LONG_BE.get(in, p);
                c = c << bits | ((v >>> 8) >>> (56 - bits));
                rg <<= bits;
                p += k;
                dst[i++] = (byte) s;
            }
        } finally {
            code = c;
            range = rg;
            pos = p;
        }
    }

    /** code -= r cum; range = r freq; renormalise (the decoder side of RcOut.encode). */
    void consume(int cumFreq, int freq, int precisionBits) throws IOException {
        long r = range >>> precisionBits;
        long c = code - r * cumFreq;
        long nr = r * freq;
        if (c < 0 || c >= nr) throw corrupt("range decoder: slot range [" + cumFreq + ", +" + freq + ") does not contain the code");
        code = c;
        range = nr;
        normalize();
    }

    /** consume() for a slot range already known to contain the code (decode(model) path). */
    void consumeUnchecked(int cumFreq, int freq, int precisionBits) throws IOException {
        long r = range >>> precisionBits;
        code -= r * cumFreq;
        range = r * freq;
        normalize();
    }

    /**
     * Shifts in k = ceil((nlz(range) - 15) / 8) bytes (0..3) so that range >= 2^48 again; branch-free
     * while 8 bytes of input are buffered: code = code << 8k | (next k bytes).
     */
    private void normalize() throws IOException {
        int k = (Long.numberOfLeadingZeros(range) - 8) >> 3;
        k &= ~(k >> 31); // range == 2^56 gives -1 -> 0
        if (pos + 8 <= limit) {
            long v = (long) LONG_BE.get(buf, pos);
            int bits = k << 3;
            code = code << bits | ((v >>> 8) >>> (56 - bits));
            range <<= bits;
            pos += k;
            return;
        }
        while (range < RcOut.BOT) {
            range <<= 8;
            code = (code << 8) | nextByte();
        }
    }

    /** bound = floor(range/2^16) * p1; code < bound means bit 1. */
    int decodeBit(int p1) throws IOException {
        if (p1 <= 0 || p1 >= 65536) throw new IllegalArgumentException("p1 must be in [1, 65535], got " + p1);
        long bound = (range >>> 16) * p1;
        int bit;
        if (code < bound) {
            range = bound;
            bit = 1;
        } else {
            code -= bound;
            range -= bound;
            bit = 0;
        }
        if (range < RcOut.BOT) normalize();
        return bit;
    }

    CorruptInputException corrupt(String why) {
        return new CorruptInputException(bytesRead(), why);
    }

    /** Bytes taken from the input so far (padding not counted). */
    long bytesRead() {
        return before + (pos - start);
    }
}
