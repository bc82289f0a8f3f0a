package dev.occam.kv;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.core.model.CdfModel;
import java.io.IOException;

/**
 * One range coder seen the same way by the encoder and the decoder: every method takes the value
 * to encode (ignored when decoding) and returns the value coded, so the coding procedures are
 * written once and run identically on both sides. Also counts the ideal bits of what it codes.
 */
final class SymCoder {
    private final RangeEncoder enc;
    private final RangeDecoder dec;
    /** Ideal code length so far in bits (sum of -log2 p of every coded decision). */
    double bits;

    private SymCoder(RangeEncoder enc, RangeDecoder dec) {
        this.enc = enc;
        this.dec = dec;
    }

    static SymCoder encoder(RangeEncoder e) {
        return new SymCoder(e, null);
    }

    static SymCoder decoder(RangeDecoder d) {
        return new SymCoder(null, d);
    }

    boolean encoding() {
        return enc != null;
    }

    /** Codes {@code s} with model {@code m}; -log2(f_s / 2^P) bits. */
    int symbol(int s, CdfModel m) throws IOException {
        if (enc != null) {
            enc.encode(s, m);
        } else {
            s = dec.decode(m);
        }
        bits -= Math.log(m.freq(s) / (double) (1 << m.precisionBits())) / Math.log(2);
        return s;
    }

    /** Adaptive binary decision: p[i] = P(1) * 65536, updated p += (target - p) / 16 after coding. */
    int bit(int b, int[] p, int i) throws IOException {
        int p1 = p[i];
        if (enc != null) enc.encodeBit(b, p1);
        else b = dec.decodeBit(p1);
        bits -= Math.log((b == 1 ? p1 : 65536 - p1) / 65536.0) / Math.log(2);
        p1 += ((b == 1 ? 65536 : 0) - p1) >> 4;
        p[i] = Math.max(64, Math.min(65536 - 64, p1));
        return b;
    }

    /** New adaptive bit probabilities (all 1/2). */
    static int[] probs(int n) {
        int[] p = new int[n];
        java.util.Arrays.fill(p, 32768);
        return p;
    }

    /** {@code n <= 62} fair bits of {@code v}, high bits first: n bits. */
    long raw(long v, int n) throws IOException {
        long r = 0;
        while (n > 0) {
            int k = Math.min(16, n);
            n -= k;
            int part = (int) ((v >>> n) & ((1 << k) - 1));
            if (enc != null) {
                enc.encode(part, 1, k);
            } else {
                part = dec.decodeSlot(k);
                dec.consume(part, 1, k);
            }
            bits += k;
            r = (r << k) | part;
        }
        return r;
    }

    /**
     * Elias gamma of {@code v >= 1} with adaptive bits: the length unary in contexts p[base..base+31],
     * then the bits below the top one as fair bits.
     */
    long gamma(long v, int[] p, int base) throws IOException {
        int len = enc != null ? 63 - Long.numberOfLeadingZeros(v) : 0;
        int n = 0;
        while (true) {
            int more = bit(n < len ? 1 : 0, p, base + Math.min(n, 31));
            if (more == 0) break;
            if (++n > 40) throw new CorruptInputException(-1, "kv: length code too long");
        }
        long low = raw(enc != null ? v & ((1L << n) - 1) : 0, n);
        return (1L << n) | low;
    }

    /** An integer in [0, n) with fair bits (ceil(log2 n) of them). */
    int uniform(int v, int n) throws IOException {
        if (n <= 1) return 0;
        int k = 32 - Integer.numberOfLeadingZeros(n - 1);
        int r = (int) raw(v, k);
        if (r >= n) throw new CorruptInputException(-1, "kv: index " + r + " out of range " + n);
        return r;
    }
}
