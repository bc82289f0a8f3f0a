package dev.occam.kv;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The measurement harness behind {@code occam kv bench}: every method on one KV cache file, with
 * size, error and, for lossy methods, the KL divergence of the next-token distribution when the
 * model continues from the reconstructed cache.
 */
public final class KvBench {
    /** Error bounds of the extra predict-mode rows (the size/KL curve). */
    static final double[] FIXED_BOUNDS = {0.01, 0.05, 0.2, 0.5};

    private KvBench() {
    }

    /**
     * One method's result.
     *
     * @param method            name
     * @param bytes             size in bytes (file size for occam modes, payload for baselines)
     * @param bitsPerPosition   bits per token position (all layers, K+V)
     * @param bitsPerComponent  bits per K/V component
     * @param maxAbs            largest absolute error
     * @param rms               root-mean-square error
     * @param klBits            mean KL(original || reconstructed) of the next-token distribution, bits (NaN if not measured)
     * @param note              remarks (bound used, round-trip check)
     */
    public record Row(String method, double bytes, double bitsPerPosition, double bitsPerComponent, double maxAbs, double rms,
                      double klBits, String note) {
    }

    /**
     * Runs every method on the cache file.
     *
     * @param safetensors the file bytes
     * @param model       the model of the cache (for exact mode, the LM token prior and the KL)
     * @param klStride    KL at every {@code klStride}-th position (>= 1); 0 = no KL
     */
    public static List<Row> run(byte[] safetensors, String what, KvModel model, int klStride) throws IOException {
        KvCache cache = KvCache.fromSafetensors(Safetensors.parse(safetensors, what), what);
        Ctx x = new Ctx(safetensors, what, cache, model, klStride);
        List<Row> rows = new ArrayList<>();
        // tokens alone, each session coded separately with the LM (the token stream's own size)
        KvCodec.Result exact = KvCodec.compress(safetensors, what, KvCodec.Settings.exact(), model);
        double tokenOnly = 0;
        for (double[] p : exact.pathBits()) tokenOnly += p[p.length - 1];
        rows.add(new Row("tokens-lm(no trie)", tokenOnly / 8, tokenOnly / x.pos, tokenOnly / x.comps, Double.NaN, Double.NaN, Double.NaN,
                "sum over sessions of -log2 P_M(tokens)"));
        boolean same = java.util.Arrays.equals(KvCodec.decompress(exact.file(), what, model), safetensors);
        rows.add(row("occam-exact", exact.file().length * 8.0, x, exact.decoded(), Double.NaN,
                "trie " + fmt(exact.tokenBits() / 8) + " B + kv " + fmt(exact.kvBits() / 8) + " B; round trip " + (same ? "bit-exact" : "DIFFERS")));
        KvCodec.Result lossless = KvCodec.compress(safetensors, what, KvCodec.Settings.predict(0), model);
        rows.add(row("occam-predict(b=0)", lossless.file().length * 8.0, x, lossless.decoded(), Double.NaN,
                "lossless on the stored bits, no model needed for K/V"));
        rows.add(lossyRow("fp16", Baselines.fp16(cache), x, ""));
        rows.add(lossyRow("zstd-19(fp16)", Baselines.zstdFp16(cache), x, ""));
        Row kiviRow = lossyRow("kivi-2", Baselines.kivi(cache, 2, 32), x, "group 32, window T mod 32 in fp16");
        rows.add(kiviRow);
        Row tqRow = lossyRow("turboquant-3", Baselines.turbo(cache, 3, 0x5EEDL), x, "rotation: signs + DCT (JTransforms), rows of heads x head_dim");
        rows.add(tqRow);
        rows.add(lossyRow("turboquant-4", Baselines.turbo(cache, 4, 0x5EEDL), x, ""));
        for (Row target : new Row[] {kiviRow, tqRow}) rows.add(matchedRms(x, target));
        if (x.stride > 0 && model != null) {
            for (Row target : new Row[] {kiviRow, tqRow}) rows.add(matchedKl(x, target));
        }
        for (double b : FIXED_BOUNDS) rows.add(predictRow(x, "occam-predict(b=" + b + ")", b, "fixed bound"));
        return rows;
    }

    /**
     * Trie distances d_T(i, j) = -log2 P_M(longest common prefix of sessions i and j), in bits,
     * under the model's prior (the exact-mode token coder).
     */
    public static double[][] trieDistances(byte[] safetensors, String what, KvModel model) throws IOException {
        KvCache cache = KvCache.fromSafetensors(Safetensors.parse(safetensors, what), what);
        KvCodec.Result r = KvCodec.compress(safetensors, what, KvCodec.Settings.exact(), model);
        int n = cache.sessions().size();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) d[i][j] = r.trieDistance(cache, i, j);
        return d;
    }

    /** What every row of one file shares, with the original next-token distributions computed once. */
    private static final class Ctx {
        final byte[] st;
        final String what;
        final KvCache cache;
        final KvModel model;
        final int stride;
        final long pos;
        final long comps;
        double[][][] orig;

        Ctx(byte[] st, String what, KvCache cache, KvModel model, int stride) {
            this.st = st;
            this.what = what;
            this.cache = cache;
            this.model = model;
            this.stride = stride;
            this.pos = cache.positions();
            this.comps = cache.components();
        }
    }

    private static Row predictRow(Ctx x, String name, double bound, String note) throws IOException {
        KvCodec.Result r = KvCodec.compress(x.st, x.what, KvCodec.Settings.predict(bound), x.model);
        return lossyRow(name, new Baselines.Lossy(r.file().length * 8.0, r.decoded()), x, note);
    }

    /** Predict mode with the bound that gives (about) the target's RMS error: b = sqrt(3) RMS, then one correction. */
    private static Row matchedRms(Ctx x, Row target) throws IOException {
        double b = Math.sqrt(3) * target.rms();
        KvCodec.Result r = KvCodec.compress(x.st, x.what, KvCodec.Settings.predict(b), x.model);
        double rms = error(x.cache, r.decoded())[1];
        if (rms > 0) b = b * target.rms() / rms;
        return predictRow(x, "occam-predict(rms=" + target.method() + ")", b, "bound " + String.format(java.util.Locale.ROOT, "%.4g", b));
    }

    /** Predict mode with the largest bound (geometric bisection, 7 steps in [0.01, 4]) whose KL stays at or below the target's. */
    private static Row matchedKl(Ctx x, Row target) throws IOException {
        double lo = 0.01;
        double hi = 4;
        for (int i = 0; i < 7; i++) {
            double mid = Math.sqrt(lo * hi);
            KvCodec.Result r = KvCodec.compress(x.st, x.what, KvCodec.Settings.predict(mid), x.model);
            if (kl(x, r.decoded()) <= target.klBits()) lo = mid;
            else hi = mid;
        }
        return predictRow(x, "occam-predict(kl=" + target.method() + ")", lo, "bound " + String.format(java.util.Locale.ROOT, "%.4g", lo));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    private static Row row(String name, double bits, Ctx x, KvCache rec, double kl, String note) {
        double[] e = error(x.cache, rec);
        return new Row(name, bits / 8, bits / x.pos, bits / x.comps, e[0], e[1], kl, note);
    }

    private static Row lossyRow(String name, Baselines.Lossy l, Ctx x, String note) throws IOException {
        double kl = x.stride > 0 && x.model != null ? kl(x, l.recon()) : Double.NaN;
        return row(name, l.bits(), x, l.recon(), kl, note);
    }

    /** {max |a - b|, sqrt(mean (a - b)^2)} over every K/V component. */
    static double[] error(KvCache a, KvCache b) {
        double max = 0;
        double sq = 0;
        long n = 0;
        for (int s = 0; s < a.sessions().size(); s++) {
            for (int l = 0; l < a.layers(); l++) {
                for (int kind = 0; kind < 2; kind++) {
                    int[] x = kind == 0 ? a.sessions().get(s).keys()[l] : a.sessions().get(s).values()[l];
                    int[] y = kind == 0 ? b.sessions().get(s).keys()[l] : b.sessions().get(s).values()[l];
                    for (int i = 0; i < x.length; i++) {
                        double d = (double) Floats.toFloat(x[i], a.dtype()) - Floats.toFloat(y[i], b.dtype());
                        max = Math.max(max, Math.abs(d));
                        sq += d * d;
                        n++;
                    }
                }
            }
        }
        return new double[] {max, Math.sqrt(sq / Math.max(1, n))};
    }

    /** Mean KL(P_orig || P_rec) in bits of the next-token distribution at positions p = 1, 1 + stride, ... of every session. */
    private static double kl(Ctx x, KvCache rec) throws IOException {
        KvCache orig = x.cache;
        if (x.orig == null) {
            x.orig = new double[orig.sessions().size()][][];
            for (int s = 0; s < x.orig.length; s++) {
                KvSession a = orig.sessions().get(s);
                int t = a.length();
                float[][][] fa = floats(a, orig, t);
                x.orig[s] = new double[t][];
                for (int p = 1; p < t; p += x.stride) x.orig[s][p] = softmax(x.model.stepWithPast(fa[0], fa[1], t, p, a.tokens()[p]));
            }
        }
        double sum = 0;
        int n = 0;
        for (int s = 0; s < orig.sessions().size(); s++) {
            KvSession a = orig.sessions().get(s);
            KvSession b = rec.sessions().get(s);
            int t = a.length();
            float[][][] fb = floats(b, rec, t);
            for (int p = 1; p < t; p += x.stride) {
                double[] pa = x.orig[s][p];
                double[] pb = softmax(x.model.stepWithPast(fb[0], fb[1], t, p, a.tokens()[p]));
                double k = 0;
                for (int i = 0; i < pa.length; i++) if (pa[i] > 0) k += pa[i] * (Math.log(pa[i]) - Math.log(Math.max(pb[i], 1e-300)));
                sum += k / Math.log(2);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static float[][][] floats(KvSession s, KvCache c, int t) {
        float[][][] r = new float[2][c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            for (int kind = 0; kind < 2; kind++) {
                int[] x = kind == 0 ? s.keys()[l] : s.values()[l];
                float[] f = new float[x.length];
                for (int i = 0; i < f.length; i++) f[i] = Floats.toFloat(x[i], c.dtype());
                r[kind][l] = f;
            }
        }
        return r;
    }

    private static double[] softmax(float[] l) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : l) max = Math.max(max, v);
        double[] p = new double[l.length];
        double s = 0;
        for (int i = 0; i < l.length; i++) {
            p[i] = Math.exp(l[i] - max);
            s += p[i];
        }
        for (int i = 0; i < l.length; i++) p[i] /= s;
        return p;
    }
}
