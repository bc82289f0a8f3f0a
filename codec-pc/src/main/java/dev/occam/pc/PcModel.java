package dev.occam.pc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
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
    /** leaf[(i*k + z)*256 + v] = P(X_i = v | Z_i = z). */
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
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(raw);
            o.writeShort(rows);
            o.writeShort(cols);
            o.writeShort(k);
            for (int p : parent) o.writeInt(p);
            for (double p : prior) o.writeShort(quant(p));
            for (double p : trans) o.writeShort(quant(p));
            for (double p : leaf) o.writeShort(quant(p));
            o.flush();
            byte[] payload = deflate(raw.toByteArray());
            ByteArrayOutputStream file = new ByteArrayOutputStream(payload.length + 16);
            DataOutputStream f = new DataOutputStream(file);
            f.write(MAGIC);
            f.writeShort(VERSION);
            f.writeShort(0);
            f.writeInt(payload.length);
            CRC32C crc = new CRC32C();
            crc.update(payload);
            f.writeInt((int) crc.getValue());
            f.write(payload);
            f.flush();
            return file.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
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
        if (b.length < 16 || b[0] != MAGIC[0] || b[1] != MAGIC[1] || b[2] != MAGIC[2] || b[3] != MAGIC[3]) {
            throw new IOException(name + ": not an Occam PC model file (bad magic)");
        }
        DataInputStream h = new DataInputStream(new ByteArrayInputStream(b, 4, 12));
        int version = h.readUnsignedShort();
        if (version != VERSION) {
            throw new IOException(name + ": PC model format version " + version + "; this build reads version " + VERSION);
        }
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
        byte[] payload = inflate(b, 16, len, name);
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            int rows = in.readUnsignedShort();
            int cols = in.readUnsignedShort();
            int k = in.readUnsignedShort();
            int d = rows * cols;
            if (rows == 0 || cols == 0 || k < 1 || k > MAX_K) throw new IOException(name + ": bad PC model dimensions");
            long expect = 6 + 4L * d + 2L * (k + (long) d * k * k + (long) d * k * 256);
            if (payload.length != expect) throw new IOException(name + ": PC model payload has " + payload.length + " bytes, expected " + expect);
            int[] parent = new int[d];
            int roots = 0;
            for (int i = 0; i < d; i++) {
                parent[i] = in.readInt();
                if (parent[i] < -1 || parent[i] >= d || parent[i] == i) throw new IOException(name + ": bad tree in PC model");
                if (parent[i] < 0) roots++;
            }
            if (roots != 1) throw new IOException(name + ": PC model tree has " + roots + " roots");
            double[] prior = readDist(in, 1, k);
            double[] trans = readDist(in, d * k, k);
            double[] leaf = readDist(in, d * k, 256);
            try {
                return new PcModel(rows, cols, k, parent, prior, trans, leaf);
            } catch (IllegalArgumentException e) {
                throw new IOException(name + ": bad tree in PC model: " + e.getMessage());
            }
        } catch (EOFException e) {
            throw new IOException(name + ": PC model payload truncated");
        }
    }

    private static double[] readDist(DataInputStream in, int count, int size) throws IOException {
        double[] out = new double[count * size];
        for (int c = 0; c < count; c++) {
            double s = 0;
            for (int v = 0; v < size; v++) {
                double p = StrictMath.pow(2.0, -in.readUnsignedShort() / (double) LOG_SCALE);
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(len * 3);
        byte[] buf = new byte[1 << 16];
        try {
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) throw new IOException(name + ": PC model payload truncated");
                out.write(buf, 0, n);
                if (out.size() > (1 << 30)) throw new IOException(name + ": PC model payload too large");
            }
        } catch (DataFormatException e) {
            throw new IOException(name + ": PC model payload corrupted: " + e.getMessage());
        } finally {
            inf.end();
        }
        return out.toByteArray();
    }
}
