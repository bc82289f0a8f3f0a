package dev.occam.core.codec.classic;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/** Common part of the classical codecs: names, levels, level checking and stream wrapping. */
abstract class ClassicCodec implements Codec {
    private final String name;
    private final List<String> aliases;
    private final String extension;
    private final String description;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    ClassicCodec(String name, List<String> aliases, String extension, String description,
                 int minLevel, int maxLevel, int defaultLevel) {
        this.name = name;
        this.aliases = List.copyOf(aliases);
        this.extension = extension;
        this.description = description;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> aliases() {
        return aliases;
    }

    @Override
    public final String extension() {
        return extension;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int minLevel() {
        return minLevel;
    }

    @Override
    public final int maxLevel() {
        return maxLevel;
    }

    @Override
    public final int defaultLevel() {
        return defaultLevel;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Throws an IOException for decode-only codecs and IllegalArgumentException when the
     * options' level is outside {@link #minLevel()}..{@link #maxLevel()}.
     */
    @Override
    public final OutputStream compress(OutputStream out, CodecOptions options) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        if (!canCompress()) {
            throw new IOException(name + ": this codec can only decompress; choose another format to compress");
        }
        int level = options.levelOr(defaultLevel);
        if (level < minLevel || level > maxLevel) {
            throw new IllegalArgumentException(name + ": level " + level + " is outside " + minLevel + ".." + maxLevel);
        }
        return new EncodingOutputStream(name, encoder(out, level, options));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The decoder is opened on the first read. Concatenated streams are decoded the way the
     * format's reference tool does (gzip members, bzip2 streams, xz streams with padding, zstd and
     * lz4 frames); any other byte after the end is an error.
     */
    @Override
    public final InputStream decompress(InputStream in, CodecOptions options) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(options, "options");
        return decoder(in, options);
    }

    /** The library encoder at a checked level; closing it finishes the format and closes {@code out}. */
    abstract OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException;

    /** The decoding stream (normally a {@link DecodingInputStream} over the library decoder). */
    abstract InputStream decoder(InputStream in, CodecOptions options) throws IOException;

    /** True when {@code head[0..len)} starts with {@code magic} (a shorter head never matches). */
    static boolean startsWith(byte[] head, int len, int... magic) {
        int n = Math.min(len, head.length);
        if (n < magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) return false;
        }
        return true;
    }
}
