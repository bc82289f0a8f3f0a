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
     * Wraps {@code in}: reading the result yields the decompressed bytes. Bad input is reported as
     * {@link dev.occam.core.CorruptInputException} (with the compressed byte offset when known).
     * Only a single stream/frame is decoded; trailing garbage is an error.
     */
    InputStream decompress(InputStream in, CodecOptions options) throws IOException;
}
