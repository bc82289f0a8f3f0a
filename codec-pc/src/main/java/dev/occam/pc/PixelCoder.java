package dev.occam.pc;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.IOException;

/**
 * Codes whole or partial images of a model's size with the range coder, images in pixel-major
 * batches (one instance per thread: it owns its scratch).
 */
abstract class PixelCoder {
    /** Offsets of the images of the current batch. */
    protected final int[] offs;
    /** Images per batch (part of the coded format: it decides how pixels interleave). */
    protected final int batch;
    /** Pixels per image. */
    protected final int d;

    PixelCoder(int d, int batch) {
        this.d = d;
        this.batch = batch;
        this.offs = new int[batch];
    }

    /**
     * Codes pixels {@code [lo, hi)} of the {@code n} images at {@code buf[offs[q]..]} (the others
     * marginalised), pixel-major: encodes with {@code enc}, decodes into {@code buf} with {@code dec},
     * or with neither returns -log2 of their probability.
     */
    abstract double code(byte[] buf, int n, int lo, int hi, RangeEncoder enc, RangeDecoder dec) throws IOException;

    /** Encodes pixels {@code [lo, hi)} of the image at {@code img[off..off+D)} (the others marginalised). */
    final void encode(byte[] img, int off, int lo, int hi, RangeEncoder enc) throws IOException {
        offs[0] = off;
        code(img, 1, lo, hi, enc, null);
    }

    /** Decodes pixels {@code [lo, hi)} into {@code img[off+lo..off+hi)}. */
    final void decode(byte[] img, int off, int lo, int hi, RangeDecoder dec) throws IOException {
        offs[0] = off;
        code(img, 1, lo, hi, null, dec);
    }

    /**
     * Encodes {@code n} whole images at {@code buf[off + j*D]}, pixel-major: for each pixel in tree
     * order, that pixel of every image of the batch, then the next pixel.
     */
    final void encodeImages(byte[] buf, int off, int n, RangeEncoder enc) throws IOException {
        batches(buf, off, n, enc, null);
    }

    /** Decodes what {@link #encodeImages} wrote. */
    final void decodeImages(byte[] buf, int off, int n, RangeDecoder dec) throws IOException {
        batches(buf, off, n, null, dec);
    }

    /** -log2 P(x) of the full image at {@code img[off..]} by the chain rule over the same conditionals (no quantisation). */
    final double nllBits(byte[] img, int off) throws IOException {
        offs[0] = off;
        return code(img, 1, 0, d, null, null);
    }

    private void batches(byte[] buf, int off, int n, RangeEncoder enc, RangeDecoder dec) throws IOException {
        for (int j = 0; j < n; j += batch) {
            int b = Math.min(batch, n - j);
            for (int q = 0; q < b; q++) offs[q] = off + (j + q) * d;
            code(buf, b, 0, d, enc, dec);
        }
    }

    /** The coder for a mixture: the single-model coder for one component. */
    static PixelCoder of(PcMixture m) {
        return m.components() == 1 ? new Conditionals(m.component(0)) : new MixConditionals(m);
    }
}
