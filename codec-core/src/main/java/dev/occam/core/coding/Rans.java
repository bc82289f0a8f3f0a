package dev.occam.core.coding;

import dev.occam.core.CorruptInputException;
import dev.occam.core.model.Categorical;

/**
 * Fast path: 4-way interleaved rANS over byte arrays with one static model of at most 256
 * symbols at precision <= 16 bits (a byte-oriented variant of the rANS of J. Duda as popularised
 * by ryg_rans; written from the math).
 *
 * <p>States are 32-bit values kept in {@code [L, 2^8 L)}, {@code L = 2^23}, renormalised a byte at
 * a time. Encode: while {@code x >= 2^(31-P) f} emit the low byte; then
 * {@code x' = x + c + q (2^P - f)} with {@code q = floor(x/f)} computed without division as
 * {@code (x m) >> (31 + k)}, {@code k = ceil(log2 f)}, {@code m = ceil(2^(31+k) / f)} (exact for
 * {@code x < 2^31}: the error term {@code x (m - 2^(31+k)/f) / 2^(31+k) < 1/f}). Decode:
 * {@code slot = x mod 2^P}, table look-up of the symbol (a 2^P-byte table) and of its {@code (f, c)},
 * {@code x' = f (x >> P) + slot - c}, then at most two byte reads. Since {@code x/f >= 2^(23-P)},
 * the coding loss stays far below 0.05% at P <= 16.
 *
 * <p>Format: the 4 final states (4 bytes little-endian each), then the renormalisation bytes in
 * decoding order. A model in which one symbol owns all {@code 2^P} slots codes to 0 bytes.
 * Decoding checks that all states end at {@code L} and all bytes are consumed, so most corruption
 * is detected (it throws {@link CorruptInputException}, never another runtime exception).
 */
public final class Rans {
    private static final int L = 1 << 23;
    /** Largest precision of the byte fast path. */
    public static final int MAX_PRECISION = 16;

    private Rans() {
    }

    /**
     * Encodes {@code src[off, off+len)} with {@code model} (size <= 256, precision <= 16; every byte
     * that occurs must have frequency >= 1, else IllegalArgumentException). The output does not
     * record {@code len}: the caller stores it.
     */
    public static byte[] encodeBytes(byte[] src, int off, int len, Categorical model) {
        check(model);
        if (off < 0 || len < 0 || off > src.length - len) throw new IndexOutOfBoundsException("off=" + off + " len=" + len);
        final int prec = model.precisionBits();
        final int n = model.size();
        // per symbol: [0] = x_max, [1] = m, [2] = 31 + k, [3] = c, [4] = 2^P - f
        long[] tab = new long[256 * 5];
        boolean degenerate = false;
        for (int s = 0; s < n; s++) {
            int f = model.freq(s);
            degenerate |= f == 1 << prec; // one symbol owns every slot: it costs 0 bits
            int k = 0;
            while ((1 << k) < f) k++;
            long m = f == 0 ? 0 : ((1L << (31 + k)) + f - 1) / f;
            tab[5 * s] = (long) f << (31 - prec);
            tab[5 * s + 1] = m;
            tab[5 * s + 2] = 31 + k;
            tab[5 * s + 3] = model.cumFreq(s);
            tab[5 * s + 4] = (1 << prec) - f;
        }
        for (int i = off; i < off + len; i++) {
            int s = src[i] & 0xFF;
            if (s >= n || tab[5 * s] == 0) throw new IllegalArgumentException("byte " + s + " at " + (i - off) + " has zero frequency in the model");
        }
        if (degenerate) return new byte[0];
        if (len > (Integer.MAX_VALUE - 64) / 2) throw new IllegalArgumentException("input too large for one rANS block: " + len);
        byte[] buf = new byte[2 * len + 16]; // at most 2 bytes per symbol at P <= 16, plus the states
        int p = encodeLoop(src, off, len, tab, buf);
        byte[] out = new byte[buf.length - p];
        System.arraycopy(buf, p, out, 0, out.length);
        return out;
    }

    /** Hot loop: codes src backwards, writing bytes backwards from the end of buf; returns the start index. */
    private static int encodeLoop(byte[] src, int off, int len, long[] tab, byte[] buf) {
        long x0 = L;
        long x1 = L;
        long x2 = L;
        long x3 = L;
        int p = buf.length;
        int i = len - 1;
        for (; (i & 3) != 3; i--) { // tail symbols (index i uses lane i & 3)
            int t = 5 * (src[off + i] & 0xFF);
            long x = lane(i, x0, x1, x2, x3);
            while (x >= tab[t]) {
                buf[--p] = (byte) x;
                x >>>= 8;
            }
            x = x + tab[t + 3] + ((x * tab[t + 1]) >>> tab[t + 2]) * tab[t + 4];
            if ((i & 3) == 0) x0 = x;
            else if ((i & 3) == 1) x1 = x;
            else x2 = x;
        }
        for (; i >= 0; i -= 4) {
            int t3 = 5 * (src[off + i] & 0xFF);
            int t2 = 5 * (src[off + i - 1] & 0xFF);
            int t1 = 5 * (src[off + i - 2] & 0xFF);
            int t0 = 5 * (src[off + i - 3] & 0xFF);
            x3 = step(x3, tab, t3, buf, p);
            p -= (int) (x3 >>> 40);
            x3 &= STATE_MASK;
            x2 = step(x2, tab, t2, buf, p);
            p -= (int) (x2 >>> 40);
            x2 &= STATE_MASK;
            x1 = step(x1, tab, t1, buf, p);
            p -= (int) (x1 >>> 40);
            x1 &= STATE_MASK;
            x0 = step(x0, tab, t0, buf, p);
            p -= (int) (x0 >>> 40);
            x0 &= STATE_MASK;
        }
        p = putState(buf, p, x3);
        p = putState(buf, p, x2);
        p = putState(buf, p, x1);
        return putState(buf, p, x0);
    }

    private static final long STATE_MASK = (1L << 40) - 1;

    /**
     * One encode step for a state x < 2^31 whose bytes go below buf[p]; returns the new state in the
     * low 40 bits and the number of bytes written in the bits above. The first (unpredictable)
     * renormalisation byte is branch-free: n = [x >= x_max]; buf[p-1] = x; x >>= 8n.
     */
    private static long step(long x, long[] tab, int t, byte[] buf, int p) {
        long xmax = tab[t];
        int n = (int) ((xmax - 1 - x) >>> 63);
        buf[p - 1] = (byte) x;
        x >>>= n << 3;
        if (x >= xmax) { // rare second byte (symbols with f < 2^(P-8))
            buf[p - 2] = (byte) x;
            x >>>= 8;
            n = 2;
        }
        x = x + tab[t + 3] + ((x * tab[t + 1]) >>> tab[t + 2]) * tab[t + 4]; // x + c + floor(x/f)(M-f)
        return x | (long) n << 40;
    }

    private static long lane(int i, long x0, long x1, long x2, long x3) {
        switch (i & 3) {
            case 0: return x0;
            case 1: return x1;
            case 2: return x2;
            default: return x3;
        }
    }

    private static int putState(byte[] buf, int p, long x) {
        buf[--p] = (byte) (x >>> 24);
        buf[--p] = (byte) (x >>> 16);
        buf[--p] = (byte) (x >>> 8);
        buf[--p] = (byte) x;
        return p;
    }

    /**
     * Decodes exactly {@code dstLen} bytes from {@code coded[off, off+len)} into {@code dst}.
     *
     * @throws CorruptInputException on truncated, trailing or inconsistent data
     */
    public static void decodeBytes(byte[] coded, int off, int len, Categorical model, byte[] dst, int dstOff, int dstLen)
            throws CorruptInputException {
        check(model);
        if (off < 0 || len < 0 || off > coded.length - len) throw new IndexOutOfBoundsException("off=" + off + " len=" + len);
        if (dstOff < 0 || dstLen < 0 || dstOff > dst.length - dstLen) throw new IndexOutOfBoundsException("dstOff=" + dstOff + " dstLen=" + dstLen);
        final int prec = model.precisionBits();
        for (int s = 0; s < model.size(); s++) {
            if (model.freq(s) == 1 << prec) { // degenerate model: 0 bytes
                if (len != 0) throw new CorruptInputException(0, "rANS: data present for a zero-entropy model");
                java.util.Arrays.fill(dst, dstOff, dstOff + dstLen, (byte) s);
                return;
            }
        }
        if (len < 16) throw new CorruptInputException(len, "truncated rANS data (" + len + " bytes, need at least 16)");
        DecodeTables t = DecodeTables.of(model);
        int end = decodeLoop(coded, off, off + len, t.sym, t.fc, prec, dst, dstOff, dstLen);
        if (end < 0) throw new CorruptInputException(len, "truncated rANS data");
        if (end == Integer.MAX_VALUE) throw new CorruptInputException(len, "rANS: final state mismatch (corrupt data)");
        if (end != off + len) throw new CorruptInputException(end - off, "rANS: " + (off + len - end) + " unused trailing bytes (corrupt data)");
    }

    /**
     * Slot -> symbol table (2^P bytes: 32 KiB at P = 15, L1-resident) and per-symbol
     * {@code f << 16 | c} (1 KiB) for one model.
     */
    static final class DecodeTables {
        final byte[] sym;
        final int[] fc;

        private DecodeTables(byte[] sym, int[] fc) {
            this.sym = sym;
            this.fc = fc;
        }

        static DecodeTables of(Categorical model) {
            byte[] sym = new byte[1 << model.precisionBits()];
            int[] fc = new int[256];
            for (int s = 0; s < model.size(); s++) {
                int c = model.cumFreq(s);
                int f = model.freq(s);
                java.util.Arrays.fill(sym, c, c + f, (byte) s);
                fc[s] = f << 16 | c;
            }
            return new DecodeTables(sym, fc);
        }
    }

    /**
     * Hot loop; returns the input position after decoding, -1 if the input ran out, or
     * Integer.MAX_VALUE if the final states are not L.
     */
    private static int decodeLoop(byte[] in, int p, int end, byte[] sym, int[] fc, int prec, byte[] dst, int d, int n) {
        final int mask = (1 << prec) - 1;
        int x0 = getState(in, p);
        int x1 = getState(in, p + 4);
        int x2 = getState(in, p + 8);
        int x3 = getState(in, p + 12);
        p += 16;
        if (x0 < L || x1 < L || x2 < L || x3 < L) return Integer.MAX_VALUE; // negative ints are >= 2^31
        final int fastEnd = end - 8; // 4 lanes x at most 2 bytes each
        int i = 0;
        for (; i + 4 <= n && p <= fastEnd; i += 4) {
            int s0 = x0 & mask;
            int s1 = x1 & mask;
            int s2 = x2 & mask;
            int s3 = x3 & mask;
            byte b0 = sym[s0];
            byte b1 = sym[s1];
            byte b2 = sym[s2];
            byte b3 = sym[s3];
            dst[d + i] = b0;
            dst[d + i + 1] = b1;
            dst[d + i + 2] = b2;
            dst[d + i + 3] = b3;
            int e0 = fc[b0 & 0xFF];
            int e1 = fc[b1 & 0xFF];
            int e2 = fc[b2 & 0xFF];
            int e3 = fc[b3 & 0xFF];
            x0 = (e0 >>> 16) * (x0 >>> prec) + s0 - (e0 & 0xFFFF); // x' = f (x >> P) + slot - c
            x1 = (e1 >>> 16) * (x1 >>> prec) + s1 - (e1 & 0xFFFF);
            x2 = (e2 >>> 16) * (x2 >>> prec) + s2 - (e2 & 0xFFFF);
            x3 = (e3 >>> 16) * (x3 >>> prec) + s3 - (e3 & 0xFFFF);
            // branch-free first renormalisation byte (taken ~P(5/8) of the time: unpredictable);
            // n = 1 iff x < L; x = x << 8n | (byte & -n); the rare second byte keeps a branch
            int n0 = (x0 - L) >>> 31;
            x0 = x0 << (n0 << 3) | (in[p] & 0xFF & -n0);
            p += n0;
            if (x0 < L) x0 = x0 << 8 | (in[p++] & 0xFF);
            int n1 = (x1 - L) >>> 31;
            x1 = x1 << (n1 << 3) | (in[p] & 0xFF & -n1);
            p += n1;
            if (x1 < L) x1 = x1 << 8 | (in[p++] & 0xFF);
            int n2 = (x2 - L) >>> 31;
            x2 = x2 << (n2 << 3) | (in[p] & 0xFF & -n2);
            p += n2;
            if (x2 < L) x2 = x2 << 8 | (in[p++] & 0xFF);
            int n3 = (x3 - L) >>> 31;
            x3 = x3 << (n3 << 3) | (in[p] & 0xFF & -n3);
            p += n3;
            if (x3 < L) x3 = x3 << 8 | (in[p++] & 0xFF);
        }
        int[] xs = {x0, x1, x2, x3};
        for (; i < n; i++) { // checked tail
            int j = i & 3;
            int x = xs[j];
            int s = x & mask;
            byte b = sym[s];
            dst[d + i] = b;
            int e = fc[b & 0xFF];
            x = (e >>> 16) * (x >>> prec) + s - (e & 0xFFFF);
            while (x < L) {
                if (p >= end) return -1;
                x = x << 8 | (in[p++] & 0xFF);
            }
            xs[j] = x;
        }
        for (int x : xs) if (x != L) return Integer.MAX_VALUE;
        return p;
    }

    private static int getState(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static void check(Categorical model) {
        if (model.size() > 256) throw new IllegalArgumentException("byte rANS needs <= 256 symbols, model has " + model.size());
        if (model.precisionBits() > MAX_PRECISION) {
            throw new IllegalArgumentException("byte rANS supports precision <= " + MAX_PRECISION + ", model has " + model.precisionBits());
        }
    }
}
