package dev.occam.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Raw (decompressed) sizes that classical formats store where reading them is cheap: gzip's
 * ISIZE trailer (size mod 2^32 of the last member), zstd's frame content size, lz4's frame
 * content size. -1 when the format does not say.
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

    /** gzip trailer: CRC32 then ISIZE, both little-endian u32, in the last 8 bytes. */
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
}
