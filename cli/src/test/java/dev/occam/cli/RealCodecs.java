package dev.occam.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Guards for tests of the real codecs: they skip (with the reason) while a codec is not registered
 * or its streams are still the placeholders that throw "... missing".
 */
final class RealCodecs {
    private RealCodecs() {
    }

    static Codec assumeUsable(String name) {
        Codec c = CodecRegistry.getDefault().get(name);
        assumeTrue(c != null, () -> "skipped: codec '" + name + "' is not registered yet (its module is not merged)");
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (OutputStream z = c.compress(bos, CodecOptions.defaults())) {
                z.write("probe probe probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            try (InputStream z = c.decompress(new ByteArrayInputStream(bos.toByteArray()), CodecOptions.defaults())) {
                z.readAllBytes();
            }
        } catch (IOException e) {
            boolean placeholder = e.getMessage() != null && e.getMessage().endsWith(" missing");
            assumeTrue(!placeholder, () -> "skipped: codec '" + name + "' still uses a placeholder (" + e.getMessage() + ")");
            throw new AssertionError("codec " + name + " fails a tiny round trip", e);
        }
        return c;
    }
}
