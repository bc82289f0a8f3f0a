package dev.occam.core.codec.classic;

import static dev.occam.core.codec.classic.ClassicTesting.codec;
import static dev.occam.core.codec.classic.ClassicTesting.compress;
import static dev.occam.core.codec.classic.ClassicTesting.decompress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Behaviour that depends on how the codecs sit on Commons Compress: the xz memory limit, zstd
 * skippable frames anywhere in the stream, and the deflate decoder's refusals that Commons
 * Compress's own zlib stream would let through.
 */
class ClassicLibraryLayerTest {
    private static final long MIB = 1L << 20;

    @Test
    void xzMemoryLimitIsThreeQuartersOfTheHeapInKiB() {
        assertEquals(3 * 1024 * 1024, XzCodec.memoryLimitKiB(4096 * MIB)); // 4 GiB heap -> 3 GiB
        assertEquals(768, XzCodec.memoryLimitKiB(MIB)); // 1 MiB -> 768 KiB
        assertEquals(Integer.MAX_VALUE, XzCodec.memoryLimitKiB(Long.MAX_VALUE));
    }

    @Test
    void xzStreamOverTheMemoryLimitIsAResourceErrorNotCorruption() throws IOException {
        XzCodec xz = (XzCodec) codec("xz");
        byte[] data = ClassicTesting.words(41, 20_000);
        byte[] packed = compress(xz, data, CodecOptions.defaults().withLevel(6)); // preset 6: 8 MiB dictionary
        try (InputStream in = xz.decoder(new ByteArrayInputStream(packed), 1024)) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(e instanceof ResourceLimitException, "not corrupt input: " + e);
            assertTrue(e.getMessage().startsWith("xz: decoding this stream needs "), e.getMessage());
            assertTrue(e.getMessage().contains(" MiB of memory; the limit is 1 MiB (3/4 of the JVM heap; raise -Xmx)"),
                    e.getMessage());
            // the dictionary alone is 8 MiB, so the reported need is at least that
            int needed = Integer.parseInt(e.getMessage().replaceAll("^xz: decoding this stream needs ([0-9]+) MiB.*$", "$1"));
            assertTrue(needed >= 8, e.getMessage());
        }
        // the same stream within a sufficient limit decodes
        try (InputStream in = xz.decoder(new ByteArrayInputStream(packed), 64 * 1024)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        // preset 0 (256 KiB dictionary) fits in 1 MiB
        byte[] small = compress(xz, data, CodecOptions.defaults().withLevel(0));
        try (InputStream in = xz.decoder(new ByteArrayInputStream(small), 1024)) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    /** A zstd/lz4 skippable frame with magic 0x184D2A5n and the given payload. */
    private static byte[] skippable(int n, byte[] payload) {
        byte[] f = new byte[8 + payload.length];
        f[0] = (byte) (0x50 | n);
        f[1] = 0x2A;
        f[2] = 0x4D;
        f[3] = 0x18;
        for (int i = 0; i < 4; i++) f[4 + i] = (byte) (payload.length >>> (8 * i));
        System.arraycopy(payload, 0, f, 8, payload.length);
        return f;
    }

    @Test
    void zstdSkippableFramesBetweenAndAfterFramesAreSkipped() throws IOException {
        Codec zstd = codec("zstd");
        byte[] a = ClassicTesting.words(42, 5000);
        byte[] b = ClassicTesting.random(43, 3000);
        byte[] stream = ClassicRoundTripTest.concat(compress(zstd, a), skippable(7, ClassicTesting.random(44, 100)));
        stream = ClassicRoundTripTest.concat(stream, compress(zstd, b));
        stream = ClassicRoundTripTest.concat(stream, skippable(0, new byte[0]));
        assertArrayEquals(ClassicRoundTripTest.concat(a, b), decompress(zstd, stream));
        // a skippable frame whose payload is cut short is truncation, garbage after one is an error
        byte[] cut = ClassicRoundTripTest.concat(compress(zstd, a), skippable(1, new byte[50]));
        CorruptInputException e = assertThrows(CorruptInputException.class,
                () -> decompress(zstd, java.util.Arrays.copyOf(cut, cut.length - 10)));
        assertTrue(e.reason().startsWith("zstd: truncated input"), e.reason());
        byte[] tail = ClassicRoundTripTest.concat(ClassicRoundTripTest.concat(compress(zstd, a), skippable(2, new byte[4])),
                "not a frame".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        e = assertThrows(CorruptInputException.class, () -> decompress(zstd, tail));
        assertTrue(e.reason().startsWith("zstd: "), e.reason());
    }

    @Test
    void zlibTrailingBytesAndPresetDictionaryAreRefused() throws IOException {
        // Commons Compress's DeflateCompressorInputStream accepts both of these silently (the
        // trailing bytes vanish in its InflaterInputStream buffer, and a stream that needs a preset
        // dictionary "decodes" to nothing); ZlibInputStream is kept for them
        Codec deflate = codec("deflate");
        byte[] packed = compress(deflate, ClassicTesting.words(45, 600));
        CorruptInputException e = assertThrows(CorruptInputException.class,
                () -> decompress(deflate, ClassicRoundTripTest.concat(packed, new byte[] {'x', 'y', 'z'})));
        assertTrue(e.reason().startsWith("deflate: trailing data"), e.reason());
        assertEquals(packed.length, e.offset());
        byte[] dict = {0x78, (byte) 0xBB, 0, 0, 0, 1, 0x03, 0x00};
        e = assertThrows(CorruptInputException.class, () -> decompress(deflate, dict));
        assertTrue(e.reason().contains("preset dictionary"), e.reason());
    }
}
