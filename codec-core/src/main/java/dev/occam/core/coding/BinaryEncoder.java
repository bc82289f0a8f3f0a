package dev.occam.core.coding;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Binary arithmetic encoder for bitwise context mixing: each call codes one bit with a 16-bit
 * probability {@code p1 = P(bit == 1) * 65536} in [1, 65535]. Same 56-bit carry-propagating core
 * as {@link RangeEncoder} ({@code bound = floor(range / 2^16) * p1}; the split loses under 2^-32
 * relative, so the cost is {@code -log2(p/65536)} per bit to within 1e-9 bits).
 */
public final class BinaryEncoder {
    private final RcOut rc;

    /** Encoder writing to {@code out} (never closed by this class). */
    public BinaryEncoder(OutputStream out) {
        this.rc = new RcOut(out);
    }

    /** Codes {@code bit} (0 or nonzero = 1) with {@code p1 = P(1) * 65536} in [1, 65535]. */
    public void encode(int bit, int p1) throws IOException {
        rc.encodeBit(bit, p1);
    }

    /** Writes the final bytes and flushes (does not close the stream); idempotent. */
    public void finish() throws IOException {
        rc.finish();
    }

    /** Bytes produced so far (exact total after {@link #finish()}). */
    public long bytesWritten() {
        return rc.bytesWritten();
    }
}
