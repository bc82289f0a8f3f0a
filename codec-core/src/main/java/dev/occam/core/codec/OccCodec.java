package dev.occam.core.codec;

import dev.occam.core.container.OccInputStream;
import dev.occam.core.container.OccOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Exposes a {@link BlockCodec} as a stream {@link Codec} writing and reading the {@code .occ} frame. */
public final class OccCodec implements Codec {
    private final BlockCodec blockCodec;
    private final CodecRegistry registry;

    OccCodec(BlockCodec blockCodec, CodecRegistry registry) {
        this.blockCodec = blockCodec;
        this.registry = registry;
    }

    public BlockCodec blockCodec() {
        return blockCodec;
    }

    @Override
    public String name() {
        return blockCodec.id();
    }

    @Override
    public String extension() {
        return ".occ";
    }

    @Override
    public String description() {
        return blockCodec.description();
    }

    @Override
    public int minLevel() {
        return blockCodec.minLevel();
    }

    @Override
    public int maxLevel() {
        return blockCodec.maxLevel();
    }

    @Override
    public int defaultLevel() {
        return blockCodec.defaultLevel();
    }

    @Override
    public boolean matches(byte[] head, int len) {
        return OccInputStream.matchesMagic(head, len);
    }

    @Override
    public OutputStream compress(OutputStream out, CodecOptions options) throws IOException {
        return compress(out, options, -1);
    }

    /** The frame header records {@code knownLength} when it is not -1. */
    @Override
    public OutputStream compress(OutputStream out, CodecOptions options, long knownLength) throws IOException {
        return new OccOutputStream(out, blockCodec, options, knownLength);
    }

    /** Decodes any .occ frame: the codec named in the frame header is looked up in the registry. */
    @Override
    public InputStream decompress(InputStream in, CodecOptions options) throws IOException {
        return new OccInputStream(in, registry::blockCodec, options);
    }
}
