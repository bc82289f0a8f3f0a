package dev.occam.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every single-byte corruption and every truncation of a small frame is refused, never wrong output. */
class OccFrameCorruptionTest {
    private static final int BS = 40;
    private static final BlockCodec CODEC = new TestCodecs.RunLength();
    private static final Function<String, BlockCodec> CODECS = TestCodecs.lookup(CODEC);
    /** With a model, parameters and the original length, so that every header field is present. */
    private static final CodecOptions OPTIONS = new CodecOptions(3, 1, BS, Map.of("model", "m1"));

    private static byte[] data() {
        byte[] d = Frames.mixed(5 * BS + 17, 99);
        Arrays.fill(d, BS, 2 * BS, (byte) 'a'); // a block that codes small for sure
        return d;
    }

    private static void assertRefused(byte[] frame, byte[] data, CodecOptions options, String what, long lo, long hi) {
        Frames.Attempt a = Frames.attempt(frame, CODECS, options);
        assertNotNull(a.error(), what + ": decoded without an error");
        CorruptInputException e = assertInstanceOf(CorruptInputException.class, a.error(), what + ": " + a.error());
        // a corrupt length in the frame header (read before its checksum) may run into the end of input
        boolean headerTruncation = e.reason().equals("truncated: the input ends inside the frame header (or a length field in it is corrupt)")
                && e.offset() == frame.length && lo < 80;
        assertTrue(headerTruncation || e.offset() >= lo && e.offset() <= hi,
                what + ": offset " + e.offset() + " outside [" + lo + ", " + hi + "]: " + e.getMessage());
        assertTrue(Frames.isPrefix(a.output(), data), what + ": released bytes that differ from the original");
    }

    @Test
    void frameHasCodedAndStoredBlocks() throws IOException {
        byte[] frame = Frames.encode(CODEC, OPTIONS, data(), data().length);
        BlockCodec storeAll = new TestCodecs.RunLength() {
            @Override
            public BlockEncoder newEncoder(CodecOptions options) {
                return (src, off, len) -> new byte[len];
            }
        };
        byte[] stored = Frames.encode(storeAll, OPTIONS, data(), data().length);
        assertTrue(frame.length < stored.length - 20, "some block is coded: " + frame.length + " vs " + stored.length);
        assertArrayEquals(data(), Frames.decode(frame, CODECS, OPTIONS));
    }

    @Test
    void everySingleByteCorruptionIsDetected() throws IOException {
        byte[] data = data();
        for (long declared : new long[] {data.length, -1}) {
            byte[] frame = Frames.encode(CODEC, OPTIONS, data, declared);
            // a change is found within the unit (header, block, end marker) that holds it
            long unit = 80 + BS + FrameFormat.MAX_BLOCK_HEADER;
            for (int p = 0; p < frame.length; p++) {
                for (int x : new int[] {0x01, 0xFF, 0x80}) {
                    byte[] bad = frame.clone();
                    bad[p] ^= (byte) x;
                    String what = "byte " + p + " ^ " + x + " (declared " + declared + ")";
                    long lo = Math.max(0, p - unit);
                    long hi = Math.min(frame.length, p + unit);
                    assertRefused(bad, data, OPTIONS, what, lo, hi);
                    if (x == 0xFF) assertRefused(bad, data, OPTIONS.withThreads(3), what + " threads 3", lo, hi);
                }
            }
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        byte[] data = data();
        byte[] frame = Frames.encode(CODEC, OPTIONS, data, -1);
        for (int cut = 0; cut < frame.length; cut++) {
            byte[] bad = Arrays.copyOf(frame, cut);
            for (int threads : new int[] {1, 2}) {
                Frames.Attempt a = Frames.attempt(bad, CODECS, OPTIONS.withThreads(threads));
                CorruptInputException e = assertInstanceOf(CorruptInputException.class, a.error(), "cut " + cut);
                assertTrue(e.reason().startsWith("truncated"), "cut " + cut + ": " + e.getMessage());
                assertEquals(cut, e.offset(), "cut " + cut + ": " + e.getMessage());
                assertTrue(Frames.isPrefix(a.output(), data), "cut " + cut);
            }
            CorruptInputException s = assertThrows(CorruptInputException.class,
                    () -> OccInputStream.scan(new ByteArrayInputStream(bad)), "scan, cut " + cut);
            assertTrue(s.reason().startsWith("truncated"), "scan, cut " + cut + ": " + s.getMessage());
        }
    }

    @Test
    void scanDetectsStructuralCorruption() throws IOException {
        byte[] frame = Frames.encode(CODEC, OPTIONS, data(), -1);
        int detected = 0;
        for (int p = 0; p < frame.length; p++) {
            byte[] bad = frame.clone();
            bad[p] ^= 0x01;
            try {
                OccInputStream.scan(new ByteArrayInputStream(bad));
            } catch (CorruptInputException e) {
                detected++;
                continue;
            } catch (IOException e) {
                fail("not a CorruptInputException at " + p + ": " + e);
            }
        }
        // scan does not decode, so only payload changes may pass: at most the payload bytes (< raw length)
        assertTrue(frame.length - detected <= data().length, detected + " of " + frame.length);
    }
}
