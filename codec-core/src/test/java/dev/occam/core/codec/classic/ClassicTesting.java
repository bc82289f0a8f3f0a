package dev.occam.core.codec.classic;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/** Shared helpers for the classical codec tests. */
final class ClassicTesting {
    private ClassicTesting() {
    }

    private static final CodecRegistry REGISTRY = new CodecRegistry(ServiceLoader.load(Codec.class), List.of());

    /** A registry of exactly the service-file codecs (no Occam frame codecs). */
    static CodecRegistry registry() {
        return REGISTRY;
    }

    static Codec codec(String name) {
        Codec c = registry().get(name);
        if (c == null) throw new AssertionError("no codec " + name);
        return c;
    }

    /** The codecs that can compress, in registration order. */
    static List<String> compressing() {
        return List.of("gzip", "bzip2", "xz", "zstd", "lz4", "deflate");
    }

    static byte[] compress(Codec codec, byte[] data, CodecOptions options) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = codec.compress(bos, options)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    static byte[] compress(Codec codec, byte[] data) throws IOException {
        return compress(codec, data, CodecOptions.defaults());
    }

    static byte[] decompress(Codec codec, byte[] packed) throws IOException {
        try (InputStream in = codec.decompress(new ByteArrayInputStream(packed), CodecOptions.defaults())) {
            return in.readAllBytes();
        }
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) b[i + j] = (byte) (v >>> (8 * j));
        }
        return b;
    }

    /** Text-like, mildly compressible data: words from a small vocabulary. */
    static byte[] words(long seed, int n) {
        String[] vocab = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "and ", "runs ",
            "away ", "from ", "a ", "cat ", "\n", "compression ", "entropy ", "model "};
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(n + 16);
        while (sb.length() < n) sb.append(vocab[r.nextInt(vocab.length)]);
        return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    /** Highly repetitive data: a short pattern repeated. */
    static byte[] repetitive(int n) {
        byte[] b = new byte[n];
        byte[] pat = "occam-".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) b[i] = pat[i % pat.length];
        return b;
    }

    /** Reads one byte at a time through read(). */
    static byte[] readByteAtATime(InputStream in) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) bos.write(b);
        return bos.toByteArray();
    }

    /** An input stream that hands out at most one byte per read call (a slow pipe). */
    static InputStream trickle(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) return 0;
                if (pos >= data.length) return -1;
                b[off] = data[pos++];
                return 1;
            }
        };
    }
}
