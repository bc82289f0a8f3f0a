package dev.occam.kv;

import dev.occam.core.CorruptInputException;
import dev.occam.core.model.AdaptiveFrequencyModel;
import java.io.IOException;

/**
 * Layer 2, {@code predict} mode: every K/V head vector is predicted from earlier positions and the
 * residual is quantised with a max-abs error bound and coded with adaptive models. No model is
 * needed to decode.
 *
 * <p>Per (layer, K/V, head) stream: features f_t = [x'_{t-1}, r_t, 1] where x'_{t-1} is the
 * previous position's reconstruction and r_t the reconstruction at the latest earlier position
 * (this or an earlier session) with the same token id (or x'_{t-1} when the token is new); keys
 * are first de-rotated by RoPE (pairs (2i, 2i+1) rotated by -t theta^(-2i/D), llama2.c layout;
 * theta 0 = off) so that a token's key looks the same at every position. Prediction x'_t = W^T f_t
 * with W the ridge least-squares fit on all earlier reconstructed (f, x') pairs of the stream
 * (refitted at 32, 64, 128 and then every 128 samples; before the first fit the prediction is r_t);
 * keys are rotated back. Everything is double arithmetic in a fixed order (Java floating point is
 * strict), so encoder and decoder compute the same predictions.
 *
 * <p>Residual of component x with prediction p: bound {@code b > 0}: q = round((x - p) / 2b),
 * reconstruction = dtype(p + 2bq), |error| <= b checked (q +- 1 tried, else an escape stores the
 * exact bits); {@code b = 0}: q = ord(x) - ord(dtype(p)) on the order-preserving integer view of
 * the stored bits (lossless). q is coded as its zigzag value z = 2|q| - (q < 0): z < 16 as one
 * symbol, else a bit-length bucket plus the bits below z's top bit (adaptive model per layer, K/V
 * and the previous component's bit length).
 */
final class PredictCoder {
    static final int ESC = 63;
    private static final int REFIT_EVERY = 128;
    private final int layers;
    private final int heads;
    private final int dim;
    private final Safetensors.DType dtype;
    private final double bound;
    private final double theta;
    private final int vocab;
    private final Stream[] streams;
    private final AdaptiveFrequencyModel[] buckets;
    /** Token id -> dense slot in the streams' tables (given in order of first use), -1 before that. */
    private final int[] slotOf;
    private int slots;

    PredictCoder(int layers, int heads, int dim, Safetensors.DType dtype, double bound, double theta, int vocab) {
        this.layers = layers;
        this.heads = heads;
        this.dim = dim;
        this.dtype = dtype;
        this.bound = bound;
        this.theta = theta;
        this.vocab = vocab;
        this.streams = new Stream[layers * 2 * heads];
        for (int i = 0; i < streams.length; i++) streams[i] = new Stream(dim);
        this.slotOf = new int[vocab];
        java.util.Arrays.fill(slotOf, -1);
        this.buckets = new AdaptiveFrequencyModel[layers * 2 * (1 + 9)];
        for (int i = 0; i < buckets.length; i++) buckets[i] = new AdaptiveFrequencyModel(64, 16, 24, 1 << 16);
    }

    /** State of one (layer, kind, head) stream; its tables grow with the tokens seen, not with the vocabulary. */
    private static final class Stream {
        final int f;
        final int dim;
        double[] table;
        boolean[] seen;
        final double[] ata;
        final double[] atb;
        double[] w;
        long count;
        long nextFit = 32;

        Stream(int dim) {
            this.f = 2 * dim + 1;
            this.dim = dim;
            table = new double[16 * dim];
            seen = new boolean[16];
            ata = new double[f * f];
            atb = new double[f * dim];
        }

        /** Makes room for slot {@code slot} (doubling). */
        void ensure(int slot) {
            if (slot < seen.length) return;
            int n = Math.max(slot + 1, 2 * seen.length);
            seen = java.util.Arrays.copyOf(seen, n);
            table = java.util.Arrays.copyOf(table, n * dim);
        }
    }

    /** The dense slot of a token, given at its first use. */
    private int slot(int tok) {
        int sl = slotOf[tok];
        if (sl < 0) sl = slotOf[tok] = slots++;
        return sl;
    }

    /**
     * Codes one session: {@code orig} (encoder) or null (decoder); returns the reconstruction
     * [kind][layer] in stored bits, layout [head][pos][dim].
     */
    int[][][] code(SymCoder c, int[] tokens, KvSession orig) throws IOException {
        return code(c, tokens, orig, 0, null, 0);
    }

    /**
     * As {@link #code(SymCoder, int[], KvSession)}, but positions below {@code from} are copied from
     * {@code prev} (an earlier session's reconstruction [kind][layer], {@code prevLen} positions) and
     * not coded: the K/V of a prefix shared in the trie, stored once.
     */
    int[][][] code(SymCoder c, int[] tokens, KvSession orig, int from, int[][][] prev, int prevLen) throws IOException {
        int t = tokens.length;
        int[][][] out = new int[2][layers][heads * t * dim];
        if (from > 0) {
            for (int kind = 0; kind < 2; kind++) {
                for (int l = 0; l < layers; l++) {
                    for (int h = 0; h < heads; h++) System.arraycopy(prev[kind][l], h * prevLen * dim, out[kind][l], h * t * dim, from * dim);
                }
            }
        }
        double[] feat = new double[2 * dim + 1];
        double[] pred = new double[dim];
        double[] rec = new double[dim];
        double[] prevVec = new double[dim];
        double[] cos = new double[dim / 2];
        double[] sin = new double[dim / 2];
        for (int kind = 0; kind < 2; kind++) {
            for (int l = 0; l < layers; l++) {
                int[] src = orig == null ? null : (kind == 0 ? orig.keys()[l] : orig.values()[l]);
                int[] dst = out[kind][l];
                int ctxBase = (l * 2 + kind) * 10;
                for (int h = 0; h < heads; h++) {
                    Stream s = streams[(l * 2 + kind) * heads + h];
                    java.util.Arrays.fill(prevVec, 0);
                    if (from > 0) {
                        for (int j = 0; j < dim; j++) prevVec[j] = Floats.toFloat(dst[(h * t + from - 1) * dim + j], dtype);
                        if (kind == 0 && theta > 0) {
                            angles(from - 1, cos, sin);
                            rotate(prevVec, cos, sin, true);
                        }
                    }
                    for (int p = from; p < t; p++) {
                        int tok = tokens[p];
                        if (tok < 0 || tok >= vocab) throw new CorruptInputException(-1, "kv: token " + tok + " outside the vocabulary " + vocab);
                        int sl = slot(tok);
                        s.ensure(sl);
                        boolean rope = kind == 0 && theta > 0;
                        if (rope) angles(p, cos, sin);
                        // features [prev, ref, 1]
                        System.arraycopy(prevVec, 0, feat, 0, dim);
                        if (s.seen[sl]) System.arraycopy(s.table, sl * dim, feat, dim, dim);
                        else System.arraycopy(prevVec, 0, feat, dim, dim);
                        feat[2 * dim] = 1;
                        if (s.w == null) {
                            System.arraycopy(feat, dim, pred, 0, dim);
                        } else {
                            for (int j = 0; j < dim; j++) {
                                double a = 0;
                                for (int i = 0; i < s.f; i++) a += feat[i] * s.w[i * dim + j];
                                pred[j] = a;
                            }
                        }
                        if (rope) rotate(pred, cos, sin, false);
                        int prevBucket = 9;
                        int base = (h * t + p) * dim;
                        for (int j = 0; j < dim; j++) {
                            int bits = component(c, src == null ? 0 : src[base + j], pred[j], ctxBase, prevBucket);
                            dst[base + j] = bits;
                            rec[j] = Floats.toFloat(bits, dtype);
                            prevBucket = Math.min(8, lastBucket);
                        }
                        if (rope) rotate(rec, cos, sin, true);
                        // learn: (feat -> rec), then remember
                        for (int i = 0; i < s.f; i++) {
                            double fi = feat[i];
                            for (int k = 0; k < s.f; k++) s.ata[i * s.f + k] += fi * feat[k];
                            for (int j = 0; j < dim; j++) s.atb[i * dim + j] += fi * rec[j];
                        }
                        if (++s.count == s.nextFit) {
                            s.w = solve(s.ata, s.atb, s.f, dim);
                            s.nextFit = s.count < REFIT_EVERY ? s.count * 2 : s.count + REFIT_EVERY;
                        }
                        System.arraycopy(rec, 0, s.table, sl * dim, dim);
                        s.seen[sl] = true;
                        System.arraycopy(rec, 0, prevVec, 0, dim);
                    }
                }
            }
        }
        return out;
    }

    private int lastBucket;

    /** Codes one component (stored bits {@code x} when encoding) predicted as {@code p}; returns the reconstruction bits. */
    private int component(SymCoder c, int x, double p, int ctxBase, int prevBucket) throws IOException {
        AdaptiveFrequencyModel m = buckets[ctxBase + prevBucket];
        boolean enc = c.encoding();
        if (bound == 0) {
            int pb = Floats.fromFloat((float) p, dtype);
            if (Floats.nonFinite(pb, dtype)) pb = 0;
            long q = enc ? (long) Floats.ordered(x, dtype) - Floats.ordered(pb, dtype) : 0;
            q = codeInt(c, q, m, false);
            long o = Floats.ordered(pb, dtype) + q;
            if (o < Integer.MIN_VALUE || o > Integer.MAX_VALUE) throw new CorruptInputException(-1, "kv: residual out of range");
            return Floats.unordered((int) o, dtype);
        }
        double step = 2 * bound;
        long q = 0;
        boolean esc = false;
        if (enc) {
            double xv = Floats.toFloat(x, dtype);
            long q0 = Math.round((xv - p) / step);
            esc = true;
            for (long cand : new long[] {q0, q0 - 1, q0 + 1}) {
                int r = Floats.fromFloat((float) (p + step * cand), dtype);
                if (!Floats.nonFinite(r, dtype) && Math.abs(Floats.toFloat(r, dtype) - xv) <= bound && Math.abs(cand) < (1L << 40)) {
                    q = cand;
                    esc = false;
                    break;
                }
            }
        }
        if (enc && esc) {
            c.symbol(ESC, m);
            m.update(ESC);
            lastBucket = 8;
            return (int) c.raw(x & (dtype.size == 4 ? 0xFFFFFFFFL : 0xFFFFL), dtype.size * 8);
        }
        long r = codeInt(c, q, m, true);
        if (r == Long.MIN_VALUE) { // escape (decoder)
            return (int) c.raw(0, dtype.size * 8);
        }
        return Floats.fromFloat((float) (p + step * r), dtype);
    }

    /** Zigzag values below this are coded as one symbol; larger ones as bucket + low bits. */
    static final int DIRECT = 16;

    /**
     * Zigzag z = 2|q| - (q < 0): z < 16 is symbol z, else symbol 16 + bucket (bucket = bit length of z)
     * followed by the bits below z's top bit; with {@code escapes}, a decoded ESC returns Long.MIN_VALUE.
     */
    private long codeInt(SymCoder c, long q, AdaptiveFrequencyModel m, boolean escapes) throws IOException {
        long z = (q << 1) ^ (q >> 63);
        int b = 64 - Long.numberOfLeadingZeros(z);
        int sym = z < DIRECT ? (int) z : DIRECT + b;
        if (sym >= ESC) throw new IOException("residual too large");
        sym = c.symbol(sym, m);
        m.update(sym);
        if (sym == ESC) {
            if (!escapes) throw new CorruptInputException(-1, "kv: escape in a lossless stream");
            lastBucket = 8;
            return Long.MIN_VALUE;
        }
        long zz;
        if (sym < DIRECT) {
            zz = sym;
        } else {
            b = sym - DIRECT;
            if (b < 5) throw new CorruptInputException(-1, "kv: bad residual symbol");
            zz = (1L << (b - 1)) | c.raw(z & ((1L << (b - 1)) - 1), b - 1);
        }
        lastBucket = zz == 0 ? 0 : 64 - Long.numberOfLeadingZeros(zz);
        return (zz >>> 1) ^ -(zz & 1);
    }

    /** cos/sin of p * theta^(-2i/D) for the RoPE pairs. */
    private void angles(int p, double[] cos, double[] sin) {
        for (int i = 0; i < cos.length; i++) {
            double a = p * StrictMath.pow(theta, -2.0 * i / dim);
            cos[i] = StrictMath.cos(a);
            sin[i] = StrictMath.sin(a);
        }
    }

    /** Rotates pairs (2i, 2i+1) by +angle (or -angle when {@code inverse}). */
    private static void rotate(double[] v, double[] cos, double[] sin, boolean inverse) {
        for (int i = 0; i < cos.length; i++) {
            double a = v[2 * i];
            double b = v[2 * i + 1];
            double s = inverse ? -sin[i] : sin[i];
            v[2 * i] = a * cos[i] - b * s;
            v[2 * i + 1] = a * s + b * cos[i];
        }
    }

    /** Ridge solution of (A + lambda I) W = B, A f x f, B f x d, by Gaussian elimination with partial pivoting. */
    static double[] solve(double[] ata, double[] atb, int f, int d) {
        double[] a = ata.clone();
        double[] b = atb.clone();
        double tr = 0;
        for (int i = 0; i < f; i++) tr += a[i * f + i];
        double lambda = 1e-4 * tr / f + 1e-12;
        for (int i = 0; i < f; i++) a[i * f + i] += lambda;
        for (int col = 0; col < f; col++) {
            int piv = col;
            for (int r = col + 1; r < f; r++) if (Math.abs(a[r * f + col]) > Math.abs(a[piv * f + col])) piv = r;
            if (piv != col) {
                for (int k = 0; k < f; k++) {
                    double tmp = a[col * f + k];
                    a[col * f + k] = a[piv * f + k];
                    a[piv * f + k] = tmp;
                }
                for (int k = 0; k < d; k++) {
                    double tmp = b[col * d + k];
                    b[col * d + k] = b[piv * d + k];
                    b[piv * d + k] = tmp;
                }
            }
            double pv = a[col * f + col];
            if (pv == 0) return null;
            for (int r = col + 1; r < f; r++) {
                double factor = a[r * f + col] / pv;
                if (factor == 0) continue;
                for (int k = col; k < f; k++) a[r * f + k] -= factor * a[col * f + k];
                for (int k = 0; k < d; k++) b[r * d + k] -= factor * b[col * d + k];
            }
        }
        double[] w = new double[f * d];
        for (int r = f - 1; r >= 0; r--) {
            for (int k = 0; k < d; k++) {
                double s = b[r * d + k];
                for (int c = r + 1; c < f; c++) s -= a[r * f + c] * w[c * d + k];
                w[r * d + k] = s / a[r * f + r];
            }
        }
        for (double v : w) if (!Double.isFinite(v)) return null;
        return w;
    }
}
