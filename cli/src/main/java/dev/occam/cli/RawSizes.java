package dev.occam.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Raw (decompressed) sizes that classical formats store where reading them is cheap: gzip's
 * ISIZE trailer (size mod 2^32; only for a single member), zstd's frame content size, lz4's
 * frame content size, xz's index (single stream). -1 when the format does not say.
 */
final class RawSizes {
    private RawSizes() {
    }

    static long of(String format, Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return switch (format) {
                case "gzip" -> gzip(ch);
                case "zstd" -> zstd(ch);
                case "lz4" -> lz4(ch);
                case "xz" -> xz(ch);
                default -> -1;
            };
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) break;
        }
        b.flip();
        return b;
    }

    /** gzip trailer: CRC32 then ISIZE, both little-endian u32, in the last 8 bytes (last member only). */
    private static long gzip(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 18) return -1;
        ByteBuffer b = read(ch, size - 4, 4);
        return b.remaining() == 4 ? Integer.toUnsignedLong(b.getInt()) : -1;
    }

    /** zstd frame header: magic, FHD, [window], [dict id], [content size: 1/2/4/8 bytes, 2-byte form + 256]. */
    private static long zstd(FileChannel ch) throws IOException {
        ByteBuffer b = read(ch, 0, 18);
        if (b.remaining() < 6 || b.getInt(0) != 0xFD2FB528) return -1;
        int fhd = b.get(4) & 0xFF;
        int fcsFlag = fhd >>> 6;
        boolean single = (fhd & 0x20) != 0;
        int dictFlag = fhd & 3;
        int pos = 5 + (single ? 0 : 1) + (dictFlag == 3 ? 4 : dictFlag);
        int fcsLen = fcsFlag == 0 ? (single ? 1 : 0) : 1 << fcsFlag;
        if (fcsLen == 0 || b.remaining() < pos + fcsLen) return -1;
        return switch (fcsLen) {
            case 1 -> b.get(pos) & 0xFFL;
            case 2 -> (b.getShort(pos) & 0xFFFFL) + 256;
            case 4 -> Integer.toUnsignedLong(b.getInt(pos));
            default -> b.getLong(pos);
        };
    }

    /** lz4 frame: magic, FLG (bit 3 = content size present), BD, then the u64 content size. */
    private static long lz4(FileChannel ch) throws IOException {
        ByteBuffer b = read(ch, 0, 14);
        if (b.remaining() < 14 || b.getInt(0) != 0x184D2204) return -1;
        int flg = b.get(4) & 0xFF;
        return (flg & 0x08) != 0 ? b.getLong(6) : -1;
    }

    /**
     * xz: the stream footer (CRC32, backward size = index bytes / 4 - 1, flags, "YZ") points at the
     * index (0x00, record count, then per block unpadded and uncompressed sizes as varints). The
     * sum is returned only if header + padded blocks + index + footer account for the whole file
     * (one stream, no padding), so concatenated streams give -1 rather than a wrong number.
     */
    private static long xz(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 32) return -1;
        ByteBuffer footer = read(ch, size - 12, 12);
        if (footer.remaining() != 12 || footer.get(10) != 'Y' || footer.get(11) != 'Z') return -1;
        long indexSize = (Integer.toUnsignedLong(footer.getInt(4)) + 1) * 4;
        if (indexSize > size - 24 || indexSize > 1 << 26) return -1;
        ByteBuffer index = read(ch, size - 12 - indexSize, (int) indexSize);
        if (index.remaining() != indexSize || index.get() != 0) return -1;
        long records = varint(index);
        long blocks = 0;
        long raw = 0;
        for (long r = 0; r < records; r++) {
            long unpadded = varint(index);
            long uncompressed = varint(index);
            if (unpadded < 0 || uncompressed < 0) return -1;
            blocks += (unpadded + 3) & ~3L;
            raw += uncompressed;
        }
        return 12 + blocks + indexSize + 12 == size ? raw : -1;
    }

    /** xz multibyte integer: 7 bits per byte, little-endian, high bit = more; -1 when malformed. */
    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (!b.hasRemaining()) return -1;
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) return v;
        }
        return -1;
    }
}
