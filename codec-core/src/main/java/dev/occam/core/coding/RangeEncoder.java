package dev.occam.core.coding;

import dev.occam.core.model.CdfModel;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Range encoder (queue / FIFO): symbols are decoded in the order they were encoded, so the model
 * may change after every symbol (adaptive and autoregressive models).
 *
 * <p>Design: 56-bit range, 64-bit low with carry propagation (LZMA-style rc widened to 56 bits),
 * byte-wise renormalisation when the range drops below 2^48. For precision P <= 24 the per-symbol
 * loss from truncating {@code range / 2^P} is below 2^-24 relative (&lt; 1e-7 bits), so the coded
 * length is the ideal {@code sum -log2(freq/2^P)} plus at most 8 bytes. Output is buffered
 * internally (8 KiB) and handed to the stream in blocks. {@link #finish()} writes the shortest tail
 * that decodes correctly whatever follows it (an empty message is 0 bytes).
 */
public final class RangeEncoder {
    private final RcOut rc;

    /** Encoder writing to {@code out} (never closed by this class). */
    public RangeEncoder(OutputStream out) {
        this.rc = new RcOut(out);
    }

    /** Encodes {@code symbol} with {@code model}; the symbol must have {@code freq >= 1}. */
    public void encode(int symbol, CdfModel model) throws IOException {
        int f = model.freq(symbol);
        if (f <= 0) throw new IllegalArgumentException("symbol " + symbol + " has zero frequency in the model");
        rc.encode(model.cumFreq(symbol), f, model.precisionBits());
    }

    /**
     * Encodes the raw slot range {@code [cumFreq, cumFreq + freq)} of {@code [0, 2^precisionBits)}:
     * {@code low += r cumFreq; range = r freq} with {@code r = floor(range / 2^precisionBits)}.
     */
    public void encode(int cumFreq, int freq, int precisionBits) throws IOException {
        rc.encode(cumFreq, freq, precisionBits);
    }

    /**
     * Encodes one binary decision with {@code p1 = P(bit == 1) * 65536} in [1, 65535]; identical to
     * {@link BinaryEncoder#encode(int, int)} and decoded by {@link RangeDecoder#decodeBit(int)}.
     */
    public void encodeBit(int bit, int p1) throws IOException {
        rc.encodeBit(bit, p1);
    }

    /** Writes the final bytes and flushes them to the stream (does not close it); idempotent. */
    public void finish() throws IOException {
        rc.finish();
    }

    /** Bytes produced so far (exact total after {@link #finish()}). */
    public long bytesWritten() {
        return rc.bytesWritten();
    }
}
