package dev.occam.core.o2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import dev.occam.core.container.FrameHeader;
import dev.occam.core.testing.Assets;
import dev.occam.core.testing.BlockCodecChecks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class O2CodecTest {
    private final O2Codec codec = new O2Codec();
    private final CodecOptions options = CodecOptions.defaults();

    private FrameHeader header() throws IOException {
        return new FrameHeader(1, codec.id(), codec.parameters(options), null, -1, 1 << 20);
    }

    private byte[] roundTrip(byte[] data) throws IOException {
        byte[] coded = codec.newEncoder(options).encode(data, 0, data.length);
        byte[] back = new byte[data.length];
        codec.newDecoder(header(), options).decode(coded, 0, coded.length, back, 0, back.length);
        assertArrayEquals(data, back);
        return coded;
    }

    @Test
    void emptyAndTinyBlocks() throws IOException {
        roundTrip(new byte[0]);
        roundTrip(new byte[] {0});
        roundTrip(new byte[] {(byte) 0xFF});
        roundTrip("ab".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234567})
    void randomDataOfVariousShapes(long seed) throws IOException {
        Random r = new Random(seed);
        int n = r.nextInt(200_000);
        byte[] data = new byte[n];
        int alphabet = 1 + r.nextInt(256);
        for (int i = 0; i < n; i++) data[i] = (byte) r.nextInt(alphabet);
        byte[] coded = roundTrip(data);
        // ideal for i.i.d. uniform symbols over `alphabet` values; on top of it the model pays for
        // learning (many contexts, few samples each) and the probability floor on certain bits
        double ideal = n * (Math.log(alphabet) / Math.log(2)) / 8;
        double floorCost = n * 8 * -(Math.log(1 - 32 / 65536.0) / Math.log(2)) / 8;
        assertTrue(coded.length <= ideal * 1.25 + floorCost + 64,
                "seed " + seed + ": " + coded.length + " vs ideal " + ideal);
    }

    @Test
    void allByteValuesAndLongRuns() throws IOException {
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i < 256 ? i : i / 1000);
        byte[] coded = roundTrip(data);
        assertTrue(coded.length < data.length / 20, "runs should compress: " + coded.length);
    }

    @Test
    void beatsOrderZeroEntropyOnRealText() throws IOException {
        byte[] text = Files.readAllBytes(Assets.require("text/canterbury/alice29.txt"));
        byte[] coded = roundTrip(text);
        long[] counts = new long[256];
        for (byte b : text) counts[b & 0xFF]++;
        double order0Bits = 0;
        for (long c : counts) if (c > 0) order0Bits -= c * (Math.log((double) c / text.length) / Math.log(2));
        double bpc = 8.0 * coded.length / text.length;
        assertTrue(coded.length * 8.0 < order0Bits * 0.80,
                "order-2 should beat the order-0 entropy by 20%+: " + bpc + " bpc vs " + order0Bits / text.length);
    }

    @Test
    void encoderIsReusableAndBlocksAreIndependent() throws IOException {
        BlockCodec.BlockEncoder enc = codec.newEncoder(options);
        byte[] a = "the quick brown fox jumps over the lazy dog ".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] first = enc.encode(a, 0, a.length);
        byte[] other = enc.encode(new byte[5000], 0, 5000);
        byte[] again = enc.encode(a, 0, a.length);
        assertArrayEquals(first, again, "model state leaked from one block into the next");
        assertTrue(other.length > 0);
    }

    @Test
    void garbageNeverEscapesAsRuntimeException() throws IOException {
        BlockCodecChecks.garbageNeverEscapes(codec.newDecoder(header(), options), 7, 300);
    }

    /**
     * A block's coded length comes from the frame, and the range coder legitimately pads a few
     * missing tail bytes with zeros, so a cut block may decode to wrong bytes: catching that is the
     * frame's block CRC32C (see the frame corruption tests). Here: never anything but a
     * CorruptInputException, and a cut deep into the data must be reported as truncation.
     */
    @Test
    void truncatedBlockFailsCleanly() throws IOException {
        byte[] text = "abracadabra, abracadabra, abracadabra!".repeat(50).getBytes(StandardCharsets.US_ASCII);
        byte[] coded = codec.newEncoder(options).encode(text, 0, text.length);
        BlockCodec.BlockDecoder dec = codec.newDecoder(header(), options);
        int refused = 0;
        for (int cut = 0; cut < coded.length; cut++) {
            byte[] back = new byte[text.length];
            try {
                dec.decode(coded, 0, cut, back, 0, back.length);
            } catch (CorruptInputException expected) {
                assertTrue(expected.getMessage().contains("truncated"), expected.getMessage());
                refused++;
            }
        }
        assertTrue(refused >= coded.length - 8, "only the last 8 cuts may go unnoticed here: " + refused + "/" + coded.length);
    }

    @Test
    void tableSizeFollowsTheBlockSize() throws IOException {
        assertEquals(16, O2Codec.tableBits(100));
        assertEquals(21, O2Codec.tableBits(64 << 10)); // 8192 slots >= 65536 / 16
        assertEquals(22, O2Codec.tableBits(1 << 20));
        assertEquals(22, O2Codec.tableBits(64 << 20));
        // the decoder takes the size from the frame parameters, not from its own options
        byte[] data = "small blocks, small tables; ".repeat(40).getBytes(StandardCharsets.US_ASCII);
        CodecOptions small = options.withBlockSize(4096);
        byte[] coded = codec.newEncoder(small).encode(data, 0, data.length);
        FrameHeader h = new FrameHeader(1, "o2", codec.parameters(small), null, -1, 4096);
        byte[] back = new byte[data.length];
        codec.newDecoder(h, options).decode(coded, 0, coded.length, back, 0, back.length);
        assertArrayEquals(data, back);
    }

    @Test
    void unknownParameterVersionIsRefused() {
        FrameHeader h = new FrameHeader(1, "o2", new byte[] {9, 22}, null, -1, 1 << 20);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> codec.newDecoder(h, options));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void registeredAndRoundTripsThroughTheFrameWithThreads() throws IOException {
        CodecRegistry reg = CodecRegistry.getDefault();
        assertEquals(codec.id(), reg.blockCodec("o2").id());
        byte[] data = new byte[3_000_000];
        Random r = new Random(11);
        for (int i = 0; i < data.length; i++) data[i] = (byte) ('a' + (r.nextInt(26) & r.nextInt(26)));
        byte[] single = frame(reg, data, options.withBlockSize(256 << 10).withThreads(1));
        byte[] multi = frame(reg, data, options.withBlockSize(256 << 10).withThreads(4));
        assertArrayEquals(single, multi, "-T must not change the output");
        try (InputStream in = reg.get("o2").decompress(new ByteArrayInputStream(multi), options.withThreads(3))) {
            assertTrue(Arrays.equals(data, in.readAllBytes()));
        }
    }

    private static byte[] frame(CodecRegistry reg, byte[] data, CodecOptions opts) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = reg.get("o2").compress(bos, opts)) {
            out.write(data);
        }
        return bos.toByteArray();
    }
}
