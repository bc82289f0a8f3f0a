package dev.occam.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The default registry finds the classical codecs through the service file. */
class CodecRegistryTest {
    private static final List<String> CLASSIC = List.of("gzip", "bzip2", "xz", "zstd", "lz4", "deflate", "brotli");

    private static List<String> classicNames(CodecRegistry r) {
        return r.all().stream().filter(c -> !(c instanceof OccCodec)).map(Codec::name).collect(Collectors.toList());
    }

    @Test
    void defaultRegistryListsTheClassicalCodecsInOrder() {
        CodecRegistry r = CodecRegistry.getDefault();
        assertSame(r, CodecRegistry.getDefault());
        assertEquals(CLASSIC, classicNames(r));
        assertEquals(CLASSIC, classicNames(new CodecRegistry(ServiceLoader.load(Codec.class), List.of())));
    }

    @Test
    void namesAndAliasesAreCaseInsensitive() {
        CodecRegistry r = CodecRegistry.getDefault();
        assertEquals("gzip", r.get("GZ").name());
        assertEquals("bzip2", r.get("bz2").name());
        assertEquals("zstd", r.get("Zst").name());
        assertEquals("brotli", r.get("br").name());
        assertEquals("deflate", r.get("zlib").name());
        assertEquals("xz", r.get("XZ").name());
        assertNull(r.get("rar"));
    }

    @Test
    void extensionsAndLevelsAreConsistent() {
        Set<String> ext = new HashSet<>();
        for (String n : CLASSIC) {
            Codec c = CodecRegistry.getDefault().get(n);
            assertTrue(ext.add(c.extension()), "duplicate extension " + c.extension());
            assertTrue(c.extension().startsWith("."), c.extension());
            assertTrue(c.minLevel() <= c.defaultLevel() && c.defaultLevel() <= c.maxLevel(), n);
            assertTrue(!c.description().isBlank(), n);
        }
        assertEquals(Set.of(".gz", ".bz2", ".xz", ".zst", ".lz4", ".zz", ".br"), ext);
    }

    @Test
    void detectFindsEachCompressingCodecsOutput() throws IOException {
        CodecRegistry r = CodecRegistry.getDefault();
        for (String n : CLASSIC) {
            Codec c = r.get(n);
            if (!c.canCompress()) continue;
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (OutputStream out = c.compress(bos, CodecOptions.defaults())) {
                out.write("detect me please, detect me please".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            byte[] b = bos.toByteArray();
            assertSame(c, r.detect(b, Math.min(b.length, CodecRegistry.probeLength())), n);
        }
        assertNull(r.detect(new byte[0], 0));
    }

    @Test
    void duplicateNamesAreRefused() {
        Codec gzip = CodecRegistry.getDefault().get("gzip");
        assertThrows(IllegalStateException.class, () -> new CodecRegistry(List.of(gzip, gzip), List.of()));
    }
}
