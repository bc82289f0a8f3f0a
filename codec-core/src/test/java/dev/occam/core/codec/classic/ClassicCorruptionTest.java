package dev.occam.core.codec.classic;

import static dev.occam.core.codec.classic.ClassicTesting.codec;
import static dev.occam.core.codec.classic.ClassicTesting.compress;
import static dev.occam.core.codec.classic.ClassicTesting.decompress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad compressed input: truncation, corruption, trailing data, garbage, source errors. */
class ClassicCorruptionTest {
    static Stream<String> compressing() {
        return ClassicTesting.compressing().stream();
    }

    /** A ~2 KB compressible input, compressed at a level that keeps decoder set-up cheap. */
    static byte[] small(String name) throws IOException {
        Codec c = codec(name);
        int level = switch (name) {
            case "xz" -> 0; // 256 KiB dictionary instead of 8 MiB per decoder
            case "bzip2" -> 1;
            default -> c.defaultLevel();
        };
        byte[] data = sample();
        return compress(c, data, CodecOptions.defaults().withLevel(level));
    }

    static byte[] sample() {
        // mixed: compressible words then a little noise, so every format emits real compressed blocks
        byte[] words = ClassicTesting.words(21, 1800);
        byte[] noise = ClassicTesting.random(22, 248);
        return ClassicRoundTripTest.concat(words, noise);
    }

    /** Decodes, returning the output or the CorruptInputException; any other failure fails the test. */
    static Object outcome(Codec c, byte[] packed) {
        try {
            return decompress(c, packed);
        } catch (CorruptInputException e) {
            return e;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(c.name() + ": expected CorruptInputException, got " + e, e);
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void everyTruncationIsAnError(String name) throws IOException {
        Codec c = codec(name);
        byte[] packed = small(name);
        assertArrayEquals(sample(), decompress(c, packed));
        TreeMap<String, Integer> reasons = new TreeMap<>();
        for (int len = 0; len < packed.length; len++) {
            Object r = outcome(c, Arrays.copyOf(packed, len));
            if (!(r instanceof CorruptInputException)) {
                fail(name + ": prefix of " + len + "/" + packed.length + " bytes decoded to " + ((byte[]) r).length + " bytes without error");
            }
            CorruptInputException e = (CorruptInputException) r;
            assertTrue(e.reason().startsWith(name + ": truncated input"), e.reason());
            // the decoder must have read to the end of the prefix to notice that it ends too early
            assertEquals(len, e.offset(), name + " offset for prefix " + len);
            reasons.merge(e.reason(), 1, Integer::sum);
        }
        System.out.println(name + " truncation reasons: " + reasons);
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void truncatingALargeStreamIsAnError(String name) throws IOException {
        // past the libraries' read-ahead buffers: the cut is found only after many refills
        Codec c = codec(name);
        byte[] data = ClassicRoundTripTest.concat(ClassicTesting.words(23, 600_000), ClassicTesting.random(24, 600_000));
        byte[] packed = compress(c, data, CodecOptions.defaults().withLevel(name.equals("xz") ? 1 : c.defaultLevel()));
        SplittableRandom rnd = new SplittableRandom(25);
        int[] cuts = {packed.length - 1, packed.length - 4, packed.length - 8, packed.length - 9, packed.length / 2,
            8192, 65536, 131072, rnd.nextInt(packed.length), rnd.nextInt(packed.length)};
        for (int len : cuts) {
            Object r = outcome(c, Arrays.copyOf(packed, len));
            assertTrue(r instanceof CorruptInputException, name + ": prefix " + len + "/" + packed.length + " accepted");
            CorruptInputException e = (CorruptInputException) r;
            assertTrue(e.reason().startsWith(name + ": truncated input"), e.reason());
            assertEquals(len, e.offset(), name + " offset for prefix " + len);
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void singleByteCorruptionNeverChangesOutputSilently(String name) throws IOException {
        Codec c = codec(name);
        byte[] packed = small(name);
        byte[] expected = sample();
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        int silent = 0;
        TreeMap<String, Integer> reasons = new TreeMap<>();
        for (int trial = 0; trial < 300; trial++) {
            byte[] bad = packed.clone();
            int pos = trial < packed.length && trial < 40 ? trial : rnd.nextInt(packed.length); // header bytes, then random
            bad[pos] ^= (byte) (1 + rnd.nextInt(255));
            Object r = outcome(c, bad);
            if (r instanceof CorruptInputException) {
                CorruptInputException e = (CorruptInputException) r;
                assertTrue(e.reason().startsWith(name + ": "), e.reason());
                // the decoder can only notice the damage after reading the damaged byte
                assertTrue(e.offset() > pos && e.offset() <= bad.length, name + ": offset " + e.offset() + " for damage at " + pos);
                reasons.merge(e.reason().replaceAll("[0-9]+", "#"), 1, Integer::sum);
            } else {
                assertArrayEquals(expected, (byte[]) r, name + ": corrupting byte " + pos + " changed the output without an error");
                silent++;
            }
        }
        System.out.println(name + " corruption: " + silent + " harmless, reasons " + reasons);
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void trailingGarbageIsAnError(String name) throws IOException {
        Codec c = codec(name);
        byte[] packed = small(name);
        for (byte[] tail : new byte[][] {{0}, {'x'}, "garbage after the stream".getBytes(), new byte[3], new byte[100_000]}) {
            if (name.equals("xz") && tail.length % 4 == 0 && allZero(tail)) continue; // xz stream padding, below
            Object r = outcome(c, ClassicRoundTripTest.concat(packed, tail));
            assertTrue(r instanceof CorruptInputException, name + ": " + tail.length + " trailing bytes accepted");
            CorruptInputException e = (CorruptInputException) r;
            assertTrue(e.reason().startsWith(name + ": "), e.reason());
            System.out.println(name + " trailing " + tail.length + ": " + e.getMessage());
        }
    }

    @Test
    void zlibWithPresetDictionaryIsRefusedClearly() {
        // header 78 BB: deflate, 32 KiB window, FDICT set (0x78BB = 31 * 997), then a dictionary id
        byte[] stream = {0x78, (byte) 0xBB, 0, 0, 0, 1, 0x03, 0x00};
        assertTrue(codec("deflate").matches(stream, stream.length));
        Object r = outcome(codec("deflate"), stream);
        assertTrue(r instanceof CorruptInputException);
        CorruptInputException e = (CorruptInputException) r;
        assertTrue(e.reason().contains("preset dictionary"), e.reason());
        assertEquals(6, e.offset(), "after the header and the dictionary id");
    }

    @Test
    void xzStreamPaddingIsAcceptedLikeTheXzTool() throws IOException {
        Codec c = codec("xz");
        byte[] packed = small("xz");
        assertArrayEquals(sample(), decompress(c, ClassicRoundTripTest.concat(packed, new byte[8])));
        assertTrue(outcome(c, ClassicRoundTripTest.concat(packed, new byte[6])) instanceof CorruptInputException);
    }

    @ParameterizedTest
    @MethodSource("allCodecs")
    void emptyAndGarbageInputAreErrors(String name) {
        Codec c = codec(name);
        Object empty = outcome(c, new byte[0]);
        assertTrue(empty instanceof CorruptInputException, name + " accepted empty input");
        assertEquals(0, ((CorruptInputException) empty).offset());
        for (int seed = 0; seed < 20; seed++) {
            byte[] garbage = ClassicTesting.random(seed, 1 + seed * 97);
            Object r = outcome(c, garbage);
            assertTrue(r instanceof CorruptInputException, name + " decoded garbage of " + garbage.length + " bytes");
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void validHeaderThenGarbageIsAnError(String name) throws IOException {
        Codec c = codec(name);
        byte[] real = small(name);
        SplittableRandom rnd = new SplittableRandom(name.hashCode() + 1L);
        for (int trial = 0; trial < 60; trial++) {
            int keep = 2 + rnd.nextInt(Math.min(40, real.length - 2));
            byte[] tail = ClassicTesting.random(rnd.nextLong(), 1 + rnd.nextInt(6000));
            byte[] bad = ClassicRoundTripTest.concat(Arrays.copyOf(real, keep), tail);
            Object r = outcome(c, bad);
            assertTrue(r instanceof CorruptInputException, name + ": " + keep + " real bytes + " + tail.length + " random decoded");
        }
    }

    static Stream<String> allCodecs() {
        return Stream.of("gzip", "bzip2", "xz", "zstd", "lz4", "deflate", "brotli");
    }

    @ParameterizedTest
    @MethodSource("allCodecs")
    void sourceIoErrorsPassThroughUnchanged(String name) throws IOException {
        Codec c = codec(name);
        byte[] data = ClassicTesting.random(5, 100_000);
        byte[] packed = name.equals("brotli") ? BrotliCodecTest.stored(data, 32768) : compress(c, data);
        IOException boom = new IOException("disk on fire");
        InputStream failing = new InputStream() {
            private final ByteArrayInputStream head = new ByteArrayInputStream(packed, 0, Math.min(packed.length, 1000));

            @Override
            public int read() throws IOException {
                int b = head.read();
                if (b < 0) throw boom;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = head.read(b, off, len);
                if (n <= 0 && len > 0) throw boom;
                return n;
            }
        };
        try (InputStream in = c.decompress(failing, CodecOptions.defaults())) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertSame(boom, e, name + " must not disguise an I/O error of its source: " + e);
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
