package dev.occam.core.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A stream compressor/decompressor the CLI and library can select by name: the classical codecs
 * (gzip, xz, zstd, ...) and every Occam frame codec (through {@link OccCodec}).
 *
 * <p>Implementations are stateless and thread-safe; each call returns a fresh stream.
 * Registered with {@link java.util.ServiceLoader} (see {@link CodecRegistry}).
 */
public interface Codec {
    /** Canonical name as typed on the command line, lower case ("gzip", "o2"). */
    String name();

    /** Other accepted names ("gz" for gzip). */
    default List<String> aliases() {
        return List.of();
    }

    /** File extension with the dot (".gz", ".occ"). */
    String extension();

    /** One line for {@code occam codecs}. */
    String description();

    /** False for decode-only codecs (brotli). */
    default boolean canCompress() {
        return true;
    }

    /** Level range and default; a codec without levels returns 0,0,0. */
    int minLevel();

    int maxLevel();

    int defaultLevel();

    /** True when {@code head[0..len)} (the first bytes of a stream, len may be short) is this format. */
    boolean matches(byte[] head, int len);

    /**
     * Wraps {@code out}: bytes written to the result are compressed to {@code out}. Closing the
     * result finishes the format and closes {@code out}.
     */
    OutputStream compress(OutputStream out, CodecOptions options) throws IOException;

    /**
     * As {@link #compress(OutputStream, CodecOptions)}, told that exactly {@code knownLength} bytes
     * will be written (-1 = unknown). Formats that record the original length (.occ) store it, and
     * closing the stream after a different number of bytes fails instead of finishing the format.
     */
    default OutputStream compress(OutputStream out, CodecOptions options, long knownLength) throws IOException {
        return compress(out, options);
    }

    /**
     * Wraps {@code in}: reading the result yields the decompressed bytes. Bad input is reported as
     * {@link dev.occam.core.CorruptInputException} (with the compressed byte offset when known).
     * Concatenated streams/frames of the same format decode as their concatenation (like gzip, xz,
     * zstd); any other bytes after the end are an error.
     */
    InputStream decompress(InputStream in, CodecOptions options) throws IOException;
}
