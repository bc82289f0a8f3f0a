package dev.occam.core.container;

import dev.occam.core.CorruptInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Constants and encoders of the {@code .occ} frame layout (see docs/FORMAT.md), and the header
 * parser shared by {@link OccInputStream} and {@link OccInputStream#scan}.
 */
final class FrameFormat {
    /** The four magic bytes: 0x89 'O' 'C' 'C'. */
    static final byte[] MAGIC = {(byte) 0x89, 'O', 'C', 'C'};
    /** The format version this build writes and the newest it reads. */
    static final int VERSION = 1;
    /** Header flag: a 32-byte model fingerprint follows the parameters. */
    static final int FLAG_FINGERPRINT = 1;
    /** Header flag: the original length follows (the fingerprint). */
    static final int FLAG_LENGTH = 2;
    static final int KNOWN_FLAGS = FLAG_FINGERPRINT | FLAG_LENGTH;
    /** Longest codec id in bytes. */
    static final int MAX_CODEC_ID = 32;
    /** Largest codec parameter block: bounds the allocation a corrupt length can cause. */
    static final int MAX_PARAMETERS = 1 << 20;
    /** Largest block size (raw bytes per block). */
    static final int MAX_BLOCK_SIZE = 1 << 26;
    /** Block type bytes. */
    static final int TYPE_END = 0;
    static final int TYPE_STORED = 1;
    static final int TYPE_CODED = 2;
    /** Longest block header: type, two varints of at most 4 bytes (lengths <= 2^26), three CRCs. */
    static final int MAX_BLOCK_HEADER = 1 + 4 + 4 + 4 + 4 + 4;

    private FrameFormat() {
    }

    /** True when {@code head[0..len)} starts with the magic bytes. */
    static boolean matchesMagic(byte[] head, int len) {
        if (head == null || len < MAGIC.length || head.length < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) if (head[i] != MAGIC[i]) return false;
        return true;
    }

    /** True when the codec id is 1..32 bytes of printable ASCII without spaces. */
    static boolean validCodecId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_CODEC_ID) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E) return false;
        }
        return true;
    }

    /** The serialized header, CRC32C included. */
    static byte[] encodeHeader(FrameHeader h) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        b.writeBytes(MAGIC);
        b.write(h.version());
        byte[] fp = h.modelFingerprint();
        int flags = (fp != null ? FLAG_FINGERPRINT : 0) | (h.originalLength() >= 0 ? FLAG_LENGTH : 0);
        b.write(flags);
        byte[] id = h.codecId().getBytes(StandardCharsets.US_ASCII);
        b.write(id.length);
        b.writeBytes(id);
        byte[] params = h.parameters();
        writeVarint(b, params.length);
        b.writeBytes(params);
        if (fp != null) b.writeBytes(fp);
        if (h.originalLength() >= 0) writeVarint(b, h.originalLength());
        writeVarint(b, h.blockSize());
        byte[] body = b.toByteArray();
        writeU32(b, crc32c(body, 0, body.length));
        return b.toByteArray();
    }

    /** Unsigned LEB128: 7 bits per byte, low group first, high bit set on all but the last byte. */
    static void writeVarint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
    }

    /** Writes v as 4 little-endian bytes. */
    static void writeU32(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
        b.write(v >>> 16);
        b.write(v >>> 24);
    }

    /** CRC32C (Castagnoli) of {@code b[off..off+len)}. */
    static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /**
     * Block header: type, raw length, coded length and CRC32C of the coded payload (coded blocks
     * only), CRC32C of the raw bytes, header CRC32C.
     */
    static byte[] encodeBlockHeader(boolean coded, int rawLen, int codedLen, int codedCrc, int rawCrc) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(MAX_BLOCK_HEADER);
        b.write(coded ? TYPE_CODED : TYPE_STORED);
        writeVarint(b, rawLen);
        if (coded) {
            writeVarint(b, codedLen);
            writeU32(b, codedCrc);
        }
        writeU32(b, rawCrc);
        byte[] body = b.toByteArray();
        writeU32(b, crc32c(body, 0, body.length));
        return b.toByteArray();
    }

    /**
     * End marker: type 0, total raw length, CRC32C of the whole content. It needs no checksum of
     * its own: both fields are compared with values the reader computes.
     */
    static byte[] encodeEndMarker(long totalLength, int contentCrc) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(16);
        b.write(TYPE_END);
        writeVarint(b, totalLength);
        writeU32(b, contentCrc);
        return b.toByteArray();
    }

    /** Where the input may end early because a damaged length field made the reader skip too far. */
    private static final String LENGTHY = "frame header (or a length field in it is corrupt)";

    /** A parsed header with the offsets of the fields later checks refer to. */
    record Parsed(FrameHeader header, long start, long codecIdOffset, long parametersOffset, long fingerprintOffset,
                  long end) {
    }

    /**
     * Reads a header whose magic the caller has already read and checked; the reader's running
     * CRC must have been started at {@code start} (before the magic).
     */
    static Parsed readHeaderAfterMagic(FrameReader r, long start) throws IOException {
        long versionAt = r.pos();
        int version = r.readByte("frame header");
        if (version == 0) throw new CorruptInputException(versionAt, "invalid format version 0");
        if (version > VERSION) {
            throw new CorruptInputException(versionAt,
                    "format version " + version + " is newer than this build supports (" + VERSION + ")");
        }
        long flagsAt = r.pos();
        int flags = r.readByte("frame header");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new CorruptInputException(flagsAt, String.format("unknown frame header flags 0x%02x", flags));
        }
        long idLenAt = r.pos();
        int idLen = r.readByte("frame header");
        if (idLen < 1 || idLen > MAX_CODEC_ID) {
            throw new CorruptInputException(idLenAt, "invalid codec id length " + idLen);
        }
        long idAt = r.pos();
        byte[] idBytes = new byte[idLen];
        r.readFully(idBytes, 0, idLen, LENGTHY);
        String id = new String(idBytes, StandardCharsets.ISO_8859_1);
        if (!validCodecId(id)) throw new CorruptInputException(idAt, "invalid codec id (not printable ASCII)");
        long paramsAt = r.pos();
        int paramLen = (int) r.readVarint(MAX_PARAMETERS, "codec parameter length", LENGTHY);
        byte[] params = new byte[paramLen];
        r.readFully(params, 0, paramLen, LENGTHY);
        long fpAt = r.pos();
        byte[] fp = null;
        if ((flags & FLAG_FINGERPRINT) != 0) {
            fp = new byte[32];
            r.readFully(fp, 0, 32, LENGTHY);
        }
        long originalLength = -1;
        if ((flags & FLAG_LENGTH) != 0) originalLength = r.readVarint(Long.MAX_VALUE, "original length", LENGTHY);
        long bsAt = r.pos();
        int blockSize = (int) r.readVarint(MAX_BLOCK_SIZE, "block size", LENGTHY);
        if (blockSize < 1) throw new CorruptInputException(bsAt, "invalid block size 0");
        int computed = r.crcValue();
        long crcAt = r.pos();
        int stored = r.readU32(LENGTHY);
        if (stored != computed) throw new CorruptInputException(crcAt, "frame header checksum mismatch");
        FrameHeader h = new FrameHeader(version, id, params, fp, originalLength, blockSize);
        return new Parsed(h, start, idAt, paramsAt, fpAt, r.pos());
    }
}
