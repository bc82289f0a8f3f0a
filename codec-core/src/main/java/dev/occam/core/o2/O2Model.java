package dev.occam.core.o2;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** The o2 model and its block coding loops; one instance per worker thread. */
final class O2Model {
    static final int DEFAULT_TABLE_BITS = 22;
    static final int MIN_TABLE_BITS = 16;
    static final int MAX_TABLE_BITS = 24;
    /** Probabilities are 16-bit: P(bit = 1) * 2^16. */
    static final int PREC = 16;
    /** Adaptation count limit: the rate settles at about 1/RATE_LIMIT. */
    static final int RATE_LIMIT = 60;
    /** Keep both decisions codable: P(1) in [P_MIN, 2^16 - P_MIN]. */
    private static final int P_MIN = 32;

    /** RATE[n] = 2^16 / (n + 1.5): the step toward the coded bit after n earlier updates. */
    private static final int[] RATE = new int[RATE_LIMIT + 1];

    static {
        for (int n = 0; n <= RATE_LIMIT; n++) RATE[n] = (2 << PREC) / (2 * n + 3);
    }

    private final int tableBits;
    private final char[] prob;
    private final byte[] count;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    O2Model(int tableBits) {
        this.tableBits = tableBits;
        this.prob = new char[1 << tableBits];
        this.count = new byte[1 << tableBits];
    }

    private void reset() {
        Arrays.fill(prob, (char) (1 << (PREC - 1)));
        Arrays.fill(count, (byte) 0);
    }

    byte[] encode(byte[] src, int off, int len) throws IOException {
        reset();
        out.reset();
        RangeEncoder enc = new RangeEncoder(out);
        encodeLoop(src, off, len, prob, count, tableBits, enc);
        enc.finish();
        return out.toByteArray();
    }

    void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException {
        reset();
        RangeDecoder dec = new RangeDecoder(src, off, len);
        decodeLoop(dec, dst, dstOff, dstLen, prob, count, tableBits);
        if (dec.bytesRead() < len) {
            throw new CorruptInputException(dec.bytesRead(), "o2: " + (len - dec.bytesRead())
                    + " unused bytes at the end of the block");
        }
    }

    /** Base index of the 256-node slot for context (c2, c1): a multiplicative hash of the two bytes. */
    private static int slot(int c2, int c1, int tableBits) {
        return (((c2 << 8 | c1) + 1) * 0x9E3779B1 >>> (32 - (tableBits - 8))) << 8;
    }

    /** p += (bit ? 2^16 - p : -p) * RATE[n] / 2^16, n counts updates up to RATE_LIMIT. */
    private static void update(char[] prob, byte[] count, int i, int bit) {
        int p = prob[i];
        int n = count[i];
        int target = bit << PREC;
        p += (int) (((long) (target - p) * RATE[n]) >> PREC);
        prob[i] = (char) Math.min(Math.max(p, P_MIN), (1 << PREC) - P_MIN);
        if (n < RATE_LIMIT) count[i] = (byte) (n + 1);
    }

    private static void encodeLoop(byte[] src, int off, int len, char[] prob, byte[] count, int tableBits,
                                   RangeEncoder enc) throws IOException {
        int c1 = 0;
        int c2 = 0;
        for (int k = off, end = off + len; k < end; k++) {
            int c = src[k] & 0xFF;
            int base = slot(c2, c1, tableBits);
            int node = 1;
            for (int b = 7; b >= 0; b--) {
                int bit = (c >>> b) & 1;
                int i = base | node;
                enc.encodeBit(bit, prob[i]);
                update(prob, count, i, bit);
                node = node << 1 | bit;
            }
            c2 = c1;
            c1 = c;
        }
    }

    private static void decodeLoop(RangeDecoder dec, byte[] dst, int dstOff, int dstLen, char[] prob, byte[] count,
                                   int tableBits) throws IOException {
        int c1 = 0;
        int c2 = 0;
        for (int k = dstOff, end = dstOff + dstLen; k < end; k++) {
            int base = slot(c2, c1, tableBits);
            int node = 1;
            for (int b = 7; b >= 0; b--) {
                int i = base | node;
                int bit = dec.decodeBit(prob[i]);
                update(prob, count, i, bit);
                node = node << 1 | bit;
            }
            int c = node & 0xFF;
            dst[k] = (byte) c;
            c2 = c1;
            c1 = c;
        }
    }
}
