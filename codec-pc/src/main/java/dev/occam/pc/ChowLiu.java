package dev.occam.pc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Chow-Liu tree over pixels: mutual information of pixel values binned to {@value #BINS} levels
 * ({@code v >> 6}), maximum spanning tree (Prim, O(D^2)), rooted at the tree's centre (the middle of
 * its longest path), so no pixel is far from the root.
 *
 * <p>Pair counts only visit pairs of pixels that are both outside bin 0 (a sparse image costs
 * O(nonzero^2)); the bin-0 cells follow from the single-pixel counts.
 */
final class ChowLiu {
    /** Bin = value >> SHIFT (4 bins; 8 bins gave no better model on MNIST). */
    static final int SHIFT = 6;
    static final int BINS = 256 >> SHIFT;
    private static final int NZ = BINS - 1;

    private ChowLiu() {
    }

    /** Parent array of the Chow-Liu tree (-1 at the root). */
    static int[] tree(List<byte[]> images, int d, int threads, ExecutorService pool) throws InterruptedException {
        double[] mi = mutualInformation(images, d, threads, pool);
        return root(maxSpanningTree(mi, d));
    }

    static double[] mutualInformation(List<byte[]> images, int d, int threads, ExecutorService pool) throws InterruptedException {
        int chunks = Math.max(1, Math.min(threads, images.size()));
        List<Future<int[]>> fs = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) images.size() * c / chunks);
            int to = (int) ((long) images.size() * (c + 1) / chunks);
            fs.add(pool.submit(() -> pairCounts(images, from, to, d)));
        }
        int[] pair = null;
        try {
            for (Future<int[]> f : fs) {
                int[] p = f.get();
                if (pair == null) pair = p;
                else for (int i = 0; i < p.length; i++) pair[i] += p[i];
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        long[] single = new long[d * BINS];
        for (byte[] img : images) for (int i = 0; i < d; i++) single[i * BINS + ((img[i] & 0xFF) >> SHIFT)]++;
        double n = images.size();
        double[] mi = new double[d * d];
        double[] joint = new double[BINS * BINS];
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                Arrays.fill(joint, 0);
                long base = ((long) i * d + j) * (NZ * NZ);
                for (int a = 1; a < BINS; a++) {
                    for (int b = 1; b < BINS; b++) joint[a * BINS + b] = pair[(int) (base + (a - 1) * NZ + (b - 1))];
                }
                for (int a = 1; a < BINS; a++) {
                    double s = 0;
                    for (int b = 1; b < BINS; b++) s += joint[a * BINS + b];
                    joint[a * BINS] = single[i * BINS + a] - s;
                }
                for (int b = 1; b < BINS; b++) {
                    double s = 0;
                    for (int a = 1; a < BINS; a++) s += joint[a * BINS + b];
                    joint[b] = single[j * BINS + b] - s;
                }
                double s = 0;
                for (int c = 1; c < BINS * BINS; c++) s += joint[c];
                joint[0] = n - s;
                double v = 0;
                for (int a = 0; a < BINS; a++) {
                    for (int b = 0; b < BINS; b++) {
                        double pab = joint[a * BINS + b];
                        if (pab <= 0) continue;
                        v += pab / n * Math.log(pab * n / ((double) single[i * BINS + a] * single[j * BINS + b]));
                    }
                }
                mi[i * d + j] = v;
                mi[j * d + i] = v;
            }
        }
        return mi;
    }

    private static int[] pairCounts(List<byte[]> images, int from, int to, int d) {
        int[] pair = new int[d * d * NZ * NZ];
        int[] nz = new int[d];
        for (int t = from; t < to; t++) {
            byte[] img = images.get(t);
            int n = 0;
            for (int i = 0; i < d; i++) if ((img[i] & 0xFF) >> SHIFT != 0) nz[n++] = i;
            for (int a = 0; a < n; a++) {
                int i = nz[a];
                int bi = ((img[i] & 0xFF) >> SHIFT) - 1;
                int base = i * d;
                for (int b = a + 1; b < n; b++) {
                    int j = nz[b];
                    pair[(base + j) * (NZ * NZ) + bi * NZ + ((img[j] & 0xFF) >> SHIFT) - 1]++;
                }
            }
        }
        return pair;
    }

    /** Prim's algorithm on the dense weight matrix; ties broken by lower index. Returns parent from node 0. */
    static int[] maxSpanningTree(double[] w, int d) {
        int[] parent = new int[d];
        double[] best = new double[d];
        boolean[] in = new boolean[d];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        Arrays.fill(parent, -1);
        best[0] = 0;
        for (int step = 0; step < d; step++) {
            int u = -1;
            for (int v = 0; v < d; v++) if (!in[v] && (u < 0 || best[v] > best[u])) u = v;
            in[u] = true;
            for (int v = 0; v < d; v++) {
                if (!in[v] && w[u * d + v] > best[v]) {
                    best[v] = w[u * d + v];
                    parent[v] = u;
                }
            }
        }
        return parent;
    }

    /** Re-roots the tree at its centre. */
    static int[] root(int[] parent) {
        int d = parent.length;
        List<List<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < d; i++) adj.add(new ArrayList<>());
        for (int i = 0; i < d; i++) {
            if (parent[i] >= 0) {
                adj.get(i).add(parent[i]);
                adj.get(parent[i]).add(i);
            }
        }
        int[] from = new int[d];
        int a = farthest(adj, 0, from);
        int b = farthest(adj, a, from);
        List<Integer> path = new ArrayList<>();
        for (int v = b; v != -1; v = from[v]) path.add(v);
        int centre = path.get(path.size() / 2);
        farthest(adj, centre, from);
        return from;
    }

    /** BFS from s; fills {@code from} with BFS parents (-1 at s) and returns the last node reached. */
    private static int farthest(List<List<Integer>> adj, int s, int[] from) {
        Arrays.fill(from, -2);
        int[] queue = new int[from.length];
        int head = 0;
        int tail = 0;
        queue[tail++] = s;
        from[s] = -1;
        int last = s;
        while (head < tail) {
            int u = queue[head++];
            last = u;
            for (int v : adj.get(u)) {
                if (from[v] == -2) {
                    from[v] = u;
                    queue[tail++] = v;
                }
            }
        }
        return last;
    }
}
