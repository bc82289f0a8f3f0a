package dev.occam.pc;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.IOException;

/**
 * Per-pixel conditionals {@code P(x_i | x_<i)} of a {@link PcModel}, visiting pixels in the tree's
 * DFS preorder, with cached messages (one worker per thread; scratch reused across images).
 *
 * <p>Why preorder: when pixel i is visited, every observed pixel lies outside i's subtree, so
 * {@code P(z_i, e) = sum_zp P(z_i|zp) down_p(zp) B_p(zp)} where {@code down_p = P(z_p, evidence
 * before p)} is cached from p's own visit and {@code B_p} is the product of p's leaf at x_p and the
 * upward messages of p's already-finished child subtrees. A subtree, once finished, sends its
 * message up once. Each pixel therefore costs one k x k downward product, one k x k upward product
 * and the k x 256 leaf mixture: all D conditionals cost O(|p|) (linear in the circuit size), better
 * than the O(log D * |p|) of the paper's scheme, with no logs or exps (vectors are renormalised by
 * their sum, which cancels in the conditional). Fixed operation order, so encoder and decoder
 * compute bit-identical CDFs.
 *
 * <p>Pixels outside the coded window {@code [lo, hi)} are marginalised (leaf factor 1): a partial
 * image is coded with the marginal of the model over its known pixels.
 */
final class Conditionals {
    /** Range coder precision: every value gets freq >= 1 out of 2^PRECISION. */
    static final int PRECISION = 22;
    private static final int TOTAL = 1 << PRECISION;
    private static final double MIN_WEIGHT = 0x1p-32;

    private final PcModel m;
    private final double[] down;
    private final double[] below;
    private final double[] tmp;
    private final float[] leafF;
    private final float[] dist = new float[256];
    private final int[] freq = new int[256];
    private final int[] stack;

    Conditionals(PcModel model) {
        this.m = model;
        this.down = new double[model.d * model.k];
        this.below = new double[model.d * model.k];
        this.tmp = new double[model.k];
        this.stack = new int[model.d];
        this.leafF = model.leafFloat();
    }

    /** Encodes pixels {@code [lo, hi)} of the image at {@code img[off..off+D)} (others marginalised). */
    void encode(byte[] img, int off, int lo, int hi, RangeEncoder enc) throws IOException {
        run(img, off, lo, hi, enc, null);
    }

    /** Decodes pixels {@code [lo, hi)} into {@code img[off+lo..off+hi)}. */
    void decode(byte[] img, int off, int lo, int hi, RangeDecoder dec) throws IOException {
        run(img, off, lo, hi, null, dec);
    }

    /** -log2 P(x) of the full image at {@code img[off..]} by the chain rule over the same conditionals (no quantisation). */
    double nllBits(byte[] img, int off) throws IOException {
        return run(img, off, 0, m.d, null, null);
    }

    private double run(byte[] img, int off, int lo, int hi, RangeEncoder enc, RangeDecoder dec) throws IOException {
        final int k = m.k;
        final int kk = k * k;
        final int[] order = m.order;
        final int[] parent = m.parent;
        final double[] trans = m.trans;
        final double[] leaf = m.leaf;
        final float[] leafF = this.leafF;
        final double[] down = this.down;
        final double[] below = this.below;
        final double[] tmp = this.tmp;
        final float[] dist = this.dist;
        final int[] stack = this.stack;
        int sp = 0;
        double bits = 0;
        for (int t = 0; t < order.length; t++) {
            int i = order[t];
            int p = parent[i];
            while (sp > 0 && stack[sp - 1] != p) close(stack[--sp], parent, trans, below, tmp, k);
            int di = i * k;
            if (p < 0) {
                System.arraycopy(m.prior, 0, down, di, k);
            } else {
                int dp = p * k;
                for (int z = 0; z < k; z++) tmp[z] = down[dp + z] * below[dp + z];
                for (int zc = 0; zc < k; zc++) down[di + zc] = 0;
                int tb = i * kk;
                // down_i[zc] = sum_zp a[zp] T_i[zp][zc]
                for (int zp = 0; zp < k; zp++) {
                    double a = tmp[zp];
                    int row = tb + zp * k;
                    for (int zc = 0; zc < k; zc++) down[di + zc] += a * trans[row + zc];
                }
                double s = 0;
                for (int z = 0; z < k; z++) s += down[di + z];
                double inv = 1.0 / s;
                for (int z = 0; z < k; z++) down[di + z] *= inv;
            }
            if (i >= lo && i < hi) {
                // dist[v] = sum_z down_i[z] P(v | z)
                // (float; latent states with weight below 2^-32 are skipped: both sides skip the same ones)
                java.util.Arrays.fill(dist, 0f);
                int lb = i * k * 256;
                for (int z = 0; z < k; z++) {
                    double wd = down[di + z];
                    if (wd < MIN_WEIGHT) continue;
                    float w = (float) wd;
                    int row = lb + z * 256;
                    for (int v = 0; v < 256; v++) dist[v] += w * leafF[row + v];
                }
                int x;
                if (enc != null) {
                    x = img[off + i] & 0xFF;
                    quantise(dist, freq);
                    int cum = 0;
                    for (int v = 0; v < x; v++) cum += freq[v];
                    enc.encode(cum, freq[x], PRECISION);
                } else if (dec != null) {
                    quantise(dist, freq);
                    int slot = dec.decodeSlot(PRECISION);
                    int cum = 0;
                    int v = 0;
                    while (cum + freq[v] <= slot) cum += freq[v++];
                    dec.consume(cum, freq[v], PRECISION);
                    x = v;
                    img[off + i] = (byte) x;
                } else {
                    x = img[off + i] & 0xFF;
                    double s = 0;
                    for (int v = 0; v < 256; v++) s += dist[v];
                    bits -= Math.log(dist[x] / s) / Math.log(2.0);
                }
                int lx = lb + x;
                for (int z = 0; z < k; z++) below[di + z] = leaf[lx + z * 256];
            } else {
                for (int z = 0; z < k; z++) below[di + z] = 1.0;
            }
            stack[sp++] = i;
        }
        return bits;
    }

    /** Child c finished: B_p[zp] *= sum_zc T_c[zp][zc] B_c[zc], then B_p /= sum(B_p). */
    private static void close(int c, int[] parent, double[] trans, double[] below, double[] tmp, int k) {
        int p = parent[c];
        if (p < 0) return;
        int bc = c * k;
        int bp = p * k;
        int tb = c * k * k;
        double s = 0;
        for (int zp = 0; zp < k; zp++) {
            int row = tb + zp * k;
            double acc = 0;
            for (int zc = 0; zc < k; zc++) acc += trans[row + zc] * below[bc + zc];
            double b = below[bp + zp] * acc;
            below[bp + zp] = b;
            s += b;
        }
        double inv = 1.0 / s;
        for (int zp = 0; zp < k; zp++) below[bp + zp] *= inv;
    }

    /**
     * Integer CDF of total 2^PRECISION: freq_v = 1 + floor(p_v / sum(p) * (2^P - 256)); the remainder
     * goes to the first argmax. Deterministic double arithmetic.
     */
    static void quantise(float[] p, int[] freq) {
        double s = 0;
        for (int v = 0; v < 256; v++) s += p[v];
        double scale = (TOTAL - 256) / s;
        int sum = 0;
        int best = 0;
        for (int v = 0; v < 256; v++) {
            int f = 1 + (int) (p[v] * scale);
            freq[v] = f;
            sum += f;
            if (p[v] > p[best]) best = v;
        }
        freq[best] += TOTAL - sum;
        if (freq[best] < 1 || sum > TOTAL) throw new IllegalStateException("CDF quantisation failed");
    }
}
