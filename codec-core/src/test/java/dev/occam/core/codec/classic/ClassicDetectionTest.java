package dev.occam.core.codec.classic;

import static dev.occam.core.codec.classic.ClassicTesting.codec;
import static dev.occam.core.codec.classic.ClassicTesting.compress;
import static dev.occam.core.codec.classic.ClassicTesting.decompress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Format detection by magic through {@link CodecRegistry#detect}. */
class ClassicDetectionTest {
    /** Magic length per format (bzip2: "BZh" + level digit; zlib: the two header bytes). */
    private static final Map<String, Integer> MAGIC_LENGTH = Map.of("gzip", 2, "bzip2", 4, "xz", 6, "zstd", 4, "lz4", 4, "deflate", 2);

    static Stream<String> compressing() {
        return ClassicTesting.compressing().stream();
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void detectsItsOwnOutputFromShortAndFullHeads(String name) throws IOException {
        CodecRegistry reg = ClassicTesting.registry();
        Codec c = reg.get(name);
        for (byte[] data : new byte[][] {new byte[0], "hello".getBytes(StandardCharsets.US_ASCII), ClassicTesting.random(1, 5000)}) {
            for (int level : new int[] {c.minLevel(), c.defaultLevel(), c.maxLevel()}) {
                if ((name.equals("xz") && level == 9) || (name.equals("zstd") && level > 19)) continue; // same header, slow set-up
                byte[] packed = compress(c, data, CodecOptions.defaults().withLevel(level));
                int probe = Math.min(packed.length, CodecRegistry.probeLength());
                assertSame(c, reg.detect(packed, probe), name + " level " + level);
                int magic = MAGIC_LENGTH.get(name);
                assertSame(c, reg.detect(Arrays.copyOf(packed, magic), magic), name + " from exactly its magic");
                for (int len = 0; len < magic; len++) {
                    assertFalse(c.matches(Arrays.copyOf(packed, len), len), name + " claims a " + len + "-byte head");
                    assertFalse(c.matches(packed, len), name + " claims the first " + len + " bytes of a longer array");
                }
                // len larger than the array must not throw
                assertFalse(c.matches(Arrays.copyOf(packed, 1), 5));
                // exactly one classical codec claims the stream
                long claimants = reg.all().stream().filter(o -> o.matches(packed, probe)).count();
                assertEquals(1, claimants, name + " output claimed by " + claimants + " codecs");
            }
        }
    }

    @Test
    void zlibHeadersOfEveryDeflaterLevelAreDetected() throws IOException {
        Codec zlib = codec("deflate");
        for (int level = 0; level <= 9; level++) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            Deflater d = new Deflater(level);
            try (DeflaterOutputStream out = new DeflaterOutputStream(bos, d)) {
                out.write(ClassicTesting.words(2, 1000));
            } finally {
                d.end();
            }
            byte[] packed = bos.toByteArray();
            assertSame(zlib, ClassicTesting.registry().detect(packed, 2), "java.util.zip level " + level + " header "
                    + Integer.toHexString(packed[0] & 0xFF) + " " + Integer.toHexString(packed[1] & 0xFF));
        }
    }

    @Test
    void zlibCheckRefusesNearMisses() {
        Codec zlib = codec("deflate");
        assertTrue(zlib.matches(new byte[] {0x78, (byte) 0x9c}, 2));
        assertFalse(zlib.matches(new byte[] {0x78, (byte) 0x9d}, 2), "check bits wrong");
        assertFalse(zlib.matches(new byte[] {0x79, (byte) 0x9c}, 2), "method 9");
        for (int flg = 0; flg < 256; flg++) {
            assertFalse(zlib.matches(new byte[] {(byte) 0x88, (byte) flg}, 2), "window 2^16 (CINFO 8) is invalid");
            assertFalse(zlib.matches(new byte[] {0x77, (byte) flg}, 2), "method 7");
        }
        // the other formats' first two bytes (zstd's 28 b5 has CM 8) never pass the check
        int[][] others = {{0x1f, 0x8b}, {'B', 'Z'}, {0xFD, 0x37}, {0x28, 0xB5}, {0x04, 0x22}};
        for (int[] o : others) assertFalse(zlib.matches(new byte[] {(byte) o[0], (byte) o[1]}, 2));
        for (int b0 = 0x50; b0 <= 0x5F; b0++) assertFalse(zlib.matches(new byte[] {(byte) b0, 0x2A}, 2), "skippable frame");
    }

    @Test
    void skippableFrameBeforeAZstdFrame() throws IOException {
        Codec zstd = codec("zstd");
        byte[] data = ClassicTesting.words(3, 4000);
        byte[] skippable = {0x53, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'};
        byte[] stream = ClassicRoundTripTest.concat(skippable, compress(zstd, data));
        assertSame(zstd, ClassicTesting.registry().detect(stream, 16));
        assertArrayEquals(data, decompress(zstd, stream));
        // the lz4 frame format has the same skippable frames; its decoder skips them too
        Codec lz4 = codec("lz4");
        assertArrayEquals(data, decompress(lz4, ClassicRoundTripTest.concat(skippable, compress(lz4, data))));
    }

    @Test
    void plainDataIsNotDetected() {
        CodecRegistry reg = ClassicTesting.registry();
        for (String s : new String[] {"", "h", "hello world", "BZh", "BZhx....", "{\"json\": 1}", "\u00fd7zXZ"}) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            assertNull(reg.detect(b, b.length), s);
        }
    }
}
