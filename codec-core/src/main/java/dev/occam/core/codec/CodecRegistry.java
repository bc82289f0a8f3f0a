package dev.occam.core.codec;

import dev.occam.core.container.OccInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * All codecs found with {@link ServiceLoader}: stream {@link Codec}s (classical formats) and
 * {@link BlockCodec}s (Occam's own, each exposed as an {@link OccCodec}).
 */
public final class CodecRegistry {
    private static volatile CodecRegistry defaultRegistry;

    private final Map<String, Codec> byName = new LinkedHashMap<>();
    private final Map<String, BlockCodec> blockCodecs = new LinkedHashMap<>();
    private final List<Codec> codecs = new ArrayList<>();

    /** A registry over the given codecs (tests, embedding). */
    public CodecRegistry(Iterable<Codec> streamCodecs, Iterable<BlockCodec> frameCodecs) {
        for (BlockCodec b : frameCodecs) {
            if (blockCodecs.putIfAbsent(b.id(), b) != null) {
                throw new IllegalStateException("two block codecs with id " + b.id());
            }
            add(new OccCodec(b, this));
        }
        for (Codec c : streamCodecs) add(c);
    }

    private void add(Codec c) {
        for (String n : names(c)) {
            if (byName.putIfAbsent(n, c) != null) throw new IllegalStateException("two codecs named " + n);
        }
        codecs.add(c);
    }

    private static List<String> names(Codec c) {
        List<String> n = new ArrayList<>();
        n.add(c.name().toLowerCase(Locale.ROOT));
        for (String a : c.aliases()) n.add(a.toLowerCase(Locale.ROOT));
        return n;
    }

    /** The registry of everything on the class path (loaded once). */
    public static CodecRegistry getDefault() {
        CodecRegistry r = defaultRegistry;
        if (r == null) {
            synchronized (CodecRegistry.class) {
                r = defaultRegistry;
                if (r == null) {
                    ClassLoader cl = CodecRegistry.class.getClassLoader();
                    r = new CodecRegistry(ServiceLoader.load(Codec.class, cl), ServiceLoader.load(BlockCodec.class, cl));
                    defaultRegistry = r;
                }
            }
        }
        return r;
    }

    /** Every codec, Occam's first, in registration order. */
    public List<Codec> all() {
        return Collections.unmodifiableList(codecs);
    }

    /** The codec with this name or alias (case-insensitive), or null. */
    public Codec get(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** The block codec with this frame id, or null. */
    public BlockCodec blockCodec(String id) {
        return blockCodecs.get(id);
    }

    /**
     * The codec that can decode a stream starting with {@code head[0..len)}, or null. Every .occ
     * frame is claimed by the first {@link OccCodec}, which dispatches on the frame's codec id.
     */
    public Codec detect(byte[] head, int len) {
        if (OccInputStream.matchesMagic(head, len)) {
            for (Codec c : codecs) if (c instanceof OccCodec) return c;
            return null;
        }
        for (Codec c : codecs) {
            if (!(c instanceof OccCodec) && c.matches(head, len)) return c;
        }
        return null;
    }

    /** How many leading bytes {@link #detect} wants to see. */
    public static int probeLength() {
        return 16;
    }
}
