package dev.occam.pc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Learns a Hidden Chow-Liu Tree PC from images: the Chow-Liu tree (maximum spanning tree of the
 * pairwise mutual information of binned pixel values), rooted at its centre, then EM: mini-batch
 * epochs ({@code theta <- (1 - eta) theta + eta theta_batch}) followed by full-batch epochs, with
 * additive smoothing in every M-step. The E-step runs on {@code threads} fixed chunks whose counts
 * are summed in chunk order, so a run is deterministic for a given thread count.
 */
public final class PcTrainer {
    /** Training settings. */
    public record Settings(int latent, int miniBatchEpochs, int fullBatchEpochs, int batchSize, double stepSize,
                           double leafSmoothing, double edgeSmoothing, int threads, long seed,
                           int kernelWidth, double kernelWeight) {
        /** Default value kernel: half-width 5, weight 0.3 (see {@link PcTrainer#smoothLeafCounts}). */
        public static final int DEFAULT_KERNEL_WIDTH = 5;
        /** Default share of a rare value's count spread over its neighbours. */
        public static final double DEFAULT_KERNEL_WEIGHT = 0.3;

        /** Settings with the default value kernel. */
        public Settings(int latent, int miniBatchEpochs, int fullBatchEpochs, int batchSize, double stepSize,
                        double leafSmoothing, double edgeSmoothing, int threads, long seed) {
            this(latent, miniBatchEpochs, fullBatchEpochs, batchSize, stepSize, leafSmoothing, edgeSmoothing, threads, seed,
                    DEFAULT_KERNEL_WIDTH, DEFAULT_KERNEL_WEIGHT);
        }

        /** Defaults for {@code k} latent states and the given epochs (half mini-batch, half full-batch). */
        public static Settings of(int latent, int epochs, int threads) {
            int mini = Math.max(1, (epochs + 1) / 2);
            return new Settings(latent, mini, Math.max(0, epochs - mini), 1024, 0.2, 0.01, 0.01, threads, 42);
        }
    }

    /**
     * One progress report: epoch (1-based), phase, fraction of the epoch done, held-out bpd (NaN until
     * the epoch ends), and at the end of an epoch the model being trained ({@code null} before; EM
     * goes on changing it after the callback returns, so copy or save it there).
     */
    public record Progress(int epoch, int epochs, String phase, double fraction, double trainBpd, double heldOutBpd, PcMixture model) {
    }

    private PcTrainer() {
    }

    /**
     * Trains on {@code train} (each image {@code rows*cols} bytes) and reports held-out bits per
     * dimension on {@code heldOut} (may be empty) after each epoch.
     */
    public static PcModel train(List<byte[]> train, List<byte[]> heldOut, int rows, int cols, Settings s,
                                Consumer<Progress> progress) throws InterruptedException {
        int d = rows * cols;
        int k = s.latent();
        if (k < 1 || k > PcModel.MAX_K) throw new IllegalArgumentException("latent states must be in 1.." + PcModel.MAX_K);
        if (train.isEmpty()) throw new IllegalArgumentException("no training images");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.threads()));
        try {
            progress.accept(new Progress(0, 0, "mutual information", 0, Double.NaN, Double.NaN, null));
            int[] parent = ChowLiu.tree(train, d, s.threads(), pool);
            return em(init(train, rows, cols, k, parent, s), train, heldOut, s, pool, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Continues EM from {@code start} (same tree). Every latent state is first split into {@code m =
     * s.latent() / start.k} copies (m = 1 keeps k) with up to 10% seeded multiplicative noise on the
     * transitions and leaves, so EM can tell copies apart: a larger model starts where the smaller one
     * converged. The noise is applied for m = 1 too.
     */
    public static PcModel train(List<byte[]> train, List<byte[]> heldOut, PcModel start, Settings s,
                                Consumer<Progress> progress) throws InterruptedException {
        if (train.isEmpty()) throw new IllegalArgumentException("no training images");
        if (s.latent() < start.k || s.latent() % start.k != 0 || s.latent() > PcModel.MAX_K) {
            throw new IllegalArgumentException("latent states must be a multiple of the start model's " + start.k + " (at most "
                    + PcModel.MAX_K + "), not " + s.latent());
        }
        for (byte[] img : train) {
            if (img.length != start.d) throw new IllegalArgumentException("the images do not have the start model's " + start.d + " pixels");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.threads()));
        try {
            return em(split(start, s.latent() / start.k, s.seed()), train, heldOut, s, pool, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    private static PcModel em(PcModel m, List<byte[]> train, List<byte[]> heldOut, Settings s, ExecutorService pool,
                              Consumer<Progress> progress) throws InterruptedException {
        int d = m.d;
        boolean[] rare = rareValues(train);
        int epochs = s.miniBatchEpochs() + s.fullBatchEpochs();
        SplittableRandom rnd = new SplittableRandom(s.seed());
        for (int e = 1; e <= epochs; e++) {
            boolean mini = e <= s.miniBatchEpochs();
            String phase = mini ? "mini-batch EM" : "full-batch EM";
            double ll = 0;
            if (mini) {
                int[] perm = permutation(train.size(), rnd);
                for (int b = 0; b < perm.length; b += s.batchSize()) {
                    List<byte[]> batch = new ArrayList<>();
                    for (int j = b; j < Math.min(perm.length, b + s.batchSize()); j++) batch.add(train.get(perm[j]));
                    Counts c = Counts.estep(m, batch, s.threads(), pool);
                    ll += c.logLik;
                    mstep(m, c, s, rare, s.stepSize());
                    progress.accept(new Progress(e, epochs, phase, (double) (b + batch.size()) / perm.length, Double.NaN, Double.NaN, null));
                }
            } else {
                Counts c = Counts.estep(m, train, s.threads(), pool);
                ll = c.logLik;
                mstep(m, c, s, rare, 1.0);
            }
            double trainBpd = -ll / Math.log(2) / ((double) d * train.size());
            if (!Double.isFinite(trainBpd)) {
                throw new IllegalStateException("training diverged in epoch " + e
                        + ": the likelihood of the training images is not finite (too few or degenerate images?)");
            }
            double held = heldOut.isEmpty() ? Double.NaN
                    : -Counts.estep(m, heldOut, s.threads(), pool).logLik / Math.log(2) / ((double) d * heldOut.size());
            progress.accept(new Progress(e, epochs, phase, 1.0, trainBpd, held, PcMixture.of(m)));
        }
        return m;
    }

    /**
     * A mixture of {@code components} copies of {@code base} (same tree) trained by EM on {@code
     * train}: epoch 1 assigns every image to the component {@code assign[j]} (hard), later epochs use
     * the posterior of each component given the image (soft). Each component's M-step is the
     * single-model M-step on its weighted counts (smoothing, value kernel); the mixture weights get
     * one pseudo-count each ({@code (mass + 1) / (n + C)}; the images cut below contribute no mass, so
     * they sum to 1 - O(1e-6), and a saved file is renormalised on load). Images whose weight for a component is below 1e-6
     * are left out of that component's E-step. Held-out bpd after every epoch is the mixture's exact
     * likelihood; the training bpd of epoch 1 is that of the hard assignment (each image under its
     * component's start parameters, plus the cost of naming the component with the empirical
     * shares), of later epochs the mixture's. Mini-batch settings do not apply: every epoch is
     * full-batch.
     */
    public static PcMixture trainMixture(List<byte[]> train, int[] assign, int components, List<byte[]> heldOut, PcModel base,
                                         Settings s, Consumer<Progress> progress) throws InterruptedException {
        int n = train.size();
        int cn = components;
        if (cn < 2 || cn > PcMixture.MAX_COMPONENTS) throw new IllegalArgumentException("components must be in 2.." + PcMixture.MAX_COMPONENTS);
        if (n == 0) throw new IllegalArgumentException("no training images");
        if (!PcMixture.fits(base.rows, base.cols, base.k, cn)) throw new IllegalArgumentException("a mixture of " + cn + " would not fit a model file");
        if (assign.length != n) throw new IllegalArgumentException("one component per training image needed");
        for (byte[] img : train) {
            if (img.length != base.d) throw new IllegalArgumentException("the images do not have the start model's " + base.d + " pixels");
        }
        PcModel[] parts = new PcModel[cn];
        for (int c = 0; c < cn; c++) {
            parts[c] = new PcModel(base.rows, base.cols, base.k, base.parent.clone(), base.prior.clone(), base.trans.clone(), base.leaf.clone());
        }
        double[][] resp = new double[cn][n];
        for (int j = 0; j < n; j++) {
            if (assign[j] < 0 || assign[j] >= cn) throw new IllegalArgumentException("component " + assign[j] + " out of range");
            resp[assign[j]][j] = 1;
        }
        double[] pi = new double[cn];
        boolean[] rare = rareValues(train);
        int epochs = s.miniBatchEpochs() + s.fullBatchEpochs();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.threads()));
        try {
            for (int e = 1; e <= epochs; e++) {
                double ll = 0;
                if (e > 1) {
                    double[][] lik = new double[cn][];
                    for (int c = 0; c < cn; c++) {
                        lik[c] = Counts.logLiks(parts[c], train, s.threads(), pool);
                        progress.accept(new Progress(e, epochs, "mixture EM", 0.5 * (c + 1) / cn, Double.NaN, Double.NaN, null));
                    }
                    for (int j = 0; j < n; j++) {
                        double mx = Double.NEGATIVE_INFINITY;
                        for (int c = 0; c < cn; c++) mx = Math.max(mx, Math.log(pi[c]) + lik[c][j]);
                        double sum = 0;
                        for (int c = 0; c < cn; c++) sum += Math.exp(Math.log(pi[c]) + lik[c][j] - mx);
                        ll += mx + Math.log(sum);
                        for (int c = 0; c < cn; c++) resp[c][j] = Math.exp(Math.log(pi[c]) + lik[c][j] - mx) / sum;
                    }
                }
                for (int c = 0; c < cn; c++) {
                    int cnt = 0;
                    double mass = 0;
                    for (int j = 0; j < n; j++) if (resp[c][j] >= 1e-6) cnt++;
                    int[] idx = new int[cnt];
                    double[] w = new double[cnt];
                    cnt = 0;
                    for (int j = 0; j < n; j++) {
                        if (resp[c][j] >= 1e-6) {
                            idx[cnt] = j;
                            w[cnt++] = resp[c][j];
                            mass += resp[c][j];
                        }
                    }
                    if (cnt > 0) {
                        Counts counts = Counts.estep(parts[c], train, idx, w, s.threads(), pool);
                        if (e == 1) ll += counts.logLik;
                        mstep(parts[c], counts, s, rare, 1.0);
                    }
                    pi[c] = (mass + 1) / (n + cn);
                    progress.accept(new Progress(e, epochs, "mixture EM", e == 1 ? (c + 1.0) / cn : 0.5 + 0.5 * (c + 1) / cn,
                            Double.NaN, Double.NaN, null));
                }
                if (e == 1) {
                    double[] count = new double[cn];
                    for (int j = 0; j < n; j++) count[assign[j]]++;
                    for (int c = 0; c < cn; c++) if (count[c] > 0) ll += count[c] * Math.log(count[c] / n);
                }
                PcMixture mix = new PcMixture(parts, pi.clone());
                double trainBpd = -ll / Math.log(2) / ((double) base.d * n);
                if (!Double.isFinite(trainBpd)) throw new IllegalStateException("training diverged in epoch " + e);
                double held = heldOut.isEmpty() ? Double.NaN : bitsPerDim(mix, heldOut, s.threads(), pool);
                progress.accept(new Progress(e, epochs, e == 1 ? "mixture EM (hard)" : "mixture EM", 1.0, trainBpd, held, mix));
            }
            return new PcMixture(parts, pi);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Mean bits per dimension of {@code images} under a mixture (exact: log-sum-exp of the components' likelihoods). */
    public static double bitsPerDim(PcMixture m, List<byte[]> images, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            return bitsPerDim(m, images, threads, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double bitsPerDim(PcMixture m, List<byte[]> images, int threads, ExecutorService pool) throws InterruptedException {
        int cn = m.components();
        double[][] lik = new double[cn][];
        for (int c = 0; c < cn; c++) lik[c] = Counts.logLiks(m.parts[c], images, threads, pool);
        double ll = 0;
        for (int j = 0; j < images.size(); j++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cn; c++) mx = Math.max(mx, Math.log(m.weights[c]) + lik[c][j]);
            double sum = 0;
            for (int c = 0; c < cn; c++) sum += Math.exp(Math.log(m.weights[c]) + lik[c][j] - mx);
            ll += mx + Math.log(sum);
        }
        return -ll / Math.log(2) / ((double) m.parts[0].d * images.size());
    }

    /**
     * Seeded k-means (k-means++ start, 20 Lloyd rounds) of the images on grey levels pooled over
     * P x P cells (P = min(rows, cols) / 7, at least 1: 4 for MNIST):
     * the component of each image, for {@link #trainMixture} when no labels are given.
     */
    public static int[] kMeans(List<byte[]> images, int rows, int cols, int clusters, long seed) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images to cluster");
        int pool = Math.max(1, Math.min(rows, cols) / 7);
        int pr = (rows + pool - 1) / pool;
        int pc = (cols + pool - 1) / pool;
        int f = pr * pc;
        int n = images.size();
        double[][] x = new double[n][f];
        for (int j = 0; j < n; j++) {
            byte[] img = images.get(j);
            for (int y = 0; y < rows; y++) {
                for (int c = 0; c < cols; c++) x[j][(y / pool) * pc + c / pool] += (img[y * cols + c] & 0xFF) / (double) (pool * pool);
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        double[][] cen = new double[clusters][];
        cen[0] = x[rnd.nextInt(n)].clone();
        double[] dist = new double[n];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        for (int c = 1; c < clusters; c++) {
            double total = 0;
            for (int j = 0; j < n; j++) {
                dist[j] = Math.min(dist[j], sq(x[j], cen[c - 1]));
                total += dist[j];
            }
            double r = rnd.nextDouble() * total;
            int pick = n - 1;
            for (int j = 0; j < n; j++) {
                r -= dist[j];
                if (r <= 0) {
                    pick = j;
                    break;
                }
            }
            cen[c] = x[pick].clone();
        }
        int[] assign = new int[n];
        for (int round = 0; round < 20; round++) {
            for (int j = 0; j < n; j++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < clusters; c++) {
                    double dd = sq(x[j], cen[c]);
                    if (dd < bd) {
                        bd = dd;
                        best = c;
                    }
                }
                assign[j] = best;
            }
            double[][] sum = new double[clusters][f];
            int[] cnt = new int[clusters];
            for (int j = 0; j < n; j++) {
                cnt[assign[j]]++;
                for (int t = 0; t < f; t++) sum[assign[j]][t] += x[j][t];
            }
            for (int c = 0; c < clusters; c++) if (cnt[c] > 0) for (int t = 0; t < f; t++) cen[c][t] = sum[c][t] / cnt[c];
        }
        return assign;
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            double dd = a[t] - b[t];
            s += dd * dd;
        }
        return s;
    }

    /** Every latent state becomes {@code m} copies: mass divided evenly, then up to 10% seeded noise, renormalised. */
    static PcModel split(PcModel src, int m, long seed) {
        int k = src.k;
        int k2 = k * m;
        int d = src.d;
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[] prior = new double[k2];
        for (int z = 0; z < k2; z++) prior[z] = src.prior[z / m] / m;
        double[] trans = new double[d * k2 * k2];
        double[] leaf = new double[d * k2 * 256];
        for (int i = 0; i < d; i++) {
            for (int zp = 0; zp < k2; zp++) {
                int row = (i * k2 + zp) * k2;
                double sum = 0;
                for (int zc = 0; zc < k2; zc++) {
                    double p = src.trans[(i * k + zp / m) * k + zc / m] / m * (1 + 0.2 * (rnd.nextDouble() - 0.5));
                    trans[row + zc] = p;
                    sum += p;
                }
                for (int zc = 0; zc < k2; zc++) trans[row + zc] /= sum;
            }
            for (int z = 0; z < k2; z++) {
                int row = (i * k2 + z) * 256;
                int from = (i * k + z / m) * 256;
                double sum = 0;
                for (int v = 0; v < 256; v++) {
                    double p = src.leaf[from + v] * (1 + 0.2 * (rnd.nextDouble() - 0.5));
                    leaf[row + v] = p;
                    sum += p;
                }
                for (int v = 0; v < 256; v++) leaf[row + v] /= sum;
            }
        }
        return new PcModel(src.rows(), src.cols(), k2, src.parent.clone(), prior, trans, leaf);
    }

    /**
     * The images followed by every image shifted by one pixel: right, left, down, up (in that order;
     * pixels shifted in are 0). Training on them regularises the leaves and transitions of a model
     * that would otherwise overfit (MNIST, k = 16: held-out 1.2610 -> 1.2568 bpd over 3 EM epochs).
     */
    public static List<byte[]> withShifts(List<byte[]> images, int rows, int cols) {
        int[][] moves = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
        List<byte[]> out = new ArrayList<>(images.size() * (1 + moves.length));
        out.addAll(images);
        for (byte[] x : images) {
            for (int[] mv : moves) out.add(shifted(x, rows, cols, mv[0], mv[1]));
        }
        return out;
    }

    /** {@code x} moved by {@code dy} rows and {@code dx} columns, zeros shifted in. */
    static byte[] shifted(byte[] x, int rows, int cols, int dy, int dx) {
        byte[] o = new byte[rows * cols];
        for (int y = 0; y < rows; y++) {
            int sy = y - dy;
            if (sy < 0 || sy >= rows) continue;
            for (int c = 0; c < cols; c++) {
                int sx = c - dx;
                if (sx >= 0 && sx < cols) o[y * cols + c] = x[sy * cols + sx];
            }
        }
        return o;
    }

    /** Mean held-out bits per dimension of {@code images} under {@code m} (exact, parallel). */
    public static double bitsPerDim(PcModel m, List<byte[]> images, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            return -Counts.estep(m, images, threads, pool).logLik / Math.log(2) / ((double) m.d * images.size());
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Initial parameters: leaf (i, z) mixes the pixel's smoothed histogram with a bump centred at
     * value (z + 1/2) 256/k, so state z starts as "x_i near that value"; transitions near-diagonal with
     * seeded noise to break symmetry.
     */
    static PcModel init(List<byte[]> train, int rows, int cols, int k, int[] parent, Settings s) {
        int d = rows * cols;
        SplittableRandom rnd = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
        double[] hist = new double[d * 256];
        for (byte[] img : train) for (int i = 0; i < d; i++) hist[i * 256 + (img[i] & 0xFF)]++;
        double[] leaf = new double[d * k * 256];
        double width = 256.0 / k;
        for (int i = 0; i < d; i++) {
            for (int z = 0; z < k; z++) {
                double c = (z + 0.5) * width;
                int row = (i * k + z) * 256;
                double sum = 0;
                for (int v = 0; v < 256; v++) {
                    double dv = (v - c) / width;
                    double bump = Math.exp(-0.5 * dv * dv);
                    double h = (hist[i * 256 + v] + 0.1) / (train.size() + 25.6);
                    double p = 0.5 * h + 0.5 * bump / (width * Math.sqrt(2 * Math.PI)) + 1e-6;
                    leaf[row + v] = p;
                    sum += p;
                }
                for (int v = 0; v < 256; v++) leaf[row + v] /= sum;
            }
        }
        double[] trans = new double[d * k * k];
        for (int i = 0; i < d; i++) {
            for (int zp = 0; zp < k; zp++) {
                int row = (i * k + zp) * k;
                double sum = 0;
                for (int zc = 0; zc < k; zc++) {
                    double p = (zc == zp ? 2.0 : 0.0) + 0.5 + rnd.nextDouble();
                    trans[row + zc] = p;
                    sum += p;
                }
                for (int zc = 0; zc < k; zc++) trans[row + zc] /= sum;
            }
        }
        double[] prior = new double[k];
        Arrays.fill(prior, 1.0 / k);
        return new PcModel(rows, cols, k, parent, prior, trans, leaf);
    }

    /**
     * The values the value kernel may smooth: those whose share of all training pixels is below half
     * the uniform share (1/512). Frequent values (MNIST's background 0 and ink 251..255) keep sharp
     * leaf probabilities; for natural images most values are frequent and the kernel does little.
     */
    static boolean[] rareValues(List<byte[]> train) {
        long[] h = new long[256];
        long n = 0;
        for (byte[] img : train) {
            for (byte b : img) h[b & 0xFF]++;
            n += img.length;
        }
        boolean[] rare = new boolean[256];
        for (int v = 0; v < 256; v++) rare[v] = h[v] * 512 < n;
        return rare;
    }

    /**
     * Spreads a share {@code weight} of each rare value's expected count evenly over the rare values
     * within {@code +-width} of it (itself included), in place: neighbouring grey levels of
     * anti-aliased strokes get similar probabilities instead of the noise of a few counts each.
     */
    static void smoothLeafCounts(double[] counts, int groups, boolean[] rare, int width, double weight) {
        if (width <= 0 || weight <= 0) return;
        double[] out = new double[256];
        for (int g = 0; g < groups; g++) {
            int b = g * 256;
            Arrays.fill(out, 0);
            for (int v = 0; v < 256; v++) {
                double c = counts[b + v];
                if (!rare[v] || c == 0) {
                    out[v] += c;
                    continue;
                }
                int n = 0;
                for (int u = Math.max(0, v - width); u <= Math.min(255, v + width); u++) if (rare[u]) n++;
                double each = weight * c / n;
                out[v] += (1 - weight) * c;
                for (int u = Math.max(0, v - width); u <= Math.min(255, v + width); u++) if (rare[u]) out[u] += each;
            }
            System.arraycopy(out, 0, counts, b, 256);
        }
    }

    /** theta <- (1 - eta) theta + eta normalise(counts + smoothing), leaf counts through the value kernel first. */
    private static void mstep(PcModel m, Counts c, Settings s, boolean[] rare, double eta) {
        blend(m.prior, c.prior, 1, m.k, s.edgeSmoothing(), eta);
        blend(m.trans, c.trans, m.d * m.k, m.k, s.edgeSmoothing(), eta);
        smoothLeafCounts(c.leaf, m.d * m.k, rare, s.kernelWidth(), s.kernelWeight());
        blend(m.leaf, c.leaf, m.d * m.k, 256, s.leafSmoothing(), eta);
    }

    private static void blend(double[] theta, double[] counts, int groups, int size, double alpha, double eta) {
        for (int g = 0; g < groups; g++) {
            int b = g * size;
            double sum = 0;
            for (int v = 0; v < size; v++) sum += counts[b + v];
            double den = sum + alpha * size;
            for (int v = 0; v < size; v++) theta[b + v] = (1 - eta) * theta[b + v] + eta * (counts[b + v] + alpha) / den;
        }
    }

    /** Expected sufficient statistics of one E-step. */
    static final class Counts {
        final double[] prior;
        final double[] trans;
        final double[] leaf;
        double logLik;

        Counts(int d, int k) {
            prior = new double[k];
            trans = new double[d * k * k];
            leaf = new double[d * k * 256];
        }

        void add(Counts o) {
            for (int i = 0; i < prior.length; i++) prior[i] += o.prior[i];
            for (int i = 0; i < trans.length; i++) trans[i] += o.trans[i];
            for (int i = 0; i < leaf.length; i++) leaf[i] += o.leaf[i];
            logLik += o.logLik;
        }

        /** transT[(i*k + zc)*k + zp] = trans[(i*k + zp)*k + zc]. */
        static double[] transposed(PcModel m) {
            int k = m.k;
            double[] t = new double[m.trans.length];
            for (int i = 0; i < m.d; i++) {
                int b = i * k * k;
                for (int zp = 0; zp < k; zp++) for (int zc = 0; zc < k; zc++) t[b + zc * k + zp] = m.trans[b + zp * k + zc];
            }
            return t;
        }

        /** The k values of {@code leaf} for pixel i and value v adjacent: {@code [(i*256 + v)*k + z]}. */
        static double[] valueMajor(PcModel m) {
            int d = m.d;
            int k = m.k;
            double[] t = new double[d * k * 256];
            for (int i = 0; i < d; i++) {
                for (int z = 0; z < k; z++) {
                    int src = (i * k + z) * 256;
                    for (int v = 0; v < 256; v++) t[(i * 256 + v) * k + z] = m.leaf(src + v);
                }
            }
            return t;
        }

        /** E-step over {@code images} split into {@code threads} fixed chunks, merged in chunk order. */
        static Counts estep(PcModel m, List<byte[]> images, int threads, ExecutorService pool) throws InterruptedException {
            return estep(m, images, null, null, threads, pool);
        }

        /**
         * E-step over {@code images.get(idx[j])} with counts scaled by {@code weight[j]} (idx and
         * weight null: every image, weight 1); fixed chunks merged in order (deterministic for a given
         * thread count). {@code logLik} is the unweighted sum of ln P(x) over those images.
         */
        static Counts estep(PcModel m, List<byte[]> images, int[] idx, double[] weight, int threads, ExecutorService pool)
                throws InterruptedException {
            int total = idx == null ? images.size() : idx.length;
            int chunks = Math.max(1, Math.min(threads, total));
            double[] transT = transposed(m);
            double[] leafT = valueMajor(m);
            List<Future<Counts>> fs = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) total * c / chunks);
                int to = (int) ((long) total * (c + 1) / chunks);
                fs.add(pool.submit(() -> {
                    Counts cnt = new Counts(m.d, m.k);
                    cnt.logLik = accumulate(m, images, idx, from, to, weight, null, cnt, transT, leafT);
                    return cnt;
                }));
            }
            Counts sum = merge(fs);
            // back to the model's layout [(i*k + z)*256 + v]
            double[] leaf = sum.leaf;
            double[] out = new double[leaf.length];
            for (int i = 0; i < m.d; i++) {
                for (int v = 0; v < 256; v++) {
                    int src = (i * 256 + v) * m.k;
                    for (int z = 0; z < m.k; z++) out[(i * m.k + z) * 256 + v] = leaf[src + z];
                }
            }
            System.arraycopy(out, 0, leaf, 0, leaf.length);
            return sum;
        }

        private static <T> T merge(List<Future<T>> fs) throws InterruptedException {
            T total = null;
            try {
                for (Future<T> f : fs) {
                    T c = f.get();
                    if (total == null) total = c;
                    else ((Counts) total).add((Counts) c);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            return total;
        }

        /** ln P(x) of every image (upward passes only), in parallel. */
        static double[] logLiks(PcModel m, List<byte[]> images, int threads, ExecutorService pool) throws InterruptedException {
            int total = images.size();
            int chunks = Math.max(1, Math.min(threads, total));
            double[] transT = transposed(m);
            double[] leafT = valueMajor(m);
            double[] ll = new double[total];
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) total * c / chunks);
                int to = (int) ((long) total * (c + 1) / chunks);
                fs.add(pool.submit(() -> accumulate(m, images, null, from, to, null, ll, null, transT, leafT)));
            }
            try {
                for (Future<?> f : fs) f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            return ll;
        }

        /** Images per E-step batch: each node's transition block is read once per batch, not once per image. */
        static final int BATCH = 32;
        /**
         * Terms below this are left out of the messages and the counts (B_c is normalised to sum 1
         * and the posteriors of an image sum to its weight, and the rows of T sum to 1): each message
         * entry and each image's counts move by at most k 2^-50 in absolute terms, far below EM's own
         * precision, and much of the k x k work is skipped.
         */
        static final double SKIP = 0x1p-50;

        /**
         * Adds the expected counts of images {@code [from, to)} to {@code cnt}, in batches of
         * {@link #BATCH}. Upward pass (reverse preorder): B_i = leaf_i(x_i) prod_c m_c, m_c = T_c B_c (B
         * normalised, log scale kept); downward: post(zp, zc) = post_p(zp) / m_c(zp) T_c(zp, zc)
         * B_c(zc). Node-major within a batch, so the k x k tables stay in cache (the E-step is memory
         * bound per image otherwise). Leaf tables and counts are value-major here ({@code
         * [(i*256 + v)*k + z]}: one image reads k adjacent numbers per pixel). Returns the sum of ln P(x).
         */
        /**
         * Over {@code images.get(idx[j])} for j in {@code [from, to)} (idx null: j itself):
         * each image's counts scaled by {@code weight[j]} (null: 1), its ln P(x) stored in {@code
         * ll[j]} (when not null); {@code cnt} null: upward pass only (likelihoods).
         */
        static double accumulate(PcModel m, List<byte[]> images, int[] idx, int from, int to, double[] weight, double[] ll,
                                 Counts cnt, double[] transT, double[] leafT) {
            final int k = m.k;
            final int kk = k * k;
            final int d = m.d;
            final int dk = d * k;
            final int[] order = m.order;
            final int[] parent = m.parent;
            final double[] trans = m.trans;
            final double[] cntTrans = cnt == null ? null : cnt.trans;
            final double[] cntLeaf = cnt == null ? null : cnt.leaf;
            int nb = Math.min(BATCH, to - from);
            double[] below = new double[nb * dk];
            double[] msg = new double[nb * dk];
            double[] post = new double[nb * dk];
            double[] logZ = new double[nb];
            byte[][] xs = new byte[nb][];
            double total = 0;
            for (int b0 = from; b0 < to; b0 += BATCH) {
                int n = Math.min(BATCH, to - b0);
                for (int q = 0; q < n; q++) {
                    byte[] x = images.get(idx == null ? b0 + q : idx[b0 + q]);
                    xs[q] = x;
                    logZ[q] = 0;
                    for (int i = 0; i < d; i++) System.arraycopy(leafT, (i * 256 + (x[i] & 0xFF)) * k, below, q * dk + i * k, k);
                }
                for (int t = d - 1; t >= 1; t--) {
                    int c = order[t];
                    int p = parent[c];
                    int tb = c * kk;
                    for (int q = 0; q < n; q++) {
                        int bc = q * dk + c * k;
                        int bp = q * dk + p * k;
                        double s = 0;
                        for (int z = 0; z < k; z++) s += below[bc + z];
                        logZ[q] += Math.log(s);
                        double inv = 1.0 / s;
                        for (int z = 0; z < k; z++) below[bc + z] *= inv;
                        // msg_c = T_c B_c as a sum of columns (rows of the transposed table): no
                        // reduction in the inner loop, so the JIT vectorises it
                        for (int zp = 0; zp < k; zp++) msg[bc + zp] = 0;
                        for (int zc = 0; zc < k; zc++) {
                            double bz = below[bc + zc];
                            if (bz < SKIP) continue;
                            int col = tb + zc * k;
                            for (int zp = 0; zp < k; zp++) msg[bc + zp] += bz * transT[col + zp];
                        }
                        double mx = 0;
                        for (int zp = 0; zp < k; zp++) {
                            double v = below[bp + zp] * msg[bc + zp];
                            below[bp + zp] = v;
                            mx = Math.max(mx, v);
                        }
                        // a parent with hundreds of children would underflow: rescale it, keeping the
                        // scale in logZ (posteriors are ratios, so they do not change)
                        if (mx > 0 && mx < 0x1p-256) {
                            double up = 1.0 / mx;
                            for (int zp = 0; zp < k; zp++) below[bp + zp] *= up;
                            logZ[q] += Math.log(mx);
                        }
                    }
                }
                int r = m.root;
                for (int q = 0; q < n; q++) {
                    int br = q * dk + r * k;
                    double lik = 0;
                    for (int z = 0; z < k; z++) lik += m.prior[z] * below[br + z];
                    logZ[q] += Math.log(lik);
                    if (ll != null) ll[b0 + q] = logZ[q];
                    if (cnt == null) continue;
                    double wq = weight == null ? 1.0 : weight[b0 + q];
                    int lr = (r * 256 + (xs[q][r] & 0xFF)) * k;
                    for (int z = 0; z < k; z++) {
                        double pz = wq * m.prior[z] * below[br + z] / lik;
                        post[br + z] = pz;
                        cnt.prior[z] += pz;
                        cntLeaf[lr + z] += pz;
                    }
                }
                for (int t = 1; t < d && cnt != null; t++) {
                    int c = order[t];
                    int p = parent[c];
                    int tb = c * kk;
                    for (int q = 0; q < n; q++) {
                        int bc = q * dk + c * k;
                        int bp = q * dk + p * k;
                        for (int zc = 0; zc < k; zc++) post[bc + zc] = 0;
                        for (int zp = 0; zp < k; zp++) {
                            // posteriors given a whole image are peaked: rows of negligible mass are skipped
                            // (weighted posteriors: relative to the image's weight)
                            if (post[bp + zp] < SKIP * (weight == null ? 1.0 : weight[b0 + q])) continue;
                            double w = post[bp + zp] / msg[bc + zp];
                            int row = tb + zp * k;
                            for (int zc = 0; zc < k; zc++) {
                                double j = w * trans[row + zc] * below[bc + zc];
                                cntTrans[row + zc] += j;
                                post[bc + zc] += j;
                            }
                        }
                        int lc = (c * 256 + (xs[q][c] & 0xFF)) * k;
                        for (int zc = 0; zc < k; zc++) cntLeaf[lc + zc] += post[bc + zc];
                    }
                }
                for (int q = 0; q < n; q++) total += logZ[q];
            }
            return total;
        }
    }
}
