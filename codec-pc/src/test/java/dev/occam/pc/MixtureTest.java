package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Mixtures of HCLTs: the weighted batched E-step, the file format, the coder and mixture EM. */
class MixtureTest {
    private static final int[] TREE = {-1, 0, 0, 1, 1, 2};

    /** Random 2x3 images with few distinct values, so leaf counts land on repeated cells. */
    private static List<byte[]> images(int n, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            byte[] x = new byte[6];
            for (int i = 0; i < 6; i++) x[i] = (byte) (r.nextInt(4) * 60);
            out.add(x);
        }
        return out;
    }

    /**
     * Expected counts by enumerating all k^D latent assignments of each image: the batched E-step
     * (more images than one batch, weights, value-major tables) must give the same numbers.
     */
    @Test
    void weightedEStepMatchesBruteForce() throws InterruptedException {
        int k = 3;
        PcModel m = ConditionalsTest.random(2, 3, k, TREE, 5);
        List<byte[]> imgs = images(2 * PcTrainer.Counts.BATCH + 12, 2);
        int[] idx = new int[imgs.size() - 3];
        double[] wt = new double[idx.length];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = j + 3;
            wt[j] = 0.25 + (j % 5) * 0.5;
        }
        double[] prior = new double[k];
        double[] trans = new double[6 * k * k];
        double[] leaf = new double[6 * k * 256];
        double ll = 0;
        int[] z = new int[6];
        for (int j = 0; j < idx.length; j++) {
            byte[] x = imgs.get(idx[j]);
            double px = 0;
            int all = (int) Math.pow(k, 6);
            double[] joint = new double[all];
            for (int a = 0; a < all; a++) {
                int t = a;
                for (int i = 0; i < 6; i++) {
                    z[i] = t % k;
                    t /= k;
                }
                double p = 1;
                for (int i = 0; i < 6; i++) {
                    p *= TREE[i] < 0 ? m.prior[z[i]] : m.trans[(i * k + z[TREE[i]]) * k + z[i]];
                    p *= m.leaf[(i * k + z[i]) * 256 + (x[i] & 0xFF)];
                }
                joint[a] = p;
                px += p;
            }
            ll += Math.log(px);
            for (int a = 0; a < all; a++) {
                int t = a;
                for (int i = 0; i < 6; i++) {
                    z[i] = t % k;
                    t /= k;
                }
                double q = wt[j] * joint[a] / px;
                prior[z[0]] += q;
                for (int i = 0; i < 6; i++) {
                    if (TREE[i] >= 0) trans[(i * k + z[TREE[i]]) * k + z[i]] += q;
                    leaf[(i * k + z[i]) * 256 + (x[i] & 0xFF)] += q;
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            PcTrainer.Counts c = PcTrainer.Counts.estep(m, imgs, idx, wt, 2, pool);
            assertEquals(ll, c.logLik, 1e-9 * Math.abs(ll));
            assertArrayEquals(prior, c.prior, 1e-9);
            for (int i = 1; i < 6; i++) {
                for (int t = 0; t < k * k; t++) assertEquals(trans[i * k * k + t], c.trans[i * k * k + t], 1e-9, "transition count " + i + "/" + t);
            }
            assertArrayEquals(leaf, c.leaf, 1e-9);
            double[] each = PcTrainer.Counts.logLiks(m, imgs, 2, pool);
            for (int j = 0; j < imgs.size(); j++) {
                assertEquals(Math.log(ConditionalsTest.brute(m, imgs.get(j), new boolean[] {true, true, true, true, true, true})), each[j], 1e-9);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Counts scale with the weight, however small: the E-step's negligible-term cut is relative to the
     * image's weight (a weight of 1e-30 must not cut everything), and tiny probabilities in the model
     * do not change that.
     */
    @Test
    void countsScaleWithTinyWeights() throws InterruptedException {
        int k = 3;
        PcModel r = ConditionalsTest.random(2, 3, k, TREE, 15);
        double[] trans = r.trans.clone();
        for (int g = 0; g < trans.length / k; g++) {
            trans[g * k] = 1e-18; // a near-impossible transition in every row
            double s = 0;
            for (int z = 0; z < k; z++) s += trans[g * k + z];
            for (int z = 0; z < k; z++) trans[g * k + z] /= s;
        }
        PcModel m = new PcModel(2, 3, k, TREE, r.prior, trans, r.leaf);
        List<byte[]> imgs = images(5, 4);
        int[] idx = {0, 1, 2, 3, 4};
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            PcTrainer.Counts one = PcTrainer.Counts.estep(m, imgs, idx, new double[] {1, 1, 1, 1, 1}, 1, pool);
            PcTrainer.Counts tiny = PcTrainer.Counts.estep(m, imgs, idx, new double[] {1e-30, 1e-30, 1e-30, 1e-30, 1e-30}, 1, pool);
            for (int t = 0; t < one.trans.length; t++) {
                if (one.trans[t] > 1e-12) assertEquals(1.0, tiny.trans[t] / (1e-30 * one.trans[t]), 1e-9, "transition count " + t);
            }
            for (int t = 0; t < one.leaf.length; t++) {
                if (one.leaf[t] > 1e-12) assertEquals(1.0, tiny.leaf[t] / (1e-30 * one.leaf[t]), 1e-9, "leaf count " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static PcMixture randomMixture(int comps, long seed) {
        PcModel[] parts = new PcModel[comps];
        double[] w = new double[comps];
        for (int c = 0; c < comps; c++) {
            parts[c] = ConditionalsTest.random(2, 3, 3, TREE, seed + c);
            w[c] = 1 + c;
        }
        for (int c = 0; c < comps; c++) w[c] /= comps * (comps + 1) / 2.0;
        return new PcMixture(parts, w).quantised();
    }

    @Test
    void fileRoundTripKeepsEveryParameterAndOneComponentIsTheOldFormat() throws IOException {
        PcMixture m = randomMixture(3, 40);
        byte[] b = m.toBytes();
        assertEquals(PcMixture.VERSION, PcModel.version(b, "m"));
        PcMixture back = PcMixture.fromBytes(b, "m");
        assertEquals(3, back.components());
        assertArrayEquals(m.weights, back.weights);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(m.parts[c].leaf, back.parts[c].leaf);
            assertArrayEquals(m.parts[c].trans, back.parts[c].trans);
        }
        assertArrayEquals(b, back.toBytes());
        // one component: byte-identical to a plain model file, and read back as one
        PcModel single = m.parts[0];
        assertArrayEquals(single.toBytes(), PcMixture.of(single).toBytes());
        assertEquals(1, PcMixture.fromBytes(single.toBytes(), "s").components());
        // a single-model reader names what the file is
        IOException e = assertThrows(IOException.class, () -> PcModel.fromBytes(b, "mix.pcm"));
        assertTrue(e.getMessage().contains("mix.pcm") && e.getMessage().contains("mixture"), e.getMessage());
        // corruption and truncation are caught
        byte[] bad = b.clone();
        bad[bad.length / 2] ^= 1;
        e = assertThrows(IOException.class, () -> PcMixture.fromBytes(bad, "bad.pcm"));
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
        e = assertThrows(IOException.class, () -> PcMixture.fromBytes(Arrays.copyOf(b, b.length - 7), "cut.pcm"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /** Crafted payloads with a valid CRC: dimensions that overflow, bad component counts, short or long payloads. */
    @Test
    void craftedPayloadsGiveClearErrors() throws IOException {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream o = new java.io.DataOutputStream(raw);
        o.writeShort(65535);
        o.writeShort(65535);
        o.writeShort(16);
        o.writeInt(-1);
        byte[] huge = PcModel.frame(PcModel.VERSION, raw.toByteArray());
        IOException e = assertThrows(IOException.class, () -> PcMixture.fromBytes(huge, "huge.pcm"));
        assertTrue(e.getMessage().contains("huge.pcm: bad PC model dimensions 65535x65535"), e.getMessage());
        for (int comps : new int[] {0, 1, PcMixture.MAX_COMPONENTS + 1}) {
            raw.reset();
            o.writeShort(2);
            o.writeShort(3);
            o.writeShort(3);
            o.writeShort(comps);
            byte[] f = PcModel.frame(PcMixture.VERSION, raw.toByteArray());
            e = assertThrows(IOException.class, () -> PcMixture.fromBytes(f, "c.pcm"));
            assertTrue(e.getMessage().contains("bad PC mixture dimensions"), e.getMessage());
        }
        // a good mixture's payload, cut short or with a byte too many
        byte[] good = randomMixture(2, 70).toBytes();
        byte[] payload = inflate(good);
        e = assertThrows(IOException.class, () -> PcMixture.fromBytes(PcModel.frame(PcMixture.VERSION, Arrays.copyOf(payload, payload.length - 2)), "short.pcm"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class, () -> PcMixture.fromBytes(PcModel.frame(PcMixture.VERSION, Arrays.copyOf(payload, payload.length + 1)), "long.pcm"));
        assertTrue(e.getMessage().contains("1 bytes too many"), e.getMessage());
        assertEquals(2, PcMixture.fromBytes(PcModel.frame(PcMixture.VERSION, payload), "same.pcm").components());
    }

    private static byte[] inflate(byte[] file) throws IOException {
        return PcModel.unframe(file, "f");
    }

    /**
     * Components that disagree on every pixel: the coder drops the losers within a few pixels, and
     * still round-trips and codes within a hair of the exact likelihood.
     */
    @Test
    void coderDropsRuledOutComponents() throws IOException {
        PcModel[] parts = new PcModel[3];
        for (int c = 0; c < 3; c++) {
            PcModel r = ConditionalsTest.random(2, 3, 3, TREE, 80 + c);
            double[] leaf = new double[r.leaf.length];
            for (int g = 0; g < leaf.length / 256; g++) {
                for (int v = 0; v < 256; v++) leaf[g * 256 + v] = 0.01 / 255;
                leaf[g * 256 + c * 100] = 0.99; // component c: every pixel is c*100
            }
            parts[c] = new PcModel(2, 3, 3, TREE, r.prior, r.trans, leaf);
        }
        PcMixture m = new PcMixture(parts, new double[] {0.3, 0.3, 0.4}).quantised();
        List<byte[]> imgs = new ArrayList<>();
        for (int j = 0; j < 30; j++) {
            byte[] x = new byte[6];
            Arrays.fill(x, (byte) ((j % 3) * 100));
            imgs.add(x);
        }
        MixConditionals mc = new MixConditionals(m);
        double[] scratch = new double[18];
        for (byte[] x : imgs) assertEquals(-m.logLik(x, scratch) / Math.log(2), mc.nllBits(x, 0), 1e-4);
        assertTrue(mc.dropped >= 2 * imgs.size(), "two of three components dropped per image: " + mc.dropped);
        byte[] all = new byte[imgs.size() * 6];
        for (int j = 0; j < imgs.size(); j++) System.arraycopy(imgs.get(j), 0, all, j * 6, 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(out);
        mc.encodeImages(all, 0, imgs.size(), enc);
        enc.finish();
        byte[] back = new byte[all.length];
        new MixConditionals(m).decodeImages(back, 0, imgs.size(), new RangeDecoder(out.toByteArray(), 0, out.size()));
        assertArrayEquals(all, back);
    }

    /** The chain of mixture conditionals is the mixture's likelihood; encode/decode round-trip whole and partial images. */
    @Test
    void coderRoundTripsAndMatchesTheLikelihood() throws IOException {
        PcMixture m = randomMixture(4, 60);
        List<byte[]> imgs = images(40, 9);
        MixConditionals mc = new MixConditionals(m);
        double[] scratch = new double[6 * 3];
        double nll = 0;
        for (byte[] x : imgs) {
            double exact = -m.logLik(x, scratch) / Math.log(2);
            assertEquals(exact, mc.nllBits(x, 0), 1e-3, "chain rule vs log-sum-exp");
            nll += exact;
        }
        byte[] all = new byte[imgs.size() * 6];
        for (int j = 0; j < imgs.size(); j++) System.arraycopy(imgs.get(j), 0, all, j * 6, 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(out);
        mc.encode(all, 0, 2, 6, enc); // a partial image (pixels 2..5) first
        mc.encodeImages(all, 6, imgs.size() - 1, enc);
        enc.finish();
        byte[] coded = out.toByteArray();
        assertTrue(coded.length * 8 < nll + 64, coded.length * 8 + " bits vs NLL " + nll);
        byte[] back = new byte[all.length];
        MixConditionals md = new MixConditionals(m);
        RangeDecoder dec = new RangeDecoder(coded, 0, coded.length);
        md.decode(back, 0, 2, 6, dec);
        md.decodeImages(back, 6, imgs.size() - 1, dec);
        assertArrayEquals(Arrays.copyOfRange(all, 2, all.length), Arrays.copyOfRange(back, 2, back.length));
    }

    /** Two kinds of image: a mixture started from k-means clusters beats the single model it started from. */
    @Test
    void mixtureEmBeatsItsStartModelOnClusteredData() throws InterruptedException {
        List<byte[]> train = twoKinds(600, 1);
        List<byte[]> held = twoKinds(200, 2);
        PcTrainer.Settings s = new PcTrainer.Settings(4, 1, 2, 100, 0.5, 0.01, 0.01, 2, 3);
        PcModel base = PcTrainer.train(train, held, 6, 6, s, p -> { });
        int[] assign = PcTrainer.kMeans(train, 6, 6, 2, 7);
        long first = Arrays.stream(assign).filter(a -> a == 0).count();
        assertTrue(first > 200 && first < 400, "k-means splits the two kinds: " + first);
        PcTrainer.Settings sm = new PcTrainer.Settings(4, 0, 3, 100, 0.5, 0.01, 0.01, 2, 3);
        List<Double> heldBpd = new ArrayList<>();
        PcMixture mix = PcTrainer.trainMixture(train, assign, 2, held, base, sm, p -> {
            if (p.model() != null) heldBpd.add(p.heldOutBpd());
        });
        assertEquals(3, heldBpd.size());
        double single = PcTrainer.bitsPerDim(base, held, 2);
        double mixed = PcTrainer.bitsPerDim(mix, held, 2);
        assertEquals(mixed, heldBpd.get(2), 1e-12);
        assertTrue(mixed < single - 0.05, "mixture " + mixed + " vs single " + single);
        // deterministic for a given thread count
        PcMixture again = PcTrainer.trainMixture(train, assign, 2, held, base, sm, p -> { });
        assertArrayEquals(mix.toBytes(), again.toBytes());
        assertThrows(IllegalArgumentException.class, () -> PcTrainer.trainMixture(train, new int[3], 2, held, base, sm, p -> { }));
    }

    /** Half the images: ink scattered over the top half; the other half: over the bottom half. */
    private static List<byte[]> twoKinds(int n, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            byte[] img = new byte[36];
            int from = j % 2 == 0 ? 0 : 18;
            for (int t = from; t < from + 18; t++) if (r.nextInt(3) > 0) img[t] = (byte) (150 + r.nextInt(106));
            out.add(img);
        }
        return out;
    }
}
