package dev.occam.core.codec;

import dev.occam.core.container.FrameHeader;
import java.io.IOException;

/**
 * An Occam codec: compresses independent blocks inside the {@code .occ} frame. The frame
 * (header, block lengths, CRC32C, end marker, threading) is handled by
 * {@link dev.occam.core.container.OccOutputStream} / {@link dev.occam.core.container.OccInputStream};
 * a BlockCodec only turns one block of raw bytes into coded bytes and back.
 *
 * <p>Registered with {@link java.util.ServiceLoader}; {@link CodecRegistry} exposes each one as a
 * {@link Codec} through {@link OccCodec}.
 */
public interface BlockCodec {
    /** Frame codec id: ASCII, 1..32 bytes, unique ("o2"). Also the CLI name. */
    String id();

    /** One line for {@code occam codecs}. */
    String description();

    /** Level range and default (0,0,0 when the codec has no levels). */
    default int minLevel() {
        return 0;
    }

    default int maxLevel() {
        return 0;
    }

    default int defaultLevel() {
        return 0;
    }

    /** Raw bytes per block when the options say 0. */
    default int defaultBlockSize() {
        return 1 << 20;
    }

    /** Raw bytes per block for these options when they say 0 (a codec whose prior depends on the options). */
    default int defaultBlockSize(CodecOptions options) {
        return defaultBlockSize();
    }

    /** Codec parameters stored in the frame header (level, model settings...); may be empty. */
    byte[] parameters(CodecOptions options) throws IOException;

    /** SHA-256 of the model the options select, or null for model-free codecs. */
    default byte[] modelFingerprint(CodecOptions options) throws IOException {
        return null;
    }

    /**
     * The fingerprint of the model the options select for decoding a frame with this header (the
     * reader compares it with the header's). Default: {@link #modelFingerprint(CodecOptions)}; a codec
     * with several built-in models may pick the one the header names when the options name none.
     */
    default byte[] modelFingerprint(CodecOptions options, FrameHeader header) throws IOException {
        return modelFingerprint(options);
    }

    /** A block encoder for one thread; it may keep scratch buffers across blocks. */
    BlockEncoder newEncoder(CodecOptions options) throws IOException;

    /**
     * A block decoder for one thread, configured from the frame header (parameters, fingerprint).
     * Refuse here, with {@link dev.occam.core.CorruptInputException}, parameters this version cannot
     * decode or a model whose fingerprint differs from the header's.
     */
    BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException;

    /** Encodes one block. Blocks are independent: no state may leak from one block to the next. */
    interface BlockEncoder {
        /** Compressed form of {@code src[off..off+len)}; the result may be a reused buffer's copy. */
        byte[] encode(byte[] src, int off, int len) throws IOException;

        /** Releases what the encoder holds (native sessions); the frame writer calls it when it is closed. */
        default void close() throws IOException {
        }
    }

    /** Decodes one block. */
    interface BlockDecoder {
        /**
         * Decodes {@code src[off..off+len)} into exactly {@code dst[dstOff..dstOff+dstLen)}.
         * Throws {@link dev.occam.core.CorruptInputException} with an offset relative to {@code off}
         * when the coded bytes are inconsistent (too short, too long, impossible state).
         */
        void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException;

        /** Releases what the decoder holds (native sessions); the frame reader calls it when it is done. */
        default void close() throws IOException {
        }
    }
}
