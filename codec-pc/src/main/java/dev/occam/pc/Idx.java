package dev.occam.pc;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * IDX files of unsigned-byte images (MNIST format): magic {@code 00 00 08 03}, then three big-endian
 * u32 dimensions (count, rows, cols), then the pixels. A {@code .gz} file is read through gzip.
 */
public final class Idx {
    /** Header bytes of a 3-dimensional unsigned-byte IDX file. */
    public static final int HEADER = 16;

    /** Images of one IDX file. */
    public record Images(int rows, int cols, List<byte[]> images) {
    }

    private Idx() {
    }

    /** Reads an IDX image file (gzip-compressed when the name ends in .gz); clear IOException when malformed or truncated. */
    public static Images read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
            return read(in, file.toString());
        }
    }

    /** Reads an IDX image stream; {@code name} is used in error messages. */
    public static Images read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] h = new byte[HEADER];
        try {
            in.readFully(h);
        } catch (EOFException e) {
            throw new IOException(name + ": truncated IDX header");
        }
        int[] dims = header(h, name);
        int n = dims[0];
        int d = dims[1] * dims[2];
        List<byte[]> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] img = new byte[d];
            try {
                in.readFully(img);
            } catch (EOFException e) {
                throw new IOException(name + ": truncated IDX file: image " + i + " of " + n + " is incomplete (offset " + (HEADER + (long) i * d) + ")");
            }
            images.add(img);
        }
        return new Images(dims[1], dims[2], images);
    }

    /**
     * Reads an IDX label file (magic {@code 00 00 08 01}, u32 count, one byte per item; gzip when
     * .gz) that must hold {@code expected} labels (checked before anything is allocated).
     */
    public static int[] readLabels(Path file, int expected, String imagesName) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in0 = new BufferedInputStream(raw, 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) in0 = new GZIPInputStream(in0, 1 << 16);
            DataInputStream in = new DataInputStream(in0);
            byte[] h = new byte[8];
            try {
                in.readFully(h);
            } catch (EOFException e) {
                throw new IOException(file + ": truncated IDX header");
            }
            if (h[0] != 0 || h[1] != 0 || h[2] != 0x08 || h[3] != 1) {
                throw new IOException(file + ": not an IDX label file (magic 00 00 08 01: unsigned bytes, one dimension)");
            }
            int n = u32(h, 4);
            if (n != expected) throw new IOException(file + ": " + Integer.toUnsignedString(n) + " labels for " + expected + " images in " + imagesName);
            byte[] b = new byte[n];
            try {
                in.readFully(b);
            } catch (EOFException e) {
                throw new IOException(file + ": truncated IDX label file (header says " + n + " labels)");
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = b[i] & 0xFF;
            return out;
        }
    }

    /** Parses a 16-byte header into {count, rows, cols}; IOException unless it is a 3-D unsigned-byte IDX header. */
    public static int[] header(byte[] h, String name) throws IOException {
        if (h[0] != 0 || h[1] != 0) throw new IOException(name + ": not an IDX file (bad magic)");
        if (h[2] != 0x08) throw new IOException(name + ": IDX data type 0x" + Integer.toHexString(h[2] & 0xFF) + " is not unsigned 8-bit");
        if (h[3] != 3) throw new IOException(name + ": IDX file has " + h[3] + " dimensions; images need 3 (count, rows, cols)");
        int n = u32(h, 4);
        int rows = u32(h, 8);
        int cols = u32(h, 12);
        if (n < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > (1 << 24)) throw new IOException(name + ": bad IDX dimensions " + n + "x" + rows + "x" + cols);
        return new int[] {n, rows, cols};
    }

    /** "truncated IDX: header says N images of RxC but the file holds M bytes" for {count, rows, cols}. */
    public static String truncatedMessage(int[] dims, long bytes) {
        return "truncated IDX: header says " + dims[0] + " images of " + dims[1] + "x" + dims[2] + " but the file holds " + bytes
                + " bytes (" + (HEADER + (long) dims[0] * dims[1] * dims[2]) + " needed)";
    }

    /** True when {@code b[off..]} starts with the magic of a 3-D unsigned-byte IDX file. */
    public static boolean isImageHeader(byte[] b, int off, int len) {
        return len >= HEADER && b[off] == 0 && b[off + 1] == 0 && b[off + 2] == 0x08 && b[off + 3] == 3;
    }

    /** Big-endian u32 (as int; values above 2^31 read negative). */
    static int u32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
