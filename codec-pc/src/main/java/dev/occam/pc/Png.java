package dev.occam.pc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * PNG reading and exact re-writing for the pc codec: chunks with their CRC-32, the zlib stream of the
 * IDAT chunks (inflated with {@link Inflater}), the five scanline filters. Supported: 8-bit grey,
 * grey+alpha, RGB and RGBA, not interlaced. To give back the same bytes the codec keeps the chunks
 * before the first and after the last IDAT verbatim, the filter type of every row, the IDAT chunk
 * sizes, the 2-byte zlib header, and the {@link Deflater} level and strategy that reproduce the deflate
 * body exactly ({@link #findDeflater}); when none does, the codec falls back (see PcCodec).
 */
final class Png {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Largest image accepted: this many bytes of filtered scanlines (64 MiB). */
    static final long MAX_RAW = 64L << 20;
    /** Deflater strategies tried, in this order. */
    static final int[] STRATEGIES = {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY};

    /** A parsed PNG (the parts the codec stores) and its pixels. */
    static final class Parsed {
        int width;
        int height;
        int channels;
        /** Bytes before the first IDAT chunk (signature, IHDR, ...), verbatim. */
        int prefixEnd;
        /** Start of the bytes after the last IDAT chunk (IEND, ...), verbatim to the end. */
        int suffixStart;
        int[] idatSizes;
        /** The zlib stream (IDAT data concatenated). */
        byte[] zlib;
        /** Filtered scanlines as inflated: height x (1 + width x channels). */
        byte[] raw;
        /** Filter type per row. */
        byte[] filters;
        /** planes[c][y * width + x]. */
        byte[][] planes;
    }

    private Png() {
    }

    /** True when {@code b[off..]} starts with the PNG signature. */
    static boolean looksLike(byte[] b, int off, int len) {
        if (len < SIGNATURE.length) return false;
        for (int i = 0; i < SIGNATURE.length; i++) if (b[off + i] != SIGNATURE[i]) return false;
        return true;
    }

    /** Reads the IHDR fields {width, height, bitDepth, colourType, interlace} from the first bytes; IOException when malformed. */
    static int[] header(byte[] b, int off, int len, String name) throws IOException {
        if (!looksLike(b, off, len)) throw new IOException(name + ": not a PNG file (bad signature)");
        if (len < 33) throw new IOException(name + ": truncated PNG (no IHDR chunk)");
        int clen = Idx.u32(b, off + 8);
        if (clen != 13 || b[off + 12] != 'I' || b[off + 13] != 'H' || b[off + 14] != 'D' || b[off + 15] != 'R') {
            throw new IOException(name + ": PNG does not start with a 13-byte IHDR chunk");
        }
        int w = Idx.u32(b, off + 16);
        int h = Idx.u32(b, off + 20);
        return new int[] {w, h, b[off + 24] & 0xFF, b[off + 25] & 0xFF, b[off + 28] & 0xFF};
    }

    /** Channels of an 8-bit colour type pc supports (0 grey, 4 grey+alpha, 2 RGB, 6 RGBA), else 0. */
    static int channels(int colourType) {
        return switch (colourType) {
            case 0 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            case 6 -> 4;
            default -> 0;
        };
    }

    /** Null when pc can code a PNG with this IHDR, else why not ("16-bit PNG is not supported ..."). */
    static String unsupported(int[] ihdr) {
        if (ihdr[3] == 3) return "palette PNG is not supported by pc (8-bit grey, grey+alpha, RGB, RGBA only)";
        if (channels(ihdr[3]) == 0) return "PNG colour type " + ihdr[3] + " is invalid";
        if (ihdr[2] != 8) return ihdr[2] + "-bit PNG is not supported by pc (8-bit channels only)";
        if (ihdr[4] != 0) return "interlaced PNG is not supported by pc";
        return null;
    }

    /**
     * Parses a whole PNG: every chunk's CRC, IHDR, consecutive IDAT chunks, the zlib stream (which
     * must end exactly at the end of the IDAT data, with a correct Adler-32), the scanline filters.
     * IOException naming {@code name} for anything malformed, truncated or unsupported.
     */
    static Parsed parse(byte[] b, int off, int len, String name) throws IOException {
        int[] ihdr = header(b, off, len, name);
        CRC32 ihdrCrc = new CRC32();
        ihdrCrc.update(b, off + 12, 17);
        if ((int) ihdrCrc.getValue() != Idx.u32(b, off + 29)) throw new IOException(name + ": PNG chunk IHDR at offset 8 has a bad CRC");
        int w = ihdr[0];
        int h = ihdr[1];
        String why = unsupported(ihdr);
        if (why != null) throw new IOException(name + ": " + why);
        if (w <= 0 || h <= 0) throw new IOException(name + ": bad PNG dimensions " + Integer.toUnsignedString(w) + "x" + Integer.toUnsignedString(h));
        int ch = channels(ihdr[3]);
        long rowBytes = 1 + (long) w * ch;
        if (rowBytes * h > MAX_RAW) {
            throw new IOException(name + ": PNG of " + w + "x" + h + " is too large for pc (at most " + (MAX_RAW >> 20) + " MiB of pixels)");
        }
        if ((b[off + 26] != 0) || (b[off + 27] != 0)) throw new IOException(name + ": unknown PNG compression or filter method");
        Parsed p = new Parsed();
        p.width = w;
        p.height = h;
        p.channels = ch;
        int end = off + len;
        int pos = off + 8;
        int firstIdat = -1;
        int lastIdatEnd = -1;
        boolean idatClosed = false;
        boolean iend = false;
        int[] sizes = new int[16];
        int nIdat = 0;
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        CRC32 crc = new CRC32();
        while (!iend) {
            if (end - pos < 12) throw new IOException(name + ": truncated PNG (chunk header at offset " + (pos - off) + ")");
            int clen = Idx.u32(b, pos);
            if (clen < 0 || clen > end - pos - 12) {
                throw new IOException(name + ": truncated PNG (chunk at offset " + (pos - off) + " says " + Integer.toUnsignedString(clen) + " bytes)");
            }
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            crc.reset();
            crc.update(b, pos + 4, 4 + clen);
            if ((int) crc.getValue() != Idx.u32(b, pos + 8 + clen)) {
                throw new IOException(name + ": PNG chunk " + type + " at offset " + (pos - off) + " has a bad CRC");
            }
            if (type.equals("IDAT")) {
                if (idatClosed) throw new IOException(name + ": PNG IDAT chunks are not consecutive");
                if (firstIdat < 0) firstIdat = pos;
                if (nIdat == sizes.length) sizes = Arrays.copyOf(sizes, nIdat * 2);
                sizes[nIdat++] = clen;
                z.write(b, pos + 8, clen);
                lastIdatEnd = pos + 12 + clen;
            } else {
                if (firstIdat >= 0) idatClosed = true;
                if (type.equals("IEND")) iend = true;
                if (type.equals("PLTE") && ch == 1) throw new IOException(name + ": PLTE chunk in a grey PNG");
            }
            pos += 12 + clen;
        }
        if (firstIdat < 0) throw new IOException(name + ": PNG has no IDAT chunk");
        p.prefixEnd = firstIdat - off;
        p.suffixStart = lastIdatEnd - off;
        p.idatSizes = Arrays.copyOf(sizes, nIdat);
        p.zlib = z.toByteArray();
        p.raw = inflate(p.zlib, (int) (rowBytes * h), name);
        p.filters = new byte[h];
        p.planes = unfilter(p.raw, w, h, ch, p.filters, name);
        return p;
    }

    /** Inflates a zlib stream that must give exactly {@code expect} bytes and end with a correct Adler-32 and nothing after it. */
    private static byte[] inflate(byte[] zlib, int expect, String name) throws IOException {
        if (zlib.length < 6) throw new IOException(name + ": PNG image data too short");
        int cmf = zlib[0] & 0xFF;
        int flg = zlib[1] & 0xFF;
        if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || (cmf * 256 + flg) % 31 != 0) throw new IOException(name + ": PNG image data has a bad zlib header");
        if ((flg & 0x20) != 0) throw new IOException(name + ": PNG image data uses a zlib preset dictionary");
        Inflater inf = new Inflater(true);
        byte[] out = new byte[expect];
        try {
            inf.setInput(zlib, 2, zlib.length - 2);
            int n = 0;
            while (n < expect) {
                int r = inf.inflate(out, n, expect - n);
                if (r == 0) {
                    if (inf.finished()) break;
                    if (inf.needsInput()) throw new IOException(name + ": PNG image data truncated (" + n + " of " + expect + " bytes)");
                    if (inf.needsDictionary()) throw new IOException(name + ": PNG image data needs a dictionary");
                }
                n += r;
            }
            if (n < expect) throw new IOException(name + ": PNG image data has " + n + " bytes, expected " + expect);
            if (!inf.finished()) {
                byte[] one = new byte[1];
                if (inf.inflate(one) > 0) throw new IOException(name + ": PNG image data is longer than the image (" + expect + " bytes)");
                if (!inf.finished()) throw new IOException(name + ": PNG image data truncated (no end of the deflate stream)");
            }
            int rest = inf.getRemaining();
            if (rest != 4) throw new IOException(name + ": PNG image data: " + (rest - 4) + " bytes after the zlib stream");
            Adler32 a = new Adler32();
            a.update(out);
            if ((int) a.getValue() != Idx.u32(zlib, zlib.length - 4)) throw new IOException(name + ": PNG image data has a bad Adler-32");
            return out;
        } catch (DataFormatException e) {
            throw new IOException(name + ": PNG image data corrupted: " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    /** Undoes the scanline filters (bpp = channels); filter types go to {@code filters}; IOException for a type above 4. */
    static byte[][] unfilter(byte[] raw, int w, int h, int ch, byte[] filters, String name) throws IOException {
        int stride = w * ch;
        byte[] cur = new byte[stride];
        byte[] prev = new byte[stride];
        byte[][] planes = new byte[ch][w * h];
        for (int y = 0; y < h; y++) {
            int rb = y * (stride + 1);
            int f = raw[rb] & 0xFF;
            if (f > 4) throw new IOException(name + ": PNG row " + y + " has filter type " + f + " (0..4 allowed)");
            filters[y] = (byte) f;
            for (int i = 0; i < stride; i++) {
                int x = raw[rb + 1 + i] & 0xFF;
                int a = i >= ch ? cur[i - ch] & 0xFF : 0;
                int up = prev[i] & 0xFF;
                int c = i >= ch ? prev[i - ch] & 0xFF : 0;
                cur[i] = (byte) (x + predict(f, a, up, c));
            }
            for (int i = 0; i < stride; i++) planes[i % ch][y * w + i / ch] = cur[i];
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return planes;
    }

    /** Filters the pixels again with the given per-row types: raw = type byte + (x - predict) per byte. */
    static byte[] refilter(byte[][] planes, int w, int h, int ch, byte[] filters) {
        int stride = w * ch;
        byte[] raw = new byte[h * (stride + 1)];
        byte[] cur = new byte[stride];
        byte[] prev = new byte[stride];
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < stride; i++) cur[i] = planes[i % ch][y * w + i / ch];
            int f = filters[y];
            int rb = y * (stride + 1);
            raw[rb] = (byte) f;
            for (int i = 0; i < stride; i++) {
                int a = i >= ch ? cur[i - ch] & 0xFF : 0;
                int up = prev[i] & 0xFF;
                int c = i >= ch ? prev[i - ch] & 0xFF : 0;
                raw[rb + 1 + i] = (byte) ((cur[i] & 0xFF) - predict(f, a, up, c));
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return raw;
    }

    /** PNG predictor: 0 none, 1 a (left), 2 b (up), 3 floor((a + b) / 2), 4 Paeth(a, b, c). */
    private static int predict(int f, int a, int b, int c) {
        switch (f) {
            case 0:
                return 0;
            case 1:
                return a;
            case 2:
                return b;
            case 3:
                return (a + b) >>> 1;
            default:
                int p = a + b - c;
                int pa = Math.abs(p - a);
                int pb = Math.abs(p - b);
                int pc = Math.abs(p - c);
                return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }

    /**
     * The {level, strategy} of a {@link Deflater} (raw deflate, window 32K, memLevel 8) whose output
     * for {@code raw} is exactly the deflate body {@code zlib[2 .. length-4)}, or null. zlib writes the
     * level's class in the header's FLEVEL bits (0: levels 0-1, 1: 2-5, 2: 6, 3: 7-9), so only the
     * levels of that class are tried, with the default and filtered strategies, then huffman-only
     * (whose output does not depend on the level); each attempt stops at the first differing byte.
     */
    static int[] findDeflater(byte[] raw, byte[] zlib) {
        int flevel = (zlib[1] & 0xFF) >> 6;
        int[][] classes = {{1, 0}, {2, 3, 4, 5}, {6}, {9, 7, 8}};
        for (int level : classes[flevel]) {
            for (int strategy : new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED}) {
                if (level == 0 && strategy != Deflater.DEFAULT_STRATEGY) continue;
                if (matches(raw, zlib, level, strategy)) return new int[] {level, strategy};
            }
        }
        int level = classes[flevel][0];
        if (level > 0 && matches(raw, zlib, level, Deflater.HUFFMAN_ONLY)) return new int[] {level, Deflater.HUFFMAN_ONLY};
        return null;
    }

    private static boolean matches(byte[] raw, byte[] zlib, int level, int strategy) {
        int bodyEnd = zlib.length - 4;
        Deflater d = new Deflater(level, true);
        try {
            d.setStrategy(strategy);
            d.setInput(raw);
            d.finish();
            byte[] buf = new byte[1 << 15];
            int pos = 2;
            while (!d.finished()) {
                int r = d.deflate(buf);
                if (r > bodyEnd - pos) return false;
                if (!Arrays.equals(buf, 0, r, zlib, pos, pos + r)) return false;
                pos += r;
            }
            return pos == bodyEnd;
        } finally {
            d.end();
        }
    }

    /** zlib stream = header + Deflater(level, strategy) body of {@code raw} + Adler-32 (big-endian). */
    static byte[] zlib(byte[] raw, int cmf, int flg, int level, int strategy) {
        Deflater d = new Deflater(level, true);
        try {
            d.setStrategy(strategy);
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            out.write(cmf);
            out.write(flg);
            byte[] buf = new byte[1 << 15];
            while (!d.finished()) out.write(buf, 0, d.deflate(buf));
            Adler32 a = new Adler32();
            a.update(raw);
            int v = (int) a.getValue();
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** Writes the IDAT chunks (sizes given, their sum = zlib.length) with their CRCs. */
    static void writeIdats(ByteArrayOutputStream out, byte[] zlib, int[] sizes) {
        CRC32 crc = new CRC32();
        byte[] type = {'I', 'D', 'A', 'T'};
        int pos = 0;
        for (int s : sizes) {
            writeInt(out, s);
            out.write(type, 0, 4);
            out.write(zlib, pos, s);
            crc.reset();
            crc.update(type);
            crc.update(zlib, pos, s);
            writeInt(out, (int) crc.getValue());
            pos += s;
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
