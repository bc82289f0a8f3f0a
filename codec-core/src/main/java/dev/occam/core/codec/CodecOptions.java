package dev.occam.core.codec;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Options for one compress/decompress call. Immutable; use the {@code with*} methods.
 *
 * @param level      codec level, or {@link #DEFAULT_LEVEL} for the codec's default
 * @param threads    worker threads for block-parallel codecs; 0 = all cores, 1 = in the caller's thread
 * @param blockSize  raw bytes per independent .occ block, 0 = the codec's default
 * @param extras     codec-specific options ("model" -> path, ...), sorted by key
 */
public record CodecOptions(int level, int threads, int blockSize, Map<String, String> extras) {
    public static final int DEFAULT_LEVEL = Integer.MIN_VALUE;
    public static final CodecOptions DEFAULTS = new CodecOptions(DEFAULT_LEVEL, 1, 0, Map.of());

    public CodecOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0: " + threads);
        if (blockSize < 0) throw new IllegalArgumentException("blockSize must be >= 0: " + blockSize);
        extras = Map.copyOf(new TreeMap<>(Objects.requireNonNull(extras)));
    }

    public static CodecOptions defaults() {
        return DEFAULTS;
    }

    public CodecOptions withLevel(int newLevel) {
        return new CodecOptions(newLevel, threads, blockSize, extras);
    }

    public CodecOptions withThreads(int newThreads) {
        return new CodecOptions(level, newThreads, blockSize, extras);
    }

    public CodecOptions withBlockSize(int newBlockSize) {
        return new CodecOptions(level, threads, newBlockSize, extras);
    }

    public CodecOptions with(String key, String value) {
        TreeMap<String, String> m = new TreeMap<>(extras);
        m.put(key, value);
        return new CodecOptions(level, threads, blockSize, m);
    }

    /** The level to use for a codec: the given one, or the codec's default. */
    public int levelOr(int codecDefault) {
        return level == DEFAULT_LEVEL ? codecDefault : level;
    }

    /** Threads resolved: 0 becomes the number of available processors. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    public String extra(String key) {
        return extras.get(key);
    }
}
