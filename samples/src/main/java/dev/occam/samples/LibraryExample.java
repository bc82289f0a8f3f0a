package dev.occam.samples;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Occam as a library: compress and decompress with a codec from the registry, let the registry
 * detect the format by magic, and reach the same codecs through Commons Compress.
 *
 * <p>Run: {@code java -cp samples/target/classes:<class path> dev.occam.samples.LibraryExample}.
 */
public final class LibraryExample {
    private LibraryExample() {
    }

    /** Compresses {@code data} with the named codec (e.g. "o2", "zstd") and the given threads. */
    public static byte[] compress(String codecName, byte[] data, int threads) throws IOException {
        Codec codec = CodecRegistry.getDefault().get(codecName);
        if (codec == null) throw new IllegalArgumentException("unknown codec " + codecName);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = codec.compress(bos, CodecOptions.defaults().withThreads(threads))) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    /** Decompresses anything the registry recognises by its first bytes (.occ, gzip, xz, zstd, ...). */
    public static byte[] decompress(byte[] compressed) throws IOException {
        CodecRegistry registry = CodecRegistry.getDefault();
        Codec codec = registry.detect(compressed, Math.min(compressed.length, CodecRegistry.probeLength()));
        if (codec == null) throw new IOException("not a compressed format this build knows");
        try (InputStream in = codec.decompress(new ByteArrayInputStream(compressed), CodecOptions.defaults())) {
            return in.readAllBytes();
        }
    }

    /** The same o2 codec through Commons Compress's factory (Occam registers a CompressorStreamProvider). */
    public static byte[] roundTripThroughCommonsCompress(byte[] data) throws IOException, CompressorException {
        CompressorStreamFactory factory = new CompressorStreamFactory();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = factory.createCompressorOutputStream("o2", bos)) {
            out.write(data);
        }
        try (InputStream in = factory.createCompressorInputStream("occ", new ByteArrayInputStream(bos.toByteArray()))) {
            return in.readAllBytes();
        }
    }

    public static void main(String[] args) throws Exception {
        byte[] text = "Entities should not be multiplied beyond necessity. ".repeat(2000)
                .getBytes(StandardCharsets.UTF_8);
        for (String name : new String[] {"o2", "zstd", "xz", "gzip"}) {
            byte[] c = compress(name, text, 2);
            byte[] d = decompress(c);
            System.out.printf("%-5s %7d -> %6d bytes, round trip %s%n", name, text.length, c.length,
                    java.util.Arrays.equals(text, d) ? "ok" : "FAILED");
        }
        System.out.println("commons-compress o2 round trip: "
                + (java.util.Arrays.equals(text, roundTripThroughCommonsCompress(text)) ? "ok" : "FAILED"));
    }
}
