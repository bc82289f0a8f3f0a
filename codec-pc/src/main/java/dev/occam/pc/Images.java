package dev.occam.pc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pc codec can do with an input, from its first bytes ({@link #sniff}), and 8-bit image
 * reading for training ({@link #read}, {@link #patches}).
 */
public final class Images {
    /** Bytes {@link #sniff} wants to see (a PNM header with comments may need them all). */
    public static final int SNIFF_BYTES = 4096;

    /** Input kinds. */
    public enum Kind {
        /** Nothing pc recognises. */
        OTHER,
        /** A 3-D unsigned-byte IDX file. */
        IDX,
        /** A Netpbm file (P1..P7). */
        PNM,
        /** A PNG file. */
        PNG
    }

    /**
     * The result of a sniff.
     *
     * @param kind      what the first bytes look like
     * @param codable   true when pc can code it (8-bit P5/P6 or PNG of a supported type; an IDX file
     *                  whatever its size: the caller compares {@link #rows}/{@link #cols} with a model)
     * @param detail    a description ("PGM 512x512", "IDX 10000 images of 28x28") or why pc cannot code it
     * @param count     IDX image count (0 otherwise)
     * @param rows      image height (IDX, PNM, PNG)
     * @param cols      image width
     */
    public record Sniff(Kind kind, boolean codable, String detail, long count, int rows, int cols) {
        /** Bytes an IDX file of this header needs (header + count x rows x cols); 0 for other kinds. */
        public long idxLength() {
            return kind == Kind.IDX ? Idx.HEADER + count * rows * cols : 0;
        }
    }

    /** A decoded 8-bit plane (one channel), row-major. */
    public record Plane(int width, int height, byte[] pixels) {
    }

    private Images() {
    }

    /** Classifies the first {@code len} bytes of an input (pass at least {@link #SNIFF_BYTES} when available). */
    public static Sniff sniff(byte[] head, int len) {
        if (Idx.isImageHeader(head, 0, len)) {
            try {
                int[] d = Idx.header(java.util.Arrays.copyOf(head, Idx.HEADER), "input");
                return new Sniff(Kind.IDX, true, "IDX " + d[0] + " images of " + d[1] + "x" + d[2], d[0], d[1], d[2]);
            } catch (IOException e) {
                return new Sniff(Kind.IDX, false, strip(e), 0, 0, 0);
            }
        }
        if (Png.looksLike(head, 0, len)) {
            try {
                int[] ihdr = Png.header(head, 0, len, "input");
                String why = Png.unsupported(ihdr);
                if (why != null) return new Sniff(Kind.PNG, false, why, 0, ihdr[1], ihdr[0]);
                if (ihdr[0] <= 0 || ihdr[1] <= 0) return new Sniff(Kind.PNG, false, "bad PNG dimensions", 0, 0, 0);
                return new Sniff(Kind.PNG, true, "PNG " + ihdr[0] + "x" + ihdr[1] + " " + ImageBlocks.channelName(Png.channels(ihdr[3])),
                        0, ihdr[1], ihdr[0]);
            } catch (IOException e) {
                return new Sniff(Kind.PNG, false, strip(e), 0, 0, 0);
            }
        }
        if (Pnm.looksLike(head, 0, len)) {
            try {
                Pnm.Header h = Pnm.parse(head, 0, len, "input");
                return new Sniff(Kind.PNM, true, (h.magic() == 5 ? "PGM " : "PPM ") + h.width() + "x" + h.height(), 0, h.height(), h.width());
            } catch (IOException e) {
                return new Sniff(Kind.PNM, false, strip(e), 0, 0, 0);
            }
        }
        return new Sniff(Kind.OTHER, false, "not an image", 0, 0, 0);
    }

    private static String strip(IOException e) {
        String m = e.getMessage();
        return m != null && m.startsWith("input: ") ? m.substring(7) : m;
    }

    /**
     * How pc codes a whole image file (for {@code -v}): "PNG 512x512 grey: IDAT reproduced by Deflater
     * level 9, ...", or why it is stored verbatim. IOException when pc refuses it (and {@code store} is false).
     */
    public static String describe(byte[] file, boolean store, String name) throws IOException {
        ImageBlocks.Plan p = ImageBlocks.plan(file, 0, file.length, store, name);
        String how = p.mode() == PcCodec.MODE_STORED ? "stored" : "pc tiles";
        return p.kind() + ": " + how + (p.note().isEmpty() ? "" : "; " + p.note());
    }

    /** The planes of an 8-bit PGM/PPM/PNG file (RGB: 3 planes; alpha is a plane too). IOException naming the file otherwise. */
    public static List<Plane> read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        String name = file.toString();
        List<Plane> out = new ArrayList<>();
        if (Png.looksLike(b, 0, b.length)) {
            Png.Parsed p = Png.parse(b, 0, b.length, name);
            for (byte[] pl : p.planes) out.add(new Plane(p.width, p.height, pl));
            return out;
        }
        if (Pnm.looksLike(b, 0, b.length)) {
            Pnm.Header h = Pnm.parse(b, 0, b.length, name);
            if (h.headerLength() + h.pixelBytes() > b.length) throw new IOException(name + ": truncated PGM/PPM");
            for (byte[] pl : ImageBlocks.deinterleave(b, h.headerLength(), h.width(), h.height(), h.channels())) {
                out.add(new Plane(h.width(), h.height(), pl));
            }
            return out;
        }
        throw new IOException(name + ": not a PGM/PPM/PNG image");
    }

    /** Every whole {@code rows x cols} patch of a plane at the grid of step {@code stride} (row-major patches). */
    public static List<byte[]> patches(Plane p, int rows, int cols, int stride) {
        List<byte[]> out = new ArrayList<>();
        for (int y = 0; y + rows <= p.height(); y += stride) {
            for (int x = 0; x + cols <= p.width(); x += stride) {
                byte[] q = new byte[rows * cols];
                for (int r = 0; r < rows; r++) System.arraycopy(p.pixels(), (y + r) * p.width() + x, q, r * cols, cols);
                out.add(q);
            }
        }
        return out;
    }

    /**
     * -log2 P(image) in bits under {@code model} when coded as pc codes it (tiles; edge tiles by their
     * marginal), after the {@link Transform}: the model's NLL of the image, to compare with the coded size.
     */
    public static double nllBits(PcModel model, int transform, Plane plane) throws IOException {
        Plane p = new Plane(plane.width(), plane.height(), Transform.forward(transform, plane.pixels(), plane.width(), plane.height()));
        Conditionals cond = new Conditionals(model);
        int pr = model.rows;
        int pc = model.cols;
        byte[] buf = new byte[model.d];
        double bits = 0;
        for (int y = 0; y < p.height(); y += pr) {
            for (int x = 0; x < p.width(); x += pc) {
                int ph = Math.min(pr, p.height() - y);
                int pw = Math.min(pc, p.width() - x);
                byte[] mask = new byte[model.d];
                java.util.Arrays.fill(buf, (byte) 0);
                for (int r = 0; r < ph; r++) {
                    System.arraycopy(p.pixels(), (y + r) * p.width() + x, buf, r * pc, pw);
                    for (int c = 0; c < pw; c++) mask[r * pc + c] = 1;
                }
                bits += cond.nllBits(buf, 0, mask);
            }
        }
        return bits;
    }
}
