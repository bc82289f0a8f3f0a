package dev.occam.kv;

import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.classic.ZstdCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jtransforms.dct.DoubleDCT_1D;

/**
 * Per-vector baselines: each returns its size in bits and the reconstruction (as F32 bits).
 * Sizes count payload bits (codes, scales, norms), not container overhead.
 */
final class Baselines {
    private Baselines() {
    }

    /** Size in bits and reconstruction. */
    record Lossy(double bits, KvCache recon) {
    }

    private interface VectorFn {
        /** Reconstructs one session's [layer] keys (kind 0) or values (kind 1) as floats; returns bits used. */
        double apply(float[] x, float[] out, int heads, int t, int dim, int kind);
    }

    private static Lossy map(KvCache c, VectorFn f) {
        List<KvSession> out = new ArrayList<>();
        double bits = 0;
        for (KvSession s : c.sessions()) {
            int t = s.length();
            int[][] k = new int[c.layers()][];
            int[][] v = new int[c.layers()][];
            for (int l = 0; l < c.layers(); l++) {
                for (int kind = 0; kind < 2; kind++) {
                    int[] src = kind == 0 ? s.keys()[l] : s.values()[l];
                    float[] x = new float[src.length];
                    for (int i = 0; i < x.length; i++) x[i] = Floats.toFloat(src[i], c.dtype());
                    float[] y = new float[x.length];
                    bits += f.apply(x, y, c.heads(), t, c.headDim(), kind);
                    int[] r = new int[y.length];
                    for (int i = 0; i < r.length; i++) r[i] = Float.floatToRawIntBits(y[i]);
                    if (kind == 0) k[l] = r;
                    else v[l] = r;
                }
            }
            out.add(new KvSession(s.tokens(), k, v));
        }
        return new Lossy(bits, new KvCache(c.layers(), c.heads(), c.headDim(), Safetensors.DType.F32, c.tokenType(), out, c.metadata()));
    }

    /** fp16: every component rounded to half, 16 bits each. */
    static Lossy fp16(KvCache c) {
        return map(c, (x, y, h, t, d, kind) -> {
            for (int i = 0; i < x.length; i++) y[i] = Floats.halfToFloat(Floats.floatToHalf(x[i]));
            return 16.0 * x.length;
        });
    }

    /** zstd -19 over all K/V as fp16 bytes (the fp16 reconstruction). */
    static Lossy zstdFp16(KvCache c) throws IOException {
        Lossy h = fp16(c);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        KvCache half = c.withDtype(Safetensors.DType.F16);
        for (KvSession s : half.sessions()) {
            for (int l = 0; l < c.layers(); l++) {
                all.writeBytes(KvCache.bytes(s.keys()[l], Safetensors.DType.F16));
                all.writeBytes(KvCache.bytes(s.values()[l], Safetensors.DType.F16));
            }
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (OutputStream o = new ZstdCodec().compress(z, CodecOptions.defaults().withLevel(19))) {
            all.writeTo(o);
        }
        return new Lossy(8.0 * z.size(), h.recon());
    }

    /**
     * KIVI-style 2-bit: keys per channel over groups of {@code group} positions, values per token over
     * groups of {@code group} channels (heads x head_dim flattened); asymmetric min/scale in fp16
     * (32 bits per group); the last T mod group positions (the window not yet grouped) stay fp16.
     */
    static Lossy kivi(KvCache c, int bitsPer, int group) {
        int levels = (1 << bitsPer) - 1;
        return map(c, (x, y, heads, t, dim, kind) -> {
            int full = t / group * group;
            double bits = 0;
            // recent window: fp16
            for (int h = 0; h < heads; h++) {
                for (int p = full; p < t; p++) {
                    for (int d = 0; d < dim; d++) {
                        int i = (h * t + p) * dim + d;
                        y[i] = Floats.halfToFloat(Floats.floatToHalf(x[i]));
                        bits += 16;
                    }
                }
            }
            float[] g = new float[group];
            int[] idx = new int[group];
            if (kind == 0) { // keys: per channel (h, d), groups along positions
                for (int h = 0; h < heads; h++) {
                    for (int d = 0; d < dim; d++) {
                        for (int p0 = 0; p0 < full; p0 += group) {
                            for (int j = 0; j < group; j++) {
                                idx[j] = (h * t + p0 + j) * dim + d;
                                g[j] = x[idx[j]];
                            }
                            bits += quantGroup(g, group, levels, bitsPer, y, idx);
                        }
                    }
                }
            } else { // values: per token, groups of channels (h, d) flattened
                int ch = heads * dim;
                for (int p = 0; p < full; p++) {
                    for (int c0 = 0; c0 < ch; c0 += group) {
                        int n = Math.min(group, ch - c0);
                        for (int j = 0; j < n; j++) {
                            int h = (c0 + j) / dim;
                            int d = (c0 + j) % dim;
                            idx[j] = (h * t + p) * dim + d;
                            g[j] = x[idx[j]];
                        }
                        bits += quantGroup(g, n, levels, bitsPer, y, idx);
                    }
                }
            }
            return bits;
        });
    }

    /** Asymmetric uniform quantisation of g[0..n) to levels+1 values between fp16 min and max; returns bits. */
    private static double quantGroup(float[] g, int n, int levels, int bitsPer, float[] y, int[] idx) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            lo = Math.min(lo, g[j]);
            hi = Math.max(hi, g[j]);
        }
        float min = Floats.halfToFloat(Floats.floatToHalf(lo));
        float scale = Floats.halfToFloat(Floats.floatToHalf((hi - lo) / levels));
        for (int j = 0; j < n; j++) {
            int q = scale > 0 ? (int) Math.max(0, Math.min(levels, Math.round((g[j] - min) / scale))) : 0;
            y[idx[j]] = min + q * scale;
        }
        return (double) n * bitsPer + 32;
    }

    /**
     * TurboQuant-style b bits: each position's layer row (heads x head_dim flattened, n values) is
     * rotated by a fixed random orthogonal map (random signs, then the orthonormal DCT-II of
     * JTransforms), normalised (norm kept as fp16), and every coordinate quantised by the Lloyd-Max
     * quantiser of N(0, 1/n) at b bits; b bits per component + 16 per row.
     */
    static Lossy turbo(KvCache c, int b, long seed) {
        int n = c.heads() * c.headDim();
        double[] centroids = lloydMax(b);
        double[] signs = new double[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) signs[i] = r.nextBoolean() ? 1 : -1;
        DoubleDCT_1D dct = new DoubleDCT_1D(n);
        return map(c, (x, y, heads, t, dim, kind) -> {
            double[] v = new double[n];
            double bits = 0;
            for (int p = 0; p < t; p++) {
                for (int h = 0; h < heads; h++) for (int d = 0; d < dim; d++) v[h * dim + d] = x[(h * t + p) * dim + d] * signs[h * dim + d];
                dct.forward(v, true);
                double norm = 0;
                for (double e : v) norm += e * e;
                norm = Floats.halfToFloat(Floats.floatToHalf((float) Math.sqrt(norm)));
                double scale = norm / Math.sqrt(n);
                for (int i = 0; i < n; i++) {
                    double u = scale > 0 ? v[i] / scale : 0;
                    v[i] = nearest(centroids, u) * scale;
                }
                dct.inverse(v, true);
                for (int h = 0; h < heads; h++) for (int d = 0; d < dim; d++) y[(h * t + p) * dim + d] = (float) (v[h * dim + d] * signs[h * dim + d]);
                bits += (double) b * n + 16;
            }
            return bits;
        });
    }

    private static double nearest(double[] c, double u) {
        double best = c[0];
        for (double v : c) if (Math.abs(v - u) < Math.abs(best - u)) best = v;
        return best;
    }

    /** Lloyd-Max centroids of N(0,1) at b bits (200 iterations on a grid over [-8, 8]). */
    static double[] lloydMax(int b) {
        int k = 1 << b;
        int g = 32001;
        double[] xs = new double[g];
        double[] w = new double[g];
        for (int i = 0; i < g; i++) {
            xs[i] = -8 + 16.0 * i / (g - 1);
            w[i] = Math.exp(-0.5 * xs[i] * xs[i]);
        }
        double[] c = new double[k];
        for (int i = 0; i < k; i++) c[i] = -2.5 + 5.0 * (i + 0.5) / k;
        for (int it = 0; it < 200; it++) {
            double[] s = new double[k];
            double[] m = new double[k];
            int j = 0;
            for (int i = 0; i < g; i++) {
                while (j + 1 < k && Math.abs(c[j + 1] - xs[i]) < Math.abs(c[j] - xs[i])) j++;
                s[j] += w[i] * xs[i];
                m[j] += w[i];
            }
            for (int i = 0; i < k; i++) if (m[i] > 0) c[i] = s[i] / m[i];
        }
        return c;
    }
}
