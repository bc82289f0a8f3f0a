package dev.occam.pc;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measurement tool (not used by the codec):
 * {@code java -cp occam.jar dev.occam.pc.Evaluate bpd MODEL|- IDX} prints the model's theoretical
 * bits per dimension on the images and the single-thread encode/decode time per image of the bare
 * pixel coder; {@code ... scaling IDX [k]} trains a quick model on nearest-neighbour resizes
 * (14x14, 28x28, 56x56) and prints the cost per image of all D conditionals against one full
 * likelihood pass (the naive scheme would cost D of them); {@code ... images MODEL|- FILE...} prints
 * the theoretical bits per dimension of each PGM/PPM/PNG under a patch model (tiles, MED transform,
 * as the codec codes them); {@code ... pgm IN OUT} writes the pixels of an 8-bit grey PNG/PGM as a PGM.
 */
public final class Evaluate {
    private Evaluate() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("bpd")) {
            PcMixture m = args[1].equals("-") ? PcCodec.model(dev.occam.core.codec.CodecOptions.defaults()).model() : PcMixture.load(Path.of(args[1]));
            List<byte[]> imgs = Idx.read(Path.of(args[2])).images();
            double bpd = PcTrainer.bitsPerDim(m, imgs, 2);
            System.out.printf(Locale.ROOT, "theoretical %.5f bpd over %d images (k=%d, %d component%s)%n", bpd, imgs.size(), m.latentStates(),
                    m.components(), m.components() == 1 ? "" : "s");
            double[] t = time(m, imgs.subList(0, Math.min(2000, imgs.size())));
            System.out.printf(Locale.ROOT, "bare coder, 1 thread: encode %.3f ms/image, decode %.3f ms/image, coded %.5f bpd%n", t[0], t[1], t[2]);
        } else if (args.length >= 3 && args[0].equals("images")) {
            PcModel m = args[1].equals("-") ? PcCodec.builtin(PcCodec.DEFAULT_PATCH_MODEL).single() : PcModel.load(Path.of(args[1]));
            for (int a = 2; a < args.length; a++) {
                List<Images.Plane> planes = Images.read(Path.of(args[a]));
                double bits = 0;
                long dims = 0;
                for (Images.Plane p : planes) {
                    bits += Images.nllBits(m, Transform.MED, p);
                    dims += (long) p.width() * p.height();
                }
                byte[] file = java.nio.file.Files.readAllBytes(Path.of(args[a]));
                String timing = "";
                if (ImageBlocks.plan(file, 0, file.length, false, args[a]).mode() != PcCodec.MODE_STORED) {
                    double[] ms = new double[4];
                    double[] cpu = new double[2];
                    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                    byte[] coded = null;
                    for (int rep = 0; rep < 3; rep++) { // the first round warms the JIT up; the last two are timed
                        for (int th = 1; th <= 2; th++) {
                            long c0 = mx.getCurrentThreadCpuTime();
                            long t0 = System.nanoTime();
                            coded = ImageBlocks.encode(m, th, Transform.MED, file, 0, file.length, false);
                            long t1 = System.nanoTime();
                            long c1 = mx.getCurrentThreadCpuTime();
                            byte[] back = new byte[file.length];
                            ImageBlocks.decode(m, th, coded, 0, coded.length, back, 0, back.length);
                            long t2 = System.nanoTime();
                            long c2 = mx.getCurrentThreadCpuTime();
                            if (rep > 0 && th == 1) {
                                cpu[0] += (c1 - c0) / 2e6;
                                cpu[1] += (c2 - c1) / 2e6;
                            }
                            if (!java.util.Arrays.equals(back, file)) throw new IOException(args[a] + ": round trip failed");
                            if (rep > 0) {
                                ms[(th - 1) * 2] += (t1 - t0) / 2e6;
                                ms[(th - 1) * 2 + 1] += (t2 - t1) / 2e6;
                            }
                        }
                    }
                    double mb = dims / 1e6;
                    timing = String.format(Locale.ROOT, ", block %d bytes (%.4f bpd); 1 thread CPU time: encode %.0f ms (%.3f MB/s), decode %.0f ms"
                            + " (%.3f MB/s); wall, 1 thread: encode %.0f ms (%.2f MB/s), decode %.0f ms (%.2f MB/s);"
                            + " 2 threads: encode %.0f ms (%.2f MB/s), decode %.0f ms (%.2f MB/s)", coded.length, coded.length * 8.0 / dims,
                            cpu[0], mb / cpu[0] * 1e3, cpu[1], mb / cpu[1] * 1e3, ms[0], mb / ms[0] * 1e3, ms[1], mb / ms[1] * 1e3, ms[2], mb / ms[2] * 1e3, ms[3], mb / ms[3] * 1e3);
                }
                System.out.printf(Locale.ROOT, "%s %dx%dx%d theoretical %.4f bpd%s%n", args[a], planes.get(0).width(), planes.get(0).height(),
                        planes.size(), bits / dims, timing);
            }
        } else if (args.length == 3 && args[0].equals("pgm")) {
            List<Images.Plane> planes = Images.read(Path.of(args[1]));
            if (planes.size() != 1) throw new IOException(args[1] + ": not a grey image");
            Images.Plane p = planes.get(0);
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(("P5\n" + p.width() + " " + p.height() + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            o.writeBytes(p.pixels());
            java.nio.file.Files.write(Path.of(args[2]), o.toByteArray());
        } else if (args.length >= 2 && args[0].equals("scaling")) {
            int k = args.length > 2 ? Integer.parseInt(args[2]) : 16;
            List<byte[]> base = Idx.read(Path.of(args[1])).images().subList(0, 3000);
            System.out.println("| side | D | ms/image, all D conditionals | ms/image, one likelihood pass | ratio (naive = D) |");
            System.out.println("|---|---|---|---|---|");
            for (int side : new int[] {14, 28, 56}) {
                List<byte[]> imgs = new ArrayList<>();
                for (byte[] b : base) imgs.add(resize(b, 28, side));
                PcModel m = PcTrainer.train(imgs.subList(0, 2000), List.of(), side, side,
                        new PcTrainer.Settings(k, 1, 0, 500, 0.5, 0.01, 0.01, 2, 1), p -> { }).quantised();
                List<byte[]> test = imgs.subList(2000, 3000);
                double enc = time(m, test)[0];
                double pass = timePass(m, test);
                System.out.printf(Locale.ROOT, "| %dx%d | %d | %.3f | %.3f | %.2f |%n", side, side, side * side, enc, pass, enc / pass);
            }
        } else {
            System.err.println("usage: Evaluate bpd MODEL|- IDX | Evaluate scaling IDX [k] | Evaluate images MODEL|- FILE... | Evaluate pgm IN OUT");
            System.exit(2);
        }
    }

    static byte[] resize(byte[] img, int from, int to) {
        byte[] out = new byte[to * to];
        for (int i = 0; i < to; i++) for (int j = 0; j < to; j++) out[i * to + j] = img[(i * from / to) * from + j * from / to];
        return out;
    }

    /** {ms/image encode, ms/image decode, coded bpd} on one thread (after a warm-up pass). */
    static double[] time(PcModel m, List<byte[]> imgs) throws IOException {
        return time(PcMixture.of(m), imgs);
    }

    /** {ms/image encode, ms/image decode, coded bpd} on one thread (after a warm-up pass). */
    static double[] time(PcMixture mix, List<byte[]> imgs) throws IOException {
        PixelCoder c = PixelCoder.of(mix);
        int dd = mix.rows() * mix.cols();
        byte[] all = new byte[imgs.size() * dd];
        for (int j = 0; j < imgs.size(); j++) System.arraycopy(imgs.get(j), 0, all, j * dd, dd);
        byte[] coded = null;
        long encNs = 0;
        for (int rep = 0; rep < 2; rep++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RangeEncoder enc = new RangeEncoder(out);
            long t0 = System.nanoTime();
            c.encodeImages(all, 0, imgs.size(), enc);
            enc.finish();
            encNs = System.nanoTime() - t0;
            coded = out.toByteArray();
        }
        long decNs = 0;
        byte[] y = new byte[all.length];
        for (int rep = 0; rep < 2; rep++) {
            RangeDecoder dec = new RangeDecoder(coded, 0, coded.length);
            long t0 = System.nanoTime();
            c.decodeImages(y, 0, imgs.size(), dec);
            decNs = System.nanoTime() - t0;
            if (!java.util.Arrays.equals(y, all)) throw new IllegalStateException("decode mismatch");
        }
        return new double[] {encNs / 1e6 / imgs.size(), decNs / 1e6 / imgs.size(), coded.length * 8.0 / ((double) dd * imgs.size())};
    }

    /** ms per image of one full upward likelihood pass (what the naive scheme repeats D times). */
    static double timePass(PcModel m, List<byte[]> imgs) {
        double[] below = new double[m.d * m.k];
        long ns = 0;
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            for (byte[] img : imgs) Upward.logLik(m, img, below);
            ns = System.nanoTime() - t0;
        }
        return ns / 1e6 / imgs.size();
    }

    /** The upward pass alone. */
    static final class Upward {
        private Upward() {
        }

        /** ln P(x) by one bottom-up pass with per-node renormalisation. */
        static double logLik(PcModel m, byte[] x, double[] below) {
            int k = m.k;
            int d = m.d;
            for (int i = 0; i < d; i++) {
                int row = i * k * 256 + (x[i] & 0xFF);
                for (int z = 0; z < k; z++) below[i * k + z] = m.leaf(row + z * 256);
            }
            double logZ = 0;
            for (int t = d - 1; t >= 1; t--) {
                int c = m.order[t];
                int p = m.parent[c];
                double s = 0;
                for (int z = 0; z < k; z++) s += below[c * k + z];
                logZ += Math.log(s);
                for (int zp = 0; zp < k; zp++) {
                    double acc = 0;
                    for (int zc = 0; zc < k; zc++) acc += m.trans[(c * k + zp) * k + zc] * below[c * k + zc];
                    below[p * k + zp] *= acc / s;
                }
            }
            double lik = 0;
            for (int z = 0; z < k; z++) lik += m.prior[z] * below[m.root * k + z];
            return logZ + Math.log(lik);
        }
    }
}
