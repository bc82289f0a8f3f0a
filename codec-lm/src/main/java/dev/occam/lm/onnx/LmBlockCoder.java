package dev.occam.lm.onnx;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.core.model.AdaptiveFrequencyModel;
import dev.occam.core.model.CdfModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Codes one block as a token stream (see {@link OnnxLmCodec} for the scheme); one per worker thread.
 *
 * <p>Encoder: the block is split into spans. Maximal runs of well-formed UTF-8 of at least
 * {@value #MIN_TEXT} bytes (or the whole block) are text; everything else (malformed UTF-8 and
 * short text between malformed bytes) is escaped. Text runs are cut into chunks of at most
 * {@value #CHUNK} bytes, after a newline where possible. A chunk is tokenized and kept only if its
 * tokens' bytes give back exactly the chunk's bytes; otherwise each of its lines is tried the same
 * way, and lines that still do not round-trip are escaped.
 */
final class LmBlockCoder implements AutoCloseable {
    static final int MIN_TEXT = 8;
    static final int CHUNK = 1 << 16;
    /** Escaped bytes: adaptive order-0 model. */
    private static final int BYTE_PRECISION = 16;
    /** P(bit) for the Elias-gamma bits of escape lengths: 1/2. */
    private static final int HALF = 1 << 15;

    private final OnnxPredictor predictor;
    private final LmTokenizer tokenizer;
    private final int esc;
    private final int modelVocab;
    private final boolean prepend;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Stats stats = new Stats();

    /** Running totals over every block this coder encoded (for measurements). */
    static final class Stats {
        long tokens;
        long escapes;
        long escapedBytes;
        long bytesIn;
        long bytesOut;
        /** sum of -log2 p(token) under the float softmax (with the escape weight). */
        double idealBits;
        /** sum of -log2 freq/2^P under the quantised CDF. */
        double quantizedBits;
        /** When set, {@link #klBits} accumulates the expected quantisation loss (slow: one log per vocabulary entry). */
        boolean measureKl;
        /** sum over coded symbols of KL(p || q) = sum_i p_i log2(p_i / q_i): float model p vs quantised q. */
        double klBits;
    }

    LmBlockCoder(OnnxPredictor predictor, LmTokenizer tokenizer) {
        this.predictor = predictor;
        this.tokenizer = tokenizer;
        this.esc = predictor.escapeToken();
        this.modelVocab = predictor.modelVocabulary();
        this.prepend = tokenizer.prependsSpace();
    }

    Stats stats() {
        return stats;
    }

    // --- encoder --------------------------------------------------------------------------------

    /** Per-block encoder state. */
    private final class Enc {
        final RangeEncoder rc;
        final AdaptiveFrequencyModel bytes = new AdaptiveFrequencyModel(256, BYTE_PRECISION);
        final byte[] src;
        int escStart = -1;
        int escEnd = -1;
        boolean lastWasText;

        Enc(byte[] src) {
            this.src = src;
            this.rc = new RangeEncoder(out);
        }

        void symbol(int t) throws IOException {
            CdfModel m = predictor.predict();
            double[] w = predictor.lastProbabilities();
            double sum = 0;
            for (double v : w) sum += v;
            stats.idealBits -= Math.log(w[t] / sum) / Math.log(2);
            stats.quantizedBits -= Math.log((double) m.freq(t) / (1 << m.precisionBits())) / Math.log(2);
            if (stats.measureKl) {
                double kl = 0;
                double total = 1 << m.precisionBits();
                for (int i = 0; i < w.length; i++) {
                    double pi = w[i] / sum;
                    if (pi > 0) kl += pi * Math.log(pi / (m.freq(i) / total));
                }
                stats.klBits += kl / Math.log(2);
            }
            rc.encode(t, m);
            predictor.accept(t);
            if (t == esc) stats.escapes++;
            else stats.tokens++;
        }

        void escape(int from, int to) {
            if (escStart >= 0 && escEnd == from) {
                escEnd = to;
            } else {
                escStart = from;
                escEnd = to;
            }
        }

        void flushEscape() throws IOException {
            if (escStart < 0) return;
            symbol(esc);
            encodeLength(rc, escEnd - escStart);
            for (int k = escStart; k < escEnd; k++) {
                int b = src[k] & 0xFF;
                rc.encode(b, bytes);
                bytes.update(b);
            }
            stats.escapedBytes += escEnd - escStart;
            escStart = escEnd = -1;
            lastWasText = false;
        }

        void text(int[] tokens) throws IOException {
            if (escStart >= 0) flushEscape();
            else if (lastWasText) { // a span break: escape of length 0
                symbol(esc);
                encodeLength(rc, 0);
            }
            for (int t : tokens) symbol(t);
            lastWasText = true;
        }
    }

    byte[] encode(byte[] src, int off, int len) throws IOException {
        predictor.reset();
        out.reset();
        Enc e = new Enc(src);
        int end = off + len;
        int pos = off;
        while (pos < end) {
            int v = Utf8.validRunEnd(src, pos, end);
            if (v == pos) {
                e.escape(pos, pos + 1);
                pos++;
            } else if (v - pos < MIN_TEXT && !(pos == off && v == end)) {
                e.escape(pos, v);
                pos = v;
            } else {
                textRun(e, pos, v);
                pos = v;
            }
        }
        e.flushEscape();
        e.rc.finish();
        stats.bytesIn += len;
        stats.bytesOut += out.size();
        return out.toByteArray();
    }

    private void textRun(Enc e, int from, int to) throws IOException {
        byte[] src = e.src;
        int p = from;
        while (p < to) {
            int q;
            if (to - p <= CHUNK) {
                q = to;
            } else {
                q = p + CHUNK;
                int nl = q;
                while (nl > p && src[nl - 1] != '\n') nl--;
                if (nl > p) q = nl;
                else while ((src[q] & 0xC0) == 0x80) q--; // a character boundary
            }
            int[] tokens = tokenize(src, p, q);
            if (tokens != null) {
                e.text(tokens);
            } else {
                for (int a = p; a < q; ) { // line by line
                    int b = a;
                    while (b < q && src[b] != '\n') b++;
                    if (b < q) b++;
                    int[] t = tokenize(src, a, b);
                    if (t != null) e.text(t);
                    else e.escape(a, b);
                    a = b;
                }
            }
            p = q;
        }
    }

    /** Tokens of the well-formed UTF-8 in src[from, to) if they give back exactly those bytes, else null. */
    private int[] tokenize(byte[] src, int from, int to) throws IOException {
        int[] tokens = tokenizer.encode(new String(src, from, to - from, StandardCharsets.UTF_8));
        if (tokens.length == 0) return null;
        int k = from;
        boolean first = true;
        for (int t : tokens) {
            if (t < 0 || t >= modelVocab) return null;
            byte[] b = tokenizer.bytes(t);
            if (b == null) return null;
            int s = 0;
            if (first && prepend) {
                if (b.length == 0 || b[0] != ' ') return null;
                s = 1;
            } else if (b.length == 0) {
                return null;
            }
            first = false;
            int n = b.length - s;
            if (n > to - k) return null;
            for (int i = 0; i < n; i++) if (b[s + i] != src[k + i]) return null;
            k += n;
        }
        return k == to ? tokens : null;
    }

    /** Elias gamma of L+1 with fair bits: (nb-1) ones, a zero, then the nb-1 low bits of L+1 (nb = bit length). */
    private static void encodeLength(RangeEncoder rc, int length) throws IOException {
        long v = (long) length + 1;
        int nb = 64 - Long.numberOfLeadingZeros(v);
        for (int i = 1; i < nb; i++) rc.encodeBit(1, HALF);
        rc.encodeBit(0, HALF);
        for (int i = nb - 2; i >= 0; i--) rc.encodeBit((int) (v >>> i) & 1, HALF);
    }

    private static long decodeLength(RangeDecoder rc) throws IOException {
        int nb = 1;
        while (rc.decodeBit(HALF) == 1) {
            if (++nb > 33) throw new CorruptInputException(rc.bytesRead(), "lm: escape length out of range");
        }
        long v = 1;
        for (int i = 0; i < nb - 1; i++) v = v << 1 | rc.decodeBit(HALF);
        return v - 1;
    }

    // --- decoder --------------------------------------------------------------------------------

    void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException {
        predictor.reset();
        RangeDecoder rc = new RangeDecoder(src, off, len);
        AdaptiveFrequencyModel bytes = new AdaptiveFrequencyModel(256, BYTE_PRECISION);
        int k = dstOff;
        int end = dstOff + dstLen;
        boolean spanStart = true;
        long symbols = 0;
        long limit = 3L * dstLen + 3; // the encoder never emits more symbols than this
        while (k < end) {
            if (++symbols > limit) throw new CorruptInputException(rc.bytesRead(), "lm: too many tokens for the block length");
            int t = rc.decode(predictor.predict());
            predictor.accept(t);
            if (t == esc) {
                long n = decodeLength(rc);
                if (n > end - k) {
                    throw new CorruptInputException(rc.bytesRead(), "lm: escape of " + n + " bytes overruns the block");
                }
                for (int i = 0; i < n; i++) {
                    int b = rc.decode(bytes);
                    bytes.update(b);
                    dst[k++] = (byte) b;
                }
                spanStart = true;
                continue;
            }
            byte[] b = t < modelVocab ? tokenizer.bytes(t) : null;
            if (b == null) throw new CorruptInputException(rc.bytesRead(), "lm: token " + t + " has no bytes in the tokenizer");
            int s = 0;
            if (spanStart && prepend) {
                if (b.length == 0 || b[0] != ' ') {
                    throw new CorruptInputException(rc.bytesRead(), "lm: span starts with token " + t + " without its space");
                }
                s = 1;
            } else if (b.length == 0) {
                throw new CorruptInputException(rc.bytesRead(), "lm: empty token " + t);
            }
            spanStart = false;
            int n = b.length - s;
            if (n > end - k) throw new CorruptInputException(rc.bytesRead(), "lm: token " + t + " overruns the block");
            System.arraycopy(b, s, dst, k, n);
            k += n;
        }
        if (rc.bytesRead() < len) {
            throw new CorruptInputException(rc.bytesRead(), "lm: " + (len - rc.bytesRead()) + " unused bytes at the end of the block");
        }
    }

    /** Closes the session and the tokenizer once; later calls (the frame, then a cleaner) do nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            predictor.close();
        } finally {
            tokenizer.close();
        }
    }

    private boolean closed;
}
