package dev.occam.core.coding;

import dev.occam.core.CorruptInputException;
import dev.occam.core.model.CdfModel;
import java.io.IOException;
import java.io.InputStream;

/**
 * Range decoder for {@link RangeEncoder} streams. Decode with the same models, in the same order.
 *
 * <p>The stream constructor reads ahead into an internal 8 KiB buffer, so it may consume bytes of
 * the underlying stream beyond the coded data; give it a stream that ends with the coded data (or
 * use the array constructor) if something follows. Up to 7 bytes past the end read as zero (the
 * tail the encoder omits); reading further throws {@link CorruptInputException} "truncated".
 * Garbage input yields a CorruptInputException or garbage symbols, never another runtime exception.
 */
public final class RangeDecoder {
    private final RcIn rc;

    /** Decoder over a stream (reads ahead; see class comment). Reads the first 7 bytes now. */
    public RangeDecoder(InputStream in) throws IOException {
        this.rc = new RcIn(in);
    }

    /** Decoder over {@code buf[off, off+len)} (the array is not copied; do not modify it meanwhile). */
    public RangeDecoder(byte[] buf, int off, int len) throws CorruptInputException {
        try {
            this.rc = new RcIn(buf, off, len);
        } catch (CorruptInputException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError(e); // arrays do no I/O
        }
    }

    /** Decodes the next symbol with {@code model}. */
    public int decode(CdfModel model) throws IOException {
        return rc.decodeSymbol(model);
    }

    /**
     * Decodes {@code len} symbols with one model into {@code dst[off, off+len)}; exactly equivalent
     * to {@code len} calls of {@link #decode(CdfModel)} (so it can be mixed with them) but faster, as
     * the coder state stays in locals. The model must have at most 256 symbols.
     */
    public void decode(CdfModel model, byte[] dst, int off, int len) throws IOException {
        if (model.size() > 256) throw new IllegalArgumentException("byte output needs a model of <= 256 symbols, got " + model.size());
        if (off < 0 || len < 0 || off > dst.length - len) throw new IndexOutOfBoundsException("off=" + off + " len=" + len);
        rc.decodeBytes(model, dst, off, len);
    }

    /** First step of the two-step form: the slot in {@code [0, 2^precisionBits)} the code points at. */
    public int decodeSlot(int precisionBits) throws CorruptInputException {
        if (precisionBits < 1 || precisionBits > 24) throw new IllegalArgumentException("precision " + precisionBits);
        return rc.decodeSlot(precisionBits);
    }

    /** Second step: removes the slot range {@code [cumFreq, cumFreq+freq)} that contains the decoded slot. */
    public void consume(int cumFreq, int freq, int precisionBits) throws IOException {
        if (precisionBits < 1 || precisionBits > 24 || freq < 1 || cumFreq < 0 || cumFreq + freq > 1 << precisionBits) {
            throw new IllegalArgumentException("bad slot range [" + cumFreq + ", +" + freq + ") at precision " + precisionBits);
        }
        rc.consume(cumFreq, freq, precisionBits);
    }

    /** Decodes one binary decision coded with {@link RangeEncoder#encodeBit(int, int)}. */
    public int decodeBit(int p1) throws IOException {
        return rc.decodeBit(p1);
    }

    /** Bytes consumed from the input so far (zero padding past the end not counted). */
    public long bytesRead() {
        return rc.bytesRead();
    }
}
