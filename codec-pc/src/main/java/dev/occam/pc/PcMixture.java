package dev.occam.pc;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A mixture of Hidden Chow-Liu Tree PCs over the same pixels and the same tree: a sum node with
 * weights {@code w_c} over {@code C} HCLTs, {@code P(x) = sum_c w_c P_c(x)} — still a smooth,
 * decomposable circuit, so every marginal stays tractable. The sum node is a global latent
 * variable (on MNIST: roughly which digit and which style) that a single HCLT can only pass along
 * its tree through k states per pixel. One component is a plain {@link PcModel}.
 *
 * <p>File format: a one-component mixture is written as a plain model (version {@value
 * PcModel#VERSION}); more components use version {@value #VERSION}: the same header (magic, version,
 * flags, length, CRC32C) around a raw-DEFLATE payload of u16 rows, u16 cols, u16 k, u16 C, i32 parent
 * per pixel, the C weights as quantised u16, then each component's prior, transitions and leaves as
 * in version 1. Weights are renormalised on load, like every distribution.
 */
public final class PcMixture {
    /** File format version of a mixture of two or more components. */
    public static final int VERSION = 2;
    /** Most components a file may hold. */
    public static final int MAX_COMPONENTS = 1024;

    final PcModel[] parts;
    final double[] weights;

    PcMixture(PcModel[] parts, double[] weights) {
        if (parts.length == 0 || parts.length != weights.length) throw new IllegalArgumentException("components and weights differ");
        for (PcModel p : parts) {
            if (p.rows != parts[0].rows || p.cols != parts[0].cols || p.k != parts[0].k
                    || !java.util.Arrays.equals(p.parent, parts[0].parent)) {
                throw new IllegalArgumentException("mixture components must share size, k and tree");
            }
        }
        this.parts = parts;
        this.weights = weights;
    }

    /** A one-component mixture. */
    public static PcMixture of(PcModel m) {
        return new PcMixture(new PcModel[] {m}, new double[] {1.0});
    }

    /** Bytes of the inflated payload of a mixture file (version 2) of these dimensions. */
    static long payloadBytes(long d, long k, long c) {
        return 8 + 4 * d + 2 * c + c * PcModel.parameterBytes(d, k);
    }

    /** True when a file of a mixture of these dimensions can be written and read back (payload at most 1 GiB). */
    public static boolean fits(int rows, int cols, int k, int c) {
        return payloadBytes((long) rows * cols, k, c) <= PcModel.MAX_PAYLOAD;
    }

    /** Number of components (1 = a plain HCLT). */
    public int components() {
        return parts.length;
    }

    /** Component {@code c}. */
    public PcModel component(int c) {
        return parts[c];
    }

    /** Image height in pixels. */
    public int rows() {
        return parts[0].rows;
    }

    /** Image width in pixels. */
    public int cols() {
        return parts[0].cols;
    }

    /** Latent states per pixel in each component. */
    public int latentStates() {
        return parts[0].k;
    }

    /** Loads a {@code .pcm} file of either version. */
    public static PcMixture load(Path path) throws IOException {
        return fromBytes(Files.readAllBytes(path), path.toString());
    }

    /** Loads from a stream (read fully). */
    public static PcMixture load(InputStream in, String name) throws IOException {
        return fromBytes(in.readAllBytes(), name);
    }

    /** Parses {@code .pcm} bytes of version 1 (one component), 2 or 3 (compact). */
    public static PcMixture fromBytes(byte[] b, String name) throws IOException {
        return fromBytes(b, name, false);
    }

    /** For the codec: the leaves are kept as floats only (what the coder uses; 40% of the memory). */
    static PcMixture forCoding(byte[] b, String name) throws IOException {
        return fromBytes(b, name, true);
    }

    static PcMixture fromBytes(byte[] b, String name, boolean coding) throws IOException {
        int version = PcModel.version(b, name);
        if (version == PcModel.VERSION) return of(PcModel.fromBytes(b, name, coding));
        if (version == CompactFormat.VERSION) return fromCompact(CompactFormat.read(b, name), name, coding);
        if (version != VERSION) throw PcModel.unknownVersion(name, version);
        try {
            ByteBuffer in = ByteBuffer.wrap(PcModel.unframe(b, name));
            int rows = in.getShort() & 0xFFFF;
            int cols = in.getShort() & 0xFFFF;
            int k = in.getShort() & 0xFFFF;
            int c = in.getShort() & 0xFFFF;
            if (rows == 0 || cols == 0 || (long) rows * cols > PcModel.MAX_PIXELS || k < 1 || k > PcModel.MAX_K || c < 2 || c > MAX_COMPONENTS) {
                throw new IOException(name + ": bad PC mixture dimensions " + rows + "x" + cols + ", k = " + k + ", " + c + " components");
            }
            int d = rows * cols;
            int[] parent = PcModel.readTree(in, d, name);
            if (in.remaining() < 2L * c) throw new IOException(name + ": PC model payload truncated");
            double[] weights = PcModel.readDist(in, 1, c);
            PcModel[] parts = new PcModel[c];
            for (int j = 0; j < c; j++) parts[j] = PcModel.readParameters(in, rows, cols, k, parent, name, coding);
            if (in.hasRemaining()) throw new IOException(name + ": PC model payload has " + in.remaining() + " bytes too many");
            return new PcMixture(parts, weights);
        } catch (BufferUnderflowException e) {
            throw new IOException(name + ": PC model payload truncated");
        }
    }

    private static PcMixture fromCompact(CompactFormat.Raw r, String name, boolean coding) throws IOException {
        int c = r.components();
        double[] weights = new double[c];
        if (c > 1) {
            ByteBuffer w = ByteBuffer.allocate(2 * c);
            for (int q : r.weightQ()) w.putShort((short) q);
            weights = PcModel.readDist(w.flip(), 1, c);
        } else {
            weights[0] = 1.0;
        }
        PcModel[] parts = new PcModel[c];
        for (int j = 0; j < c; j++) {
            parts[j] = PcModel.readParameters(CompactFormat.asStored(r.params()[j]), r.rows(), r.cols(), r.k(), r.parent(), name, coding);
            r.params()[j] = null; // let the q values go as soon as they are read
        }
        return new PcMixture(parts, weights);
    }

    /** The {@code .pcm} bytes in the compact format (version 3, see {@link CompactFormat}): about 4x smaller, parameters on a coarser grid. */
    public byte[] toCompactBytes() {
        try {
            int version = parts.length == 1 ? PcModel.VERSION : VERSION;
            return CompactFormat.write(CompactFormat.parse(version, rawPayload(), "model"), CompactFormat.STEP0, CompactFormat.MAX_STEP);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A version 1 or 2 {@code .pcm} file rewritten in the compact format, q by q (a version 3 file is returned as is). */
    public static byte[] compact(byte[] file, String name) throws IOException {
        return CompactFormat.compact(file, name);
    }

    /** The {@code .pcm} bytes (version 1 for one component). */
    public byte[] toBytes() {
        try {
            return PcModel.frame(parts.length == 1 ? PcModel.VERSION : VERSION, rawPayload());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The version 1 (one component) or 2 payload before deflating. */
    private byte[] rawPayload() {
        if (parts.length == 1) return parts[0].rawPayload();
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(raw);
            PcModel m = parts[0];
            o.writeShort(m.rows);
            o.writeShort(m.cols);
            o.writeShort(m.k);
            o.writeShort(parts.length);
            for (int p : m.parent) o.writeInt(p);
            for (double w : weights) o.writeShort(PcModel.quant(w));
            for (PcModel p : parts) p.writeParameters(o);
            o.flush();
            return raw.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The mixture after a save/load round trip. */
    PcMixture quantised() {
        try {
            return fromBytes(toBytes(), "model");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** ln P(x) of one image: log-sum-exp of the components' exact likelihoods plus log weights. */
    double logLik(byte[] x, double[] scratch) {
        double mx = Double.NEGATIVE_INFINITY;
        double[] ll = new double[parts.length];
        for (int c = 0; c < parts.length; c++) {
            ll[c] = Math.log(weights[c]) + Evaluate.Upward.logLik(parts[c], x, scratch);
            mx = Math.max(mx, ll[c]);
        }
        double s = 0;
        for (double v : ll) s += Math.exp(v - mx);
        return mx + Math.log(s);
    }
}
