package dev.occam.core.codec.classic;

import static dev.occam.core.codec.classic.ClassicTesting.codec;
import static dev.occam.core.codec.classic.ClassicTesting.decompress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brotli decoding: streams built here from uncompressed meta-blocks (RFC 7932 section 9.2), and,
 * when the brotli tool is installed, streams it makes at test time.
 */
class BrotliCodecTest {
    @TempDir
    Path tmp;

    /**
     * A valid brotli stream storing {@code data} in uncompressed meta-blocks: WBITS=16 (one 0 bit);
     * per chunk ISLAST=0, MNIBBLES=4 (00), MLEN-1 (16 bits), ISUNCOMPRESSED=1, zero padding to a
     * byte, the bytes; then ISLAST=1, ISLASTEMPTY=1 and padding. Bits are packed LSB first.
     */
    static byte[] stored(byte[] data, int chunk) {
        BitWriter w = new BitWriter();
        w.bits(0, 1);
        for (int off = 0; off < data.length; off += chunk) {
            int n = Math.min(chunk, data.length - off);
            w.bits(0, 1);
            w.bits(0, 2);
            w.bits(n - 1, 16);
            w.bits(1, 1);
            w.align();
            for (int i = 0; i < n; i++) w.bits(data[off + i] & 0xFF, 8);
        }
        w.bits(1, 1);
        w.bits(1, 1);
        w.align();
        return w.out.toByteArray();
    }

    private static final class BitWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int acc;
        int count;

        void bits(int value, int n) {
            for (int i = 0; i < n; i++) {
                acc |= ((value >>> i) & 1) << count;
                if (++count == 8) align();
            }
        }

        void align() {
            if (count > 0) {
                out.write(acc);
                acc = 0;
                count = 0;
            }
        }
    }

    @Test
    void emptyStreamIsTheSingleByte06() {
        assertArrayEquals(new byte[] {0x06}, stored(new byte[0], 1000)); // WBITS 0, ISLAST 1, ISLASTEMPTY 1
    }

    @Test
    void decodesHandBuiltStreams() throws Exception {
        Codec c = codec("brotli");
        for (byte[] data : List.of(new byte[0], new byte[] {'x'}, ClassicTesting.words(1, 5000), ClassicTesting.random(2, 100_000))) {
            for (int chunk : new int[] {1, 777, 32768}) {
                if (chunk == 1 && data.length > 5000) continue;
                assertArrayEquals(data, decompress(c, stored(data, chunk)), data.length + " bytes in chunks of " + chunk);
            }
        }
        byte[] data = ClassicTesting.words(3, 3000);
        try (InputStream in = c.decompress(ClassicTesting.trickle(stored(data, 500)), CodecOptions.defaults())) {
            assertArrayEquals(data, ClassicTesting.readByteAtATime(in));
        }
    }

    @Test
    void everyTruncationOfAHandBuiltStreamIsAnError() throws Exception {
        Codec c = codec("brotli");
        byte[] packed = stored(ClassicTesting.words(4, 2000), 700);
        for (int len = 0; len < packed.length; len++) {
            byte[] cut = Arrays.copyOf(packed, len);
            CorruptInputException e = assertThrows(CorruptInputException.class, () -> decompress(c, cut), "prefix " + len);
            assertTrue(e.reason().startsWith("brotli: truncated"), e.reason());
            assertEquals(len, e.offset());
        }
    }

    @Test
    void trailingDataIsAnError() {
        Codec c = codec("brotli");
        byte[] packed = stored(ClassicTesting.words(5, 2000), 700);
        for (int extra : new int[] {1, 5, 10_000}) {
            byte[] withTail = ClassicRoundTripTest.concat(packed, ClassicTesting.random(extra, extra));
            CorruptInputException e = assertThrows(CorruptInputException.class, () -> decompress(c, withTail), extra + " trailing bytes");
            assertTrue(e.reason().startsWith("brotli: "), e.reason());
        }
    }

    @Test
    void neverClaimedByMagic() {
        Codec c = codec("brotli");
        assertFalse(c.matches(new byte[] {0x06}, 1));
        byte[] packed = stored(ClassicTesting.words(6, 100), 100);
        assertFalse(c.matches(packed, packed.length));
        assertTrue(c.description().contains("--format brotli"), c.description());
    }

    @Test
    void decodesTheBrotliToolsOutput() throws Exception {
        Path exe = ClassicInteropTest.requireTool("brotli");
        Codec c = codec("brotli");
        byte[] data = ClassicRoundTripTest.concat(ClassicTesting.words(7, 300_000), ClassicTesting.random(8, 50_000));
        Path in = tmp.resolve("in");
        Files.write(in, data);
        ClassicInteropTest runner = new ClassicInteropTest();
        runner.tmp = tmp;
        for (List<String> flags : List.of(List.of("-c", "-q", "0"), List.of("-c", "-q", "5"), List.of("-c", "-q", "11", "-w", "24"))) {
            byte[] packed = runner.run(exe, flags, in);
            assertArrayEquals(data, decompress(c, packed), "brotli " + flags);
        }
        // a small stream from the tool: every truncation fails, a corrupted byte never escapes as another exception
        Files.write(in, ClassicTesting.words(9, 2000));
        byte[] small = runner.run(exe, List.of("-c", "-q", "9"), in);
        for (int len = 0; len < small.length; len++) {
            byte[] cut = Arrays.copyOf(small, len);
            CorruptInputException e = assertThrows(CorruptInputException.class, () -> decompress(c, cut), "prefix " + len);
            assertTrue(e.reason().startsWith("brotli: "), e.reason());
        }
        SplittableRandom r = new SplittableRandom(10);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bad = small.clone();
            bad[r.nextInt(bad.length)] ^= (byte) (1 + r.nextInt(255));
            try {
                decompress(c, bad); // brotli has no checksum: different output is possible here
            } catch (CorruptInputException expected) {
                assertTrue(expected.reason().startsWith("brotli: "), expected.reason());
            }
        }
    }
}
