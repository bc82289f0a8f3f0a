package dev.occam.core.coding;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encoder core shared by {@link RangeEncoder} and {@link BinaryEncoder}: a range coder with a
 * 56-bit range, a 57-bit low (bit 56 is the carry) and byte-wise output with carry propagation
 * through a cached byte plus a run of pending 0xFF bytes (the LZMA rc scheme widened from 32 to 56
 * bits).
 *
 * <p>Invariants: after normalisation {@code 2^48 <= range <= 2^56} and {@code low < 2^56}. A symbol
 * with slot range {@code [c, c+f)} at precision {@code P} maps {@code r = floor(range / 2^P)},
 * {@code low += r c}, {@code range = r f}; since {@code r >= 2^24} the truncation wastes at most
 * {@code 2^P / range <= 2^-24} of the interval per symbol, i.e. {@code < 1e-7} bits.
 *
 * <p>The first virtual output byte is always 0 (the interval starts as [0, 2^56)) and is not
 * written. {@link #finish()} writes the shortest prefix such that ANY continuation of the stream
 * decodes correctly: it picks the largest {@code t <= 7} for which a multiple {@code V} of
 * {@code 2^(8t)} satisfies {@code [V, V + 2^(8t)) ⊆ [low, low + range)} and omits those t bytes.
 * The decoder therefore needs at most 7 bytes of padding past the end. An empty message codes to
 * 0 bytes.
 */
final class RcOut {
    static final long TOP = 1L << 56;
    static final long BOT = 1L << 48;
    private static final long LOW_MASK = BOT - 1;
    private static final long CARRY_ZONE = 0xFFL << 48;

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 13];
    private int pos;
    private long flushed;
    long low;
    long range = TOP;
    private int cache;
    private long cacheSize = 1;
    private boolean first = true;
    private boolean finished;

    RcOut(OutputStream out) {
        if (out == null) throw new NullPointerException("out");
        this.out = out;
    }

    /** low += floor(range/2^P) * cum; range = floor(range/2^P) * freq; then renormalise. */
    void encode(int cumFreq, int freq, int precisionBits) throws IOException {
        if (finished) throw new IllegalStateException("encoder already finished");
        if (precisionBits < 1 || precisionBits > 24 || freq < 1 || cumFreq < 0 || cumFreq + freq > 1 << precisionBits) {
            throw new IllegalArgumentException("bad slot range [" + cumFreq + ", +" + freq + ") at precision " + precisionBits);
        }
        long r = range >>> precisionBits;
        low += r * cumFreq;
        range = r * freq;
        while (range < BOT) {
            range <<= 8;
            shiftLow();
        }
    }

    /** bound = floor(range/2^16) * p1; bit 1 takes [low, low+bound), bit 0 the rest. */
    void encodeBit(int bit, int p1) throws IOException {
        if (finished) throw new IllegalStateException("encoder already finished");
        if (p1 <= 0 || p1 >= 65536) throw new IllegalArgumentException("p1 must be in [1, 65535], got " + p1);
        long bound = (range >>> 16) * p1;
        if (bit != 0) {
            range = bound;
        } else {
            low += bound;
            range -= bound;
        }
        while (range < BOT) {
            range <<= 8;
            shiftLow();
        }
    }

    /** Moves the top byte of the 56-bit window to the cache, propagating a carry into pending bytes. */
    private void shiftLow() throws IOException {
        if (low < CARRY_ZONE || low >= TOP) {
            int carry = (int) (low >>> 56);
            int b = cache;
            do {
                put(b + carry);
                b = 0xFF;
            } while (--cacheSize != 0);
            cache = (int) (low >>> 48) & 0xFF;
        }
        cacheSize++;
        low = (low & LOW_MASK) << 8;
    }

    private void put(int b) throws IOException {
        if (first) { // the always-zero leading byte is implicit
            first = false;
            return;
        }
        if (pos == buf.length) flushBuffer();
        buf[pos++] = (byte) b;
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, pos);
        flushed += pos;
        pos = 0;
    }

    /** Writes the shortest disambiguating tail (see class comment) and flushes; idempotent. */
    void finish() throws IOException {
        if (finished) return;
        finished = true;
        int t = 7;
        long v;
        while (true) {
            long unit = 1L << (8 * t);
            v = (low + unit - 1) & -unit; // round low up to a multiple of 2^(8t)
            if (v - low <= range - unit) break; // [v, v+unit) within [low, low+range)
            t--;
        }
        low = v;
        for (int i = 0; i < 8 - t; i++) shiftLow();
        flushBuffer();
        out.flush();
    }

    long bytesWritten() {
        return flushed + pos;
    }
}
