package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecRegistry;

/** The real codecs the CLI tests use: they are part of the build, so a missing one is a failure. */
final class RealCodecs {
    private RealCodecs() {
    }

    static Codec require(String name) {
        Codec c = CodecRegistry.getDefault().get(name);
        assertNotNull(c, () -> "codec '" + name + "' is not registered (META-INF/services)");
        return c;
    }
}
