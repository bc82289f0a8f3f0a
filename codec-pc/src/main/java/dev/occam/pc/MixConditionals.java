package dev.occam.pc;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.IOException;

/**
 * Per-pixel conditionals of a {@link PcMixture}: every component runs the cached-message scheme of
 * {@link Conditionals} (same tree, so the same pixel order and the same stack of finished subtrees),
 * and the conditional of the mixture is {@code P(x_i | x_<i) = sum_c W_c P_c(x_i | x_<i)} with
 * {@code W_c = P(c | x_<i)}, updated after every pixel by {@code W_c <- W_c P_c(x_i | x_<i)},
 * renormalised. A component whose posterior weight falls below {@link #DROP} is dropped for the rest
 * of the image (both sides drop the same ones), so once the first pixels have told the components
 * apart an image costs two or three components' work: on MNIST with 10 components, 2.6 on average,
 * and the coded size moves by 5e-5 bpd against never dropping. Like {@link Conditionals}, images are
 * coded in pixel-major batches so each component's tables for a pixel are read once per batch.
 */
final class MixConditionals extends PixelCoder {
    /** Posterior weight below which a component is dropped for the rest of the image. */
    static final double DROP = 0x1p-24;
    private static final double MIN_WEIGHT = 0x1p-16;
    /**
     * At most this many doubles of message state per coder (the batch shrinks for large mixtures).
     * The batch decides how the pixels of a block's images interleave in the stream, so it is part
     * of the coded format: changing it (or the cap of 16) needs a new pc PARAMS_VERSION.
     */
    private static final int STATE_BUDGET = 1 << 22;

    private final PcMixture mix;
    private final int c;
    private final int k;
    /** down[j][q*d*k + i*k + z]: component j, image q of the batch. */
    private final double[][] down;
    private final double[][] below;
    private final float[][] leafF;
    /** w[q*c + j]: posterior weight of component j for image q; on[q*c + j]: still active. */
    private final double[] w;
    private final boolean[] on;
    private final int[] active;
    /** dist[(q*c + j)*256 + v], sums[q*c + j]. */
    private final float[] dist;
    private final double[] sums;
    private final float[] mixed = new float[256];
    private final int[] freq = new int[256];
    private final double[] tmp;
    private final int[] stack;
    /** Components dropped so far (for tests). */
    long dropped;

    MixConditionals(PcMixture mix) {
        super(mix.parts[0].d, batchFor(mix));
        this.mix = mix;
        this.c = mix.parts.length;
        this.k = mix.parts[0].k;
        this.down = new double[c][batch * d * k];
        this.below = new double[c][batch * d * k];
        this.leafF = new float[c][];
        for (int j = 0; j < c; j++) leafF[j] = mix.parts[j].leafFloat();
        this.w = new double[batch * c];
        this.on = new boolean[batch * c];
        this.active = new int[batch];
        this.dist = new float[batch * c * 256];
        this.sums = new double[batch * c];
        this.tmp = new double[k];
        this.stack = new int[d];
    }

    private static int batchFor(PcMixture mix) {
        return (int) Math.max(1, Math.min(16, STATE_BUDGET / ((long) mix.parts.length * mix.parts[0].d * mix.parts[0].k)));
    }

    @Override
    double code(byte[] buf, int n, int lo, int hi, RangeEncoder enc, RangeDecoder dec) throws IOException {
        return run(buf, n, lo, hi, enc, dec);
    }

    private double run(byte[] img, int n, int lo, int hi, RangeEncoder enc, RangeDecoder dec) throws IOException {
        final int[] order = mix.parts[0].order;
        final int[] parent = mix.parts[0].parent;
        final int kk = k * k;
        final int dk = d * k;
        for (int q = 0; q < n; q++) {
            active[q] = c;
            for (int j = 0; j < c; j++) {
                w[q * c + j] = mix.weights[j];
                on[q * c + j] = true;
            }
        }
        int sp = 0;
        double bits = 0;
        for (int t = 0; t < order.length; t++) {
            int i = order[t];
            int p = parent[i];
            while (sp > 0 && stack[sp - 1] != p) {
                int ch = stack[--sp];
                for (int j = 0; j < c; j++) {
                    double[] trans = mix.parts[j].trans;
                    for (int q = 0; q < n; q++) if (on[q * c + j]) Conditionals.close(ch, parent, trans, below[j], q * dk, k);
                }
            }
            boolean observed = i >= lo && i < hi;
            int di = i * k;
            int lb = i * k * 256;
            for (int j = 0; j < c; j++) {
                double[] dn = down[j];
                double[] bl = below[j];
                PcModel m = mix.parts[j];
                float[] lf = leafF[j];
                for (int q = 0; q < n; q++) {
                    if (!on[q * c + j]) continue;
                    int base = q * dk;
                    int dq = base + di;
                    if (p < 0) {
                        System.arraycopy(m.prior, 0, dn, dq, k);
                    } else {
                        Conditionals.down(dn, bl, dq, base + p * k, m.trans, i * kk, k, tmp);
                    }
                    if (!observed) {
                        for (int z = 0; z < k; z++) bl[dq + z] = 1.0;
                        continue;
                    }
                    int db = (q * c + j) * 256;
                    java.util.Arrays.fill(dist, db, db + 256, 0f);
                    for (int z = 0; z < k; z++) {
                        double wd = dn[dq + z];
                        if (wd < MIN_WEIGHT) continue;
                        float wf = (float) wd;
                        int row = lb + z * 256;
                        for (int v = 0; v < 256; v++) dist[db + v] += wf * lf[row + v];
                    }
                    double s = 0;
                    for (int v = 0; v < 256; v++) s += dist[db + v];
                    sums[q * c + j] = s;
                }
            }
            if (!observed) {
                stack[sp++] = i;
                continue;
            }
            for (int q = 0; q < n; q++) {
                int wq = q * c;
                // mixture of the components' conditionals, weighted by their posteriors given x_<i
                java.util.Arrays.fill(mixed, 0f);
                for (int j = 0; j < c; j++) {
                    if (!on[wq + j]) continue;
                    float f = (float) (w[wq + j] / sums[wq + j]);
                    int db = (wq + j) * 256;
                    for (int v = 0; v < 256; v++) mixed[v] += f * dist[db + v];
                }
                int at = offs[q] + i;
                int x;
                if (enc != null || dec != null) {
                    x = Conditionals.code(mixed, freq, img, at, enc, dec);
                } else {
                    x = img[at] & 0xFF;
                    double s = 0;
                    for (int v = 0; v < 256; v++) s += mixed[v];
                    bits -= Math.log(mixed[x] / s) / Math.log(2.0);
                }
                // posterior weights given x_<=i; the evidence into every active component
                double tw = 0;
                int base = q * dk + di;
                int lx = lb + x;
                for (int j = 0; j < c; j++) {
                    if (!on[wq + j]) continue;
                    w[wq + j] *= dist[(wq + j) * 256 + x] / sums[wq + j];
                    tw += w[wq + j];
                    float[] lf = leafF[j];
                    double[] bl = below[j];
                    for (int z = 0; z < k; z++) bl[base + z] = lf[lx + z * 256];
                }
                double kept = 0;
                int left = 0;
                for (int j = 0; j < c; j++) {
                    if (!on[wq + j]) continue;
                    double v = w[wq + j] / tw;
                    if (v < DROP && active[q] > 1) {
                        on[wq + j] = false;
                        active[q]--;
                        dropped++;
                        continue;
                    }
                    w[wq + j] = v;
                    kept += v;
                    left++;
                }
                if (left == 0) throw new IllegalStateException("mixture weights vanished");
                if (kept != 1.0) for (int j = 0; j < c; j++) if (on[wq + j]) w[wq + j] /= kept;
            }
            stack[sp++] = i;
        }
        return bits;
    }
}
