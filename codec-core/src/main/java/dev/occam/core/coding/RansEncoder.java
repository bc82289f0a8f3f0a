package dev.occam.core.coding;

import dev.occam.core.model.CdfModel;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Streaming interleaved rANS encoder (stack / LIFO per chunk) for static models at precision up
 * to 24 bits. Symbols are buffered (as slot ranges, 8 bytes each; the buffer grows on demand) in chunks of up to
 * {@value #CHUNK} symbols (so at most 3 MiB of encoder memory; the per-chunk cost of about 30
 * bytes, mostly the 4 final states, stays below 0.02% for typical data);
 * each full chunk is coded in reverse with {@value #WAYS}-way interleaving (symbol i uses state
 * i mod 4) and written as one record, so memory is bounded and {@link RansDecoder} streams chunk by
 * chunk in forward order.
 *
 * <p>State: 64-bit {@code x} in {@code [L, 2^32 L)}, {@code L = 2^30}, 32-bit renormalisation.
 * Encode step: if {@code x >= 2^(62-P) f} emit the low 32 bits and shift; then
 * {@code x = floor(x/f) 2^P + (x mod f) + c}. Because {@code x/f >= 2^(30-P) >= 64} before each
 * step, the coding loss is tiny (well under 0.01% for P <= 16).
 *
 * <p>Format: records {@code [varint count][varint words][states][words]}; {@code states} are the
 * final states of the {@code min(count, 4)} used lanes, 8 bytes little-endian each; {@code words}
 * the 32-bit renormalisation words (little-endian) in decoding order. {@link #finish()} writes the
 * pending chunk and the end record {@code [varint 0]}.
 */
public final class RansEncoder {
    static final int CHUNK = 1 << 18;
    static final int WAYS = 4;
    static final long L = 1L << 30;

    private final OutputStream out;
    private long[] pending = new long[1024]; // cum | freq << 24 | prec << 49; grows up to CHUNK
    private int count;
    private int[] words = new int[1024];
    private byte[] bytes = new byte[1024];
    private long written;
    private boolean finished;

    /** Encoder writing to {@code out} (never closed by this class). */
    public RansEncoder(OutputStream out) {
        if (out == null) throw new NullPointerException("out");
        this.out = out;
    }

    /** Queues {@code symbol} under {@code model} (freq must be >= 1). */
    public void encode(int symbol, CdfModel model) throws IOException {
        int f = model.freq(symbol);
        if (f <= 0) throw new IllegalArgumentException("symbol " + symbol + " has zero frequency in the model");
        encode(model.cumFreq(symbol), f, model.precisionBits());
    }

    /** Queues the raw slot range {@code [cumFreq, cumFreq + freq)} of {@code [0, 2^precisionBits)}. */
    public void encode(int cumFreq, int freq, int precisionBits) throws IOException {
        if (finished) throw new IllegalStateException("encoder already finished");
        if (precisionBits < 1 || precisionBits > 24 || freq < 1 || cumFreq < 0 || cumFreq + freq > 1 << precisionBits) {
            throw new IllegalArgumentException("bad slot range [" + cumFreq + ", +" + freq + ") at precision " + precisionBits);
        }
        if (count == pending.length) pending = java.util.Arrays.copyOf(pending, Math.min(CHUNK, 2 * count));
        pending[count++] = cumFreq | (long) freq << 24 | (long) precisionBits << 49;
        if (count == CHUNK) flushChunk();
    }

    /** Codes the pending chunk, writes the end record and flushes (does not close); idempotent. */
    public void finish() throws IOException {
        if (finished) return;
        if (count > 0) flushChunk();
        finished = true;
        byte[] end = {0};
        out.write(end);
        written++;
        out.flush();
    }

    /** Bytes written to the stream so far (symbols still buffered are not counted). */
    public long bytesWritten() {
        return written;
    }

    private void flushChunk() throws IOException {
        final int n = count;
        if (words.length < n) words = new int[Math.max(n, words.length * 2)];
        long[] x = {L, L, L, L};
        int nw = encodeChunk(pending, n, x, words);
        int lanes = Math.min(n, WAYS);
        int size = 10 + 10 + 8 * lanes + 4 * nw;
        if (bytes.length < size) bytes = new byte[Math.max(size, bytes.length * 2)];
        int p = putVarint(bytes, 0, n);
        p = putVarint(bytes, p, nw);
        for (int j = 0; j < lanes; j++) {
            long v = x[j];
            for (int k = 0; k < 8; k++) bytes[p++] = (byte) (v >>> (8 * k));
        }
        for (int i = nw - 1; i >= 0; i--) { // emitted last = read first
            int v = words[i];
            bytes[p++] = (byte) v;
            bytes[p++] = (byte) (v >>> 8);
            bytes[p++] = (byte) (v >>> 16);
            bytes[p++] = (byte) (v >>> 24);
        }
        out.write(bytes, 0, p);
        written += p;
        count = 0;
    }

    /** Codes syms[n-1..0] into lanes x[i & 3]; returns the number of 32-bit words pushed. */
    static int encodeChunk(long[] syms, int n, long[] x, int[] words) {
        int nw = 0;
        for (int i = n - 1; i >= 0; i--) {
            long e = syms[i];
            int cum = (int) (e & 0xFFFFFF);
            long f = (e >>> 24) & 0x1FFFFFF;
            int prec = (int) (e >>> 49);
            int j = i & 3;
            long s = x[j];
            if (s >= (f << (62 - prec))) { // x >= 2^(62-P) f: push 32 bits
                words[nw++] = (int) s;
                s >>>= 32;
            }
            x[j] = ((s / f) << prec) + (s % f) + cum; // x' = floor(x/f) 2^P + x mod f + c
        }
        return nw;
    }

    static int putVarint(byte[] b, int p, int v) {
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }
}
