package dev.occam.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LibraryExampleTest {
    private static final byte[] TEXT = "the library example must keep working; ".repeat(500)
            .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"o2", "zstd", "xz", "gzip", "bzip2", "lz4", "deflate"})
    void compressThenDetectAndDecompress(String codec) throws IOException {
        byte[] c = LibraryExample.compress(codec, TEXT, 2);
        assertTrue(c.length < TEXT.length / 4, codec + " should shrink repetitive text: " + c.length);
        assertArrayEquals(TEXT, LibraryExample.decompress(c));
    }

    @Test
    void commonsCompressFindsOccam() throws Exception {
        assertArrayEquals(TEXT, LibraryExample.roundTripThroughCommonsCompress(TEXT));
    }

    @Test
    void unknownInputIsRefused() {
        assertThrows(IOException.class, () -> LibraryExample.decompress(TEXT));
    }
}
