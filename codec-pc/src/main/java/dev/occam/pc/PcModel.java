package dev.occam.pc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A Hidden Chow-Liu Tree probabilistic circuit over {@code rows x cols} 8-bit pixels: one latent
 * {@code Z_i} with {@code k} states per pixel, the latents linked by a tree (the Chow-Liu tree of the
 * pixels), and a categorical leaf {@code P(X_i | Z_i)} over the 256 values:
 * {@code P(x) = sum_z P(z_root) prod_{i != root} P(z_i | z_parent(i)) prod_i P(x_i | z_i)}.
 *
 * <p>File format ({@code .pcm}, version {@value #VERSION}): {@code "OPCM"}, u16 version, u16 flags
 * (0), u32 payload length, u32 CRC32C of the payload, then the payload, raw DEFLATE of: u16 rows,
 * u16 cols, u16 k, i32 parent per pixel (-1 for the root), then every probability as a u16
 * {@code q = round(-log2(p) * 1024)} (clamped to 65535): the prior (k), the transitions (per pixel,
 * k x k, row = parent state; the root's row block is stored but unused) and the leaves (per pixel,
 * per state, 256 values). Loading turns q back into {@code 2^(-q/1024)} with {@link StrictMath} and
 * renormalises every distribution, so the in-memory model is a deterministic function of the file.
 */
public final class PcModel {
    /** Current file format version. */
    public static final int VERSION = 1;
    static final byte[] MAGIC = {'O', 'P', 'C', 'M'};
    static final int LOG_SCALE = 1024;
    static final int MAX_K = 256;
    /** Most pixels a model may have (as for IDX images). */
    static final int MAX_PIXELS = 1 << 24;
    /** Largest inflated payload a model file may have (1 GiB). */
    static final long MAX_PAYLOAD = 1L << 30;

    /** Bytes of one component's parameters in the payload: prior, transitions and leaves as u16. */
    static long parameterBytes(long d, long k) {
        return 2 * (k + d * k * k + d * k * 256);
    }

    final int rows;
    final int cols;
    final int d;
    final int k;
    final int root;
    final int[] parent;
    /** Pixels in DFS preorder from the root; children in increasing pixel index. */
    final int[] order;
    final double[] prior;
    /** trans[(i*k + zp)*k + zc] = P(Z_i = zc | Z_parent(i) = zp). */
    final double[] trans;
    /**
     * leaf[(i*k + z)*256 + v] = P(X_i = v | Z_i = z); null in a model loaded for coding only, which
     * keeps the leaves as floats (what the coder uses): a 10-component MNIST mixture then needs 150
     * MB of heap instead of 400.
     */
    final double[] leaf;

    private volatile float[] leafFloat;

    /** The leaves as floats (for the coder's mixture), computed once. */
    float[] leafFloat() {
        float[] f = leafFloat;
        if (f == null) {
            f = new float[leaf.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) leaf[i];
            leafFloat = f;
        }
        return f;
    }

    /** leaf[idx], or its float value in a model loaded for coding only. */
    double leaf(int idx) {
        return leaf != null ? leaf[idx] : leafFloat[idx];
    }

    /** A model loaded for coding only: float leaves, no double copy (see {@link #leaf}). */
    private PcModel(int rows, int cols, int k, int[] parent, double[] prior, double[] trans, float[] leafF) {
        this(rows, cols, k, parent, prior, trans, (double[]) null);
        this.leafFloat = leafF;
    }

    PcModel(int rows, int cols, int k, int[] parent, double[] prior, double[] trans, double[] leaf) {
        this.rows = rows;
        this.cols = cols;
        this.d = rows * cols;
        this.k = k;
        this.parent = parent;
        this.prior = prior;
        this.trans = trans;
        this.leaf = leaf;
        int r = -1;
        for (int i = 0; i < d; i++) if (parent[i] < 0) r = i;
        this.root = r;
        this.order = preorder(parent, r);
    }

    /** Image height in pixels. */
    public int rows() {
        return rows;
    }

    /** Image width in pixels. */
    public int cols() {
        return cols;
    }

    /** Latent states per pixel. */
    public int latentStates() {
        return k;
    }

    /** Pixels in DFS preorder of the tree rooted at {@code root}; throws if parent is not a tree. */
    static int[] preorder(int[] parent, int root) {
        int d = parent.length;
        if (root < 0) throw new IllegalArgumentException("no root");
        int[] childCount = new int[d + 1];
        for (int i = 0; i < d; i++) if (parent[i] >= 0) childCount[parent[i] + 1]++;
        for (int i = 0; i < d; i++) childCount[i + 1] += childCount[i];
        int[] children = new int[d];
        int[] fill = childCount.clone();
        for (int i = 0; i < d; i++) if (parent[i] >= 0) children[fill[parent[i]]++] = i;
        int[] order = new int[d];
        int[] stack = new int[d];
        int sp = 0;
        int n = 0;
        stack[sp++] = root;
        while (sp > 0) {
            int i = stack[--sp];
            if (n == d) throw new IllegalArgumentException("parent array has a cycle");
            order[n++] = i;
            for (int c = childCount[i + 1] - 1; c >= childCount[i]; c--) stack[sp++] = children[c];
        }
        if (n != d) throw new IllegalArgumentException("parent array is not one tree (" + n + " of " + d + " reachable)");
        return order;
    }

    /** Writes the model in the {@code .pcm} format. */
    public byte[] toBytes() {
        try {
            return frame(VERSION, rawPayload());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The version 1 payload before deflating. */
    byte[] rawPayload() {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(raw);
            o.writeShort(rows);
            o.writeShort(cols);
            o.writeShort(k);
            for (int p : parent) o.writeInt(p);
            writeParameters(o);
            o.flush();
            return raw.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** prior, transitions and leaves as quantised u16 (see the class comment). */
    void writeParameters(DataOutputStream o) throws IOException {
        if (leaf == null) throw new IllegalStateException("a PC model loaded for coding only cannot be saved");
        for (double p : prior) o.writeShort(quant(p));
        for (double p : trans) o.writeShort(quant(p));
        for (double p : leaf) o.writeShort(quant(p));
    }

    /** The file around a raw payload: magic, version, flags 0, length and CRC32C of the deflated payload. */
    static byte[] frame(int version, byte[] raw) throws IOException {
        return frame(version, raw, true);
    }

    /** The file around a payload, deflated first or not (version 3 codes its own). */
    static byte[] frame(int version, byte[] raw, boolean deflate) throws IOException {
        byte[] payload = deflate ? deflate(raw) : raw;
        ByteArrayOutputStream file = new ByteArrayOutputStream(payload.length + 16);
        DataOutputStream f = new DataOutputStream(file);
        f.write(MAGIC);
        f.writeShort(version);
        f.writeShort(0);
        f.writeInt(payload.length);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        f.writeInt((int) crc.getValue());
        f.write(payload);
        f.flush();
        return file.toByteArray();
    }

    /** Saves to {@code path} (see {@link #toBytes()}). */
    public void save(Path path) throws IOException {
        Files.write(path, toBytes());
    }

    /** Loads a model file; clear IOException for another version, a bad checksum or a truncated file. */
    public static PcModel load(Path path) throws IOException {
        return fromBytes(Files.readAllBytes(path), path.toString());
    }

    /** Loads a model from a stream (read fully). */
    public static PcModel load(InputStream in, String name) throws IOException {
        return fromBytes(in.readAllBytes(), name);
    }

    /** Parses {@code .pcm} bytes; {@code name} is used in error messages. */
    public static PcModel fromBytes(byte[] b, String name) throws IOException {
        return fromBytes(b, name, false);
    }

    /** As {@link #fromBytes(byte[], String)}; {@code coding}: leaves as floats only (see {@link #leaf}). */
    static PcModel fromBytes(byte[] b, String name, boolean coding) throws IOException {
        int version = version(b, name);
        if (version == PcMixture.VERSION) {
            throw new IOException(name + ": a mixture of PC models (format version " + version + "); this needs a single model");
        }
        if (version == CompactFormat.VERSION) {
            PcMixture m = PcMixture.fromBytes(b, name, coding);
            if (m.components() != 1) throw new IOException(name + ": a mixture of " + m.components() + " PC models; this needs a single model");
            return m.component(0);
        }
        if (version != VERSION) throw unknownVersion(name, version);
        try {
            ByteBuffer in = ByteBuffer.wrap(unframe(b, name));
            int rows = in.getShort() & 0xFFFF;
            int cols = in.getShort() & 0xFFFF;
            int k = in.getShort() & 0xFFFF;
            if (rows == 0 || cols == 0 || (long) rows * cols > MAX_PIXELS || k < 1 || k > MAX_K) {
                throw new IOException(name + ": bad PC model dimensions " + rows + "x" + cols + ", k = " + k);
            }
            int d = rows * cols;
            int[] parent = readTree(in, d, name);
            PcModel m = readParameters(in, rows, cols, k, parent, name, coding);
            if (in.hasRemaining()) throw new IOException(name + ": PC model payload has " + in.remaining() + " bytes too many");
            return m;
        } catch (BufferUnderflowException e) {
            throw new IOException(name + ": PC model payload truncated");
        }
    }

    /** The error for a file of a format version this build does not read. */
    static IOException unknownVersion(String name, int version) {
        return new IOException(name + ": PC model format version " + version + "; this build reads versions " + VERSION + " to "
                + CompactFormat.VERSION);
    }

    /** The format version of {@code .pcm} bytes (checks the magic). */
    static int version(byte[] b, String name) throws IOException {
        if (b.length < 16 || b[0] != MAGIC[0] || b[1] != MAGIC[1] || b[2] != MAGIC[2] || b[3] != MAGIC[3]) {
            throw new IOException(name + ": not an Occam PC model file (bad magic)");
        }
        return ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
    }

    /** The inflated payload after checking flags, length and CRC. */
    static byte[] unframe(byte[] b, String name) throws IOException {
        checkedPayload(b, name);
        return inflate(b, 16, b.length - 16, name);
    }

    /** The payload as stored (not inflated) after checking flags, length and CRC. */
    static byte[] checkedPayload(byte[] b, String name) throws IOException {
        DataInputStream h = new DataInputStream(new ByteArrayInputStream(b, 6, 10));
        int flags = h.readUnsignedShort();
        if (flags != 0) throw new IOException(name + ": unknown PC model flags " + flags);
        int len = h.readInt();
        int crcStored = h.readInt();
        if (len < 0 || len != b.length - 16) {
            throw new IOException(name + ": PC model file truncated or padded (payload " + (b.length - 16) + " bytes, header says " + len + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 16, len);
        if ((int) crc.getValue() != crcStored) throw new IOException(name + ": PC model file corrupted (CRC32C mismatch)");
        return Arrays.copyOfRange(b, 16, b.length);
    }

    static int[] readTree(ByteBuffer in, int d, String name) throws IOException {
        if (in.remaining() < 4L * d) throw new IOException(name + ": PC model payload truncated");
        int[] parent = new int[d];
        int roots = 0;
        for (int i = 0; i < d; i++) {
            parent[i] = in.getInt();
            if (parent[i] < -1 || parent[i] >= d || parent[i] == i) throw new IOException(name + ": bad tree in PC model");
            if (parent[i] < 0) roots++;
        }
        if (roots != 1) throw new IOException(name + ": PC model tree has " + roots + " roots");
        return parent;
    }

    static PcModel readParameters(ByteBuffer in, int rows, int cols, int k, int[] parent, String name, boolean coding) throws IOException {
        int d = rows * cols;
        long need = parameterBytes(d, k);
        if (in.remaining() < need) throw new IOException(name + ": PC model payload truncated");
        double[] prior = readDist(in, 1, k);
        double[] trans = readDist(in, d * k, k);
        try {
            if (coding) {
                // the same doubles as readDist, rounded to float one distribution at a time
                float[] leafF = new float[d * k * 256];
                double[] row = new double[256];
                for (int g = 0; g < d * k; g++) {
                    double sum = 0;
                    for (int v = 0; v < 256; v++) sum += row[v] = POW[in.getShort() & 0xFFFF];
                    for (int v = 0; v < 256; v++) leafF[g * 256 + v] = (float) (row[v] / sum);
                }
                return new PcModel(rows, cols, k, parent, prior, trans, leafF);
            }
            return new PcModel(rows, cols, k, parent, prior, trans, readDist(in, d * k, 256));
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": bad tree in PC model: " + e.getMessage());
        }
    }

    /** POW[q] = 2^(-q/1024) by StrictMath: the same bits on every JVM, computed once (a mixture file has tens of millions of q). */
    private static final double[] POW = new double[65536];

    static {
        for (int q = 0; q < POW.length; q++) POW[q] = StrictMath.pow(2.0, -q / (double) LOG_SCALE);
    }

    static double[] readDist(ByteBuffer in, int count, int size) {
        double[] out = new double[count * size];
        for (int c = 0; c < count; c++) {
            double s = 0;
            for (int v = 0; v < size; v++) {
                double p = POW[in.getShort() & 0xFFFF];
                out[c * size + v] = p;
                s += p;
            }
            for (int v = 0; v < size; v++) out[c * size + v] /= s;
        }
        return out;
    }

    /** q = round(-log2(p) * 1024), clamped to [0, 65535]. */
    static int quant(double p) {
        if (!(p > 0)) return 65535;
        double q = Math.rint(-StrictMath.log(p) / StrictMath.log(2.0) * LOG_SCALE);
        return (int) Math.max(0, Math.min(65535, q));
    }

    /** The model after a save/load round trip (what a codec using the saved file computes with). */
    PcModel quantised() {
        try {
            return fromBytes(toBytes(), "model");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] deflate(byte[] raw) {
        Deflater def = new Deflater(9, true);
        def.setInput(raw);
        def.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
        byte[] buf = new byte[1 << 16];
        while (!def.finished()) out.write(buf, 0, def.deflate(buf));
        def.end();
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] b, int off, int len, String name) throws IOException {
        Inflater inf = new Inflater(true);
        inf.setInput(b, off, len);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(3L * len, MAX_PAYLOAD));
        byte[] buf = new byte[1 << 16];
        try {
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) throw new IOException(name + ": PC model payload truncated");
                out.write(buf, 0, n);
                if (out.size() > MAX_PAYLOAD) throw new IOException(name + ": PC model payload too large");
            }
        } catch (DataFormatException e) {
            throw new IOException(name + ": PC model payload corrupted: " + e.getMessage());
        } finally {
            inf.end();
        }
        return out.toByteArray();
    }
}
