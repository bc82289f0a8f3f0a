package dev.occam.kt.score;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.IOException;

/**
 * One side of binary coding with 16-bit probabilities: an encoder writes the given bit and returns
 * it, a decoder ignores the argument and returns the decoded bit, a cost meter adds -log2 P(bit).
 * The same program-coding code thus serves all three.
 */
abstract class BitIo {
    /** Codes one bit with {@code p1 = P(1) * 65536} in [1, 65535]; returns the bit. */
    abstract int bit(int bit, int p1) throws IOException;

    boolean decoding() {
        return false;
    }

    static final class Enc extends BitIo {
        private final RangeEncoder enc;

        Enc(RangeEncoder enc) {
            this.enc = enc;
        }

        @Override
        int bit(int bit, int p1) throws IOException {
            enc.encodeBit(bit, p1);
            return bit;
        }
    }

    static final class Dec extends BitIo {
        private final RangeDecoder dec;

        Dec(RangeDecoder dec) {
            this.dec = dec;
        }

        @Override
        int bit(int bit, int p1) throws IOException {
            return dec.decodeBit(p1);
        }

        @Override
        boolean decoding() {
            return true;
        }
    }

    static final class Cost extends BitIo {
        double bits;

        /** cost += -log2(p), p = p1/65536 for a 1 and 1 - p1/65536 for a 0. */
        @Override
        int bit(int bit, int p1) {
            double p = (bit != 0 ? p1 : 65536 - p1) / 65536.0;
            bits -= Math.log(p) / Math.log(2);
            return bit;
        }
    }
}
