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
final class Conditionals extends PixelCoder {
    /** Range coder precision: every value gets freq >= 1 out of 2^PRECISION. */
    static final int PRECISION = 22;
    private static final int TOTAL = 1 << PRECISION;
    /**
     * Latent states of weight below 2^-16 are left out of the leaf mixture (both sides leave out the
     * same ones): about half of them at k = 16 and 32 on MNIST, at no measurable cost (the dropped mass
     * is below k 2^-16; the coded size on 300 test digits moved by less than 1e-4 bpd).
     */
    private static final double MIN_WEIGHT = 0x1p-16;

    private final PcModel m;
    private final double[] down;
    private final double[] below;
    private final double[] tmp;
    private final float[] leafF;
    private final float[] dist = new float[256];
    private final int[] freq = new int[256];
    private final int[] stack;

    /** Images coded together, pixel-major, so each pixel's leaf table is read once per batch. */
    static final int BATCH = 16;

    Conditionals(PcModel model) {
        super(model.d, BATCH);
        this.m = model;
        this.down = new double[BATCH * model.d * model.k];
        this.below = new double[BATCH * model.d * model.k];
        this.tmp = new double[model.k];
        this.stack = new int[model.d];
        this.leafF = model.leafFloat();
    }

    @Override
    double code(byte[] buf, int n, int lo, int hi, RangeEncoder enc, RangeDecoder dec) throws IOException {
        return run(buf, offs, n, lo, hi, null, enc, dec);
    }

    /**
     * Codes {@code n} patches at {@code buf[off + j*D]} (pixel-major batches of {@link #BATCH}); only
     * the pixels with {@code mask[i] != 0} are coded, the others are marginalised (null mask = all).
     * Exactly one of {@code enc}/{@code dec} is non-null; the decoder writes only the masked pixels.
     */
    void codePatches(byte[] buf, int off, int n, byte[] mask, RangeEncoder enc, RangeDecoder dec) throws IOException {
        for (int j = 0; j < n; j += BATCH) {
            int b = Math.min(BATCH, n - j);
            for (int q = 0; q < b; q++) offs[q] = off + (j + q) * m.d;
            run(buf, offs, b, 0, m.d, mask, enc, dec);
        }
    }

    /** -log2 P(x_mask) of one patch (the masked pixels; the others marginalised), chain rule, no quantisation. */
    double nllBits(byte[] img, int off, byte[] mask) throws IOException {
        offs[0] = off;
        return run(img, offs, 1, 0, m.d, mask, null, null);
    }


    private double run(byte[] img, int[] offs, int n, int lo, int hi, byte[] mask, RangeEncoder enc, RangeDecoder dec) throws IOException {
        final int k = m.k;
        final int kk = k * k;
        final int dk = m.d * k;
        final int[] order = m.order;
        final int[] parent = m.parent;
        final double[] trans = m.trans;
        final float[] leafF = this.leafF;
        final double[] down = this.down;
        final double[] below = this.below;
        final double[] tmp = this.tmp;
        final float[] dist = this.dist;
        final int[] freq = this.freq;
        final int[] stack = this.stack;
        int sp = 0;
        double bits = 0;
        for (int t = 0; t < order.length; t++) {
            int i = order[t];
            int p = parent[i];
            while (sp > 0 && stack[sp - 1] != p) {
                int c = stack[--sp];
                for (int q = 0; q < n; q++) close(c, parent, trans, below, q * dk, k);
            }
            boolean observed = mask != null ? mask[i] != 0 : i >= lo && i < hi;
            int lb = i * k * 256;
            for (int q = 0; q < n; q++) {
                int di = q * dk + i * k;
                if (p < 0) {
                    System.arraycopy(m.prior, 0, down, di, k);
                } else {
                    down(down, below, di, q * dk + p * k, trans, i * kk, k, tmp);
                }
                if (!observed) {
                    for (int z = 0; z < k; z++) below[di + z] = 1.0;
                    continue;
                }
                // dist[v] = sum_z down_i[z] P(v | z)  (float; latent states with weight below 2^-16 are
                // skipped: both sides skip the same ones)
                java.util.Arrays.fill(dist, 0f);
                for (int z = 0; z < k; z++) {
                    double wd = down[di + z];
                    if (wd < MIN_WEIGHT) continue;
                    float w = (float) wd;
                    int row = lb + z * 256;
                    for (int v = 0; v < 256; v++) dist[v] += w * leafF[row + v];
                }
                int at = offs[q] + i;
                int x;
                if (enc != null || dec != null) {
                    x = code(dist, freq, img, at, enc, dec);
                } else {
                    x = img[at] & 0xFF;
                    double s = 0;
                    for (int v = 0; v < 256; v++) s += dist[v];
                    bits -= Math.log(dist[x] / s) / Math.log(2.0);
                }
                int lx = lb + x;
                for (int z = 0; z < k; z++) below[di + z] = leafF[lx + z * 256];
            }
            stack[sp++] = i;
        }
        return bits;
    }

    /**
     * {@code down[di..] = normalise(sum_zp down[dp+zp] below[dp+zp] T[tb + zp*k + ..])}: the belief of
     * a pixel's latent from its parent's (cached belief times finished-subtree evidence).
     */
    static void down(double[] down, double[] below, int di, int dp, double[] trans, int tb, int k, double[] tmp) {
        for (int z = 0; z < k; z++) tmp[z] = down[dp + z] * below[dp + z];
        for (int zc = 0; zc < k; zc++) down[di + zc] = 0;
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

    /**
     * Encodes {@code img[at]} ({@code enc} non-null) or decodes it into {@code img[at]} ({@code dec}
     * non-null) with the integer CDF of {@code p} (see {@link #quantise}); returns the value.
     */
    static int code(float[] p, int[] freq, byte[] img, int at, RangeEncoder enc, RangeDecoder dec) throws IOException {
        quantise(p, freq);
        if (enc != null) {
            int x = img[at] & 0xFF;
            int cum = 0;
            for (int v = 0; v < x; v++) cum += freq[v];
            enc.encode(cum, freq[x], PRECISION);
            return x;
        }
        int slot = dec.decodeSlot(PRECISION);
        int cum = 0;
        int v = 0;
        while (cum + freq[v] <= slot) cum += freq[v++];
        dec.consume(cum, freq[v], PRECISION);
        img[at] = (byte) v;
        return v;
    }

    /** Child c finished: B_p[zp] *= sum_zc T_c[zp][zc] B_c[zc], then B_p /= sum(B_p). */
    static void close(int c, int[] parent, double[] trans, double[] below, int base, int k) {
        int p = parent[c];
        if (p < 0) return;
        int bc = base + c * k;
        int bp = base + p * k;
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
     * Integer CDF of total 2^PRECISION from a mixture whose mass is 1 up to float rounding:
     * freq_v = 1 + floor(p_v (2^P - 512)); the remainder (at most about 512 of 2^22, i.e. 1e-4 of the
     * mass) goes to value 0. Vectorisable (no reduction in the hot loop); when the mass is off by
     * more than 2^-13 it falls back to normalising by the sum. Deterministic float arithmetic.
     */
    static void quantise(float[] p, int[] freq) {
        final float scale = TOTAL - 512;
        int sum = 0;
        for (int v = 0; v < 256; v++) {
            int f = 1 + (int) (p[v] * scale);
            freq[v] = f;
            sum += f;
        }
        if (sum > TOTAL || sum < TOTAL - 1024) {
            double s = 0;
            for (int v = 0; v < 256; v++) s += p[v];
            double sc = (TOTAL - 512) / s;
            sum = 0;
            for (int v = 0; v < 256; v++) {
                int f = 1 + (int) (p[v] * sc);
                freq[v] = f;
                sum += f;
            }
        }
        freq[0] += TOTAL - sum;
        if (freq[0] < 1 || sum > TOTAL) throw new IllegalStateException("CDF quantisation failed");
    }
}
