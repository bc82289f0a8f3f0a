package dev.occam.pc;

import dev.occam.core.CorruptInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Blocks holding one whole PGM/PPM/PNG file (modes 2, 3, 4 of {@link PcCodec}):
 * <pre>
 * mode 2 (PNM):    [2][u8 transform][varint header length][header][varint trailing length][trailing bytes][planes]
 * mode 3 (PNG):    [3][u8 transform][u32 CRC-32 of the file][varint prefix length][prefix][varint suffix length][suffix]
 *                  [u8 level][u8 strategy][u8 CMF][u8 FLG][varint IDAT count][varint size]...
 *                  [varint length][filter types, zlib-deflated][planes]
 * mode 4 (stored): [4][the file's bytes]
 * </pre>
 * Planes pass through the {@link Transform} (none or MED residuals), then {@link PatchCoder}; dimensions and channels come from the stored header (the
 * PNM header, the PNG's IHDR in the prefix).
 */
final class ImageBlocks {
    /** Why a file is stored (mode 4) instead of coded, or how it was coded. */
    record Plan(int mode, String kind, int width, int height, int channels, String note, Object parsed, int[] deflater) {
    }

    private ImageBlocks() {
    }

    /**
     * Decides how a file is coded. Strict ({@code store} false): an image pc cannot code is an
     * IOException naming the problem; a PNG whose deflate stream Deflater cannot reproduce is stored
     * (mode 4) in both cases.
     */
    static Plan plan(byte[] src, int off, int len, boolean store, String name) throws IOException {
        try {
            if (Png.looksLike(src, off, len)) {
                Png.Parsed p = Png.parse(src, off, len, name);
                String kind = "PNG " + p.width + "x" + p.height + " " + channelName(p.channels);
                int[] params = Png.findDeflater(p.raw, p.zlib);
                if (params == null) {
                    return new Plan(PcCodec.MODE_STORED, kind, p.width, p.height, p.channels,
                            "its deflate stream is not reproduced by java.util.zip.Deflater (the levels of the zlib header's class x default/"
                                    + "filtered/huffman-only; Deflater cannot set memLevel): the PNG bytes are stored verbatim (no pc coding)", null, null);
                }
                return new Plan(PcCodec.MODE_PNG, kind, p.width, p.height, p.channels,
                        "IDAT reproduced by Deflater level " + params[0] + ", " + strategyName(params[1]) + " strategy, "
                                + p.idatSizes.length + " IDAT chunk" + (p.idatSizes.length == 1 ? "" : "s"), p, params);
            }
            if (Pnm.looksLike(src, off, len)) {
                Pnm.Header h = Pnm.parse(src, off, len, name);
                String kind = (h.magic() == 5 ? "PGM " : "PPM ") + h.width() + "x" + h.height() + " maxval " + h.maxval();
                long need = h.headerLength() + h.pixelBytes();
                if (need > len) {
                    throw new IOException(name + ": truncated " + (h.magic() == 5 ? "PGM" : "PPM") + ": header says " + h.width() + "x"
                            + h.height() + " (" + need + " bytes with the header) but the file holds " + len + " bytes");
                }
                String note = len > need ? (len - need) + " bytes after the pixels kept verbatim" : "";
                return new Plan(PcCodec.MODE_PNM, kind, h.width(), h.height(), h.channels(), note, h, null);
            }
            throw new IOException(name + ": not a PGM/PPM/PNG image");
        } catch (IOException e) {
            if (!store) throw e;
            return new Plan(PcCodec.MODE_STORED, "unparsed", 0, 0, 0, "stored verbatim: " + e.getMessage(), null, null);
        }
    }

    static String channelName(int ch) {
        return switch (ch) {
            case 1 -> "grey";
            case 2 -> "grey+alpha";
            case 3 -> "RGB";
            default -> "RGBA";
        };
    }

    private static String strategyName(int s) {
        return s == Deflater.FILTERED ? "filtered" : s == Deflater.HUFFMAN_ONLY ? "huffman-only" : "default";
    }

    static byte[] encode(PcModel m, int threads, int transform, byte[] src, int off, int len, boolean store) throws IOException {
        Plan plan = plan(src, off, len, store, "pc input");
        ByteArrayOutputStream out = new ByteArrayOutputStream(len / 2 + 64);
        out.write(plan.mode());
        if (plan.mode() != PcCodec.MODE_STORED) out.write(transform);
        PatchCoder coder = new PatchCoder(m, threads);
        switch (plan.mode()) {
            case PcCodec.MODE_STORED -> out.write(src, off, len);
            case PcCodec.MODE_PNM -> {
                Pnm.Header h = (Pnm.Header) plan.parsed();
                int hl = h.headerLength();
                PcCodec.writeVarint(out, hl);
                out.write(src, off, hl);
                int pixEnd = (int) (hl + h.pixelBytes());
                PcCodec.writeVarint(out, len - pixEnd);
                out.write(src, off + pixEnd, len - pixEnd);
                coder.encode(forward(transform, deinterleave(src, off + hl, h.width(), h.height(), h.channels()), h.width(), h.height()),
                        h.width(), h.height(), out);
            }
            default -> {
                Png.Parsed p = (Png.Parsed) plan.parsed();
                CRC32 crc = new CRC32();
                crc.update(src, off, len);
                writeInt(out, (int) crc.getValue());
                PcCodec.writeVarint(out, p.prefixEnd);
                out.write(src, off, p.prefixEnd);
                PcCodec.writeVarint(out, len - p.suffixStart);
                out.write(src, off + p.suffixStart, len - p.suffixStart);
                out.write(plan.deflater()[0]);
                out.write(plan.deflater()[1]);
                out.write(p.zlib[0]);
                out.write(p.zlib[1]);
                PcCodec.writeVarint(out, p.idatSizes.length);
                for (int s : p.idatSizes) PcCodec.writeVarint(out, s);
                byte[] f = deflate(p.filters);
                PcCodec.writeVarint(out, f.length);
                out.write(f, 0, f.length);
                coder.encode(forward(transform, p.planes, p.width, p.height), p.width, p.height, out);
            }
        }
        return out.toByteArray();
    }

    static void decode(PcModel m, int threads, byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException {
        int end = off + len;
        int mode = src[off];
        int[] p = {off + 1};
        PatchCoder coder = new PatchCoder(m, threads);
        if (mode == PcCodec.MODE_STORED) {
            if (len - 1 != dstLen) throw new CorruptInputException(0, "pc: stored block has " + (len - 1) + " bytes, expected " + dstLen);
            System.arraycopy(src, off + 1, dst, dstOff, dstLen);
            return;
        }
        if (mode != PcCodec.MODE_PNM && mode != PcCodec.MODE_PNG) throw new CorruptInputException(0, "pc: bad block mode " + mode);
        if (end - p[0] < 1) throw new CorruptInputException(1, "pc: truncated image block");
        int transform = src[p[0]++];
        if (transform != Transform.NONE && transform != Transform.MED) throw new CorruptInputException(1, "pc: unknown transform " + transform);
        if (mode == PcCodec.MODE_PNM) {
            int hl = length(src, p, end, off, dstLen, "PNM header");
            Pnm.Header h;
            try {
                h = Pnm.parse(src, p[0], hl, "block");
            } catch (IOException e) {
                throw new CorruptInputException(p[0] - off, "pc: bad stored PNM header: " + e.getMessage());
            }
            if (h.headerLength() != hl) throw new CorruptInputException(p[0] - off, "pc: stored PNM header length mismatch");
            int header = p[0];
            p[0] += hl;
            int tl = length(src, p, end, off, dstLen, "trailing bytes");
            int trailing = p[0];
            p[0] += tl;
            if (hl + h.pixelBytes() + tl != dstLen) {
                throw new CorruptInputException(p[0] - off, "pc: PNM block sizes do not add up to the block's " + dstLen + " bytes");
            }
            byte[][] planes = coder.decode(h.channels(), h.width(), h.height(), src, p, end, off);
            for (byte[] pl : planes) Transform.inverse(transform, pl, h.width(), h.height());
            System.arraycopy(src, header, dst, dstOff, hl);
            interleave(planes, h.width(), h.height(), dst, dstOff + hl);
            System.arraycopy(src, trailing, dst, (int) (dstOff + hl + h.pixelBytes()), tl);
            return;
        }
        if (end - p[0] < 4) throw new CorruptInputException(p[0] - off, "pc: truncated PNG block");
        int crcStored = Idx.u32(src, p[0]);
        p[0] += 4;
        int prefixLen = length(src, p, end, off, dstLen, "PNG prefix");
        int prefix = p[0];
        p[0] += prefixLen;
        int suffixLen = length(src, p, end, off, dstLen, "PNG suffix");
        int suffix = p[0];
        p[0] += suffixLen;
        int[] ihdr;
        try {
            ihdr = Png.header(src, prefix, prefixLen, "block");
        } catch (IOException e) {
            throw new CorruptInputException(prefix - off, "pc: bad stored PNG header: " + e.getMessage());
        }
        int ch = Png.channels(ihdr[3]);
        int w = ihdr[0];
        int h = ihdr[1];
        if (Png.unsupported(ihdr) != null || w <= 0 || h <= 0 || (1 + (long) w * ch) * h > Png.MAX_RAW) {
            throw new CorruptInputException(prefix - off, "pc: stored PNG header is not one pc writes");
        }
        if (end - p[0] < 4) throw new CorruptInputException(p[0] - off, "pc: truncated PNG block");
        int level = src[p[0]++];
        int strategy = src[p[0]++];
        int cmf = src[p[0]++] & 0xFF;
        int flg = src[p[0]++] & 0xFF;
        if (level < 0 || level > 9 || Arrays.stream(Png.STRATEGIES).noneMatch(s -> s == strategy)) {
            throw new CorruptInputException(p[0] - off, "pc: bad deflate parameters in PNG block");
        }
        long count = PcCodec.readVarint(src, p, end, off);
        if (count < 1 || count > dstLen / 12) throw new CorruptInputException(p[0] - off, "pc: bad IDAT count " + count);
        int[] sizes = new int[(int) count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            long v = PcCodec.readVarint(src, p, end, off);
            if (v > dstLen) throw new CorruptInputException(p[0] - off, "pc: bad IDAT size " + v);
            sizes[i] = (int) v;
            total += sizes[i];
        }
        if (prefixLen + suffixLen + 12 * count + total != dstLen) {
            throw new CorruptInputException(p[0] - off, "pc: PNG block sizes do not add up to the block's " + dstLen + " bytes");
        }
        int fl = length(src, p, end, off, dstLen, "filter types");
        byte[] filters = inflate(src, p[0], fl, h, p[0] - off);
        p[0] += fl;
        for (byte f : filters) if (f < 0 || f > 4) throw new CorruptInputException(p[0] - off, "pc: bad PNG filter type " + f);
        byte[][] planes = coder.decode(ch, w, h, src, p, end, off);
        for (byte[] pl : planes) Transform.inverse(transform, pl, w, h);
        byte[] zlib = Png.zlib(Png.refilter(planes, w, h, ch, filters), cmf, flg, level, strategy);
        if (zlib.length != total) {
            throw new CorruptInputException(len, "pc: the re-deflated PNG data has " + zlib.length + " bytes, the original " + total
                    + " (this Java's zlib differs from the one that compressed the file?)");
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream(dstLen);
        file.write(src, prefix, prefixLen);
        Png.writeIdats(file, zlib, sizes);
        file.write(src, suffix, suffixLen);
        byte[] b = file.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(b);
        if ((int) crc.getValue() != crcStored) {
            throw new CorruptInputException(len, "pc: the rebuilt PNG differs from the original (CRC-32 mismatch; corrupt block, or this"
                    + " Java's zlib deflates differently from the one that compressed the file)");
        }
        System.arraycopy(b, 0, dst, dstOff, dstLen);
    }

    /** A varint length that must be at most {@code limit} and fit before {@code end}. */
    private static int length(byte[] src, int[] p, int end, int base, int limit, String what) throws IOException {
        long v = PcCodec.readVarint(src, p, end, base);
        if (v > limit || v > end - p[0]) {
            throw new CorruptInputException(p[0] - base, "pc: bad " + what + " length " + v);
        }
        return (int) v;
    }

    private static byte[][] forward(int t, byte[][] planes, int w, int h) {
        byte[][] out = new byte[planes.length][];
        for (int c = 0; c < planes.length; c++) out[c] = Transform.forward(t, planes[c], w, h);
        return out;
    }

    /** planes[c][y*w + x] from interleaved {@code src[off..]}. */
    static byte[][] deinterleave(byte[] src, int off, int w, int h, int ch) {
        byte[][] planes = new byte[ch][w * h];
        int n = w * h;
        for (int i = 0; i < n; i++) for (int c = 0; c < ch; c++) planes[c][i] = src[off + i * ch + c];
        return planes;
    }

    static void interleave(byte[][] planes, int w, int h, byte[] dst, int off) {
        int ch = planes.length;
        int n = w * h;
        for (int i = 0; i < n; i++) for (int c = 0; c < ch; c++) dst[off + i * ch + c] = planes[c][i];
    }

    private static byte[] deflate(byte[] b) {
        Deflater d = new Deflater(9, true);
        d.setInput(b);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] src, int off, int len, int expect, int at) throws IOException {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(src, off, len);
            byte[] out = new byte[expect];
            int n = 0;
            while (n < expect) {
                int r = inf.inflate(out, n, expect - n);
                if (r == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) break;
                n += r;
            }
            if (n != expect) throw new CorruptInputException(at, "pc: bad PNG filter types");
            return out;
        } catch (DataFormatException e) {
            throw new CorruptInputException(at, "pc: bad PNG filter types: " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
