package dev.occam.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips through OccOutputStream / OccInputStream, header fields, scan. */
class OccFrameRoundTripTest {
    private static final int BS = 64;

    static Stream<Arguments> cases() {
        List<BlockCodec> codecs = List.of(new TestCodecs.RunLength(), new TestCodecs.Identity());
        int[] sizes = {0, 1, BS - 1, BS, BS + 1, 37 * BS + 5};
        Stream.Builder<Arguments> b = Stream.builder();
        for (BlockCodec c : codecs) for (int n : sizes) for (int t : new int[] {1, 4}) b.add(Arguments.of(c, n, t));
        return b.build();
    }

    @ParameterizedTest(name = "{0} n={1} threads={2}")
    @MethodSource("cases")
    void roundTrip(BlockCodec codec, int n, int threads) throws IOException {
        byte[] data = Frames.mixed(n, n * 31L + threads);
        CodecOptions o = TestCodecs.options(BS, threads);
        for (long declared : new long[] {-1, n}) {
            byte[] frame = Frames.encode(codec, o, data, declared);
            assertArrayEquals(data, Frames.decode(frame, TestCodecs.lookup(codec), o));
            assertArrayEquals(data, Frames.decode(frame, TestCodecs.lookup(codec), TestCodecs.options(0, 5 - threads)));
            FrameInfo info = OccInputStream.scan(new ByteArrayInputStream(frame));
            assertEquals((n + BS - 1) / BS, info.blocks());
            assertEquals(n, info.rawLength());
            assertEquals(frame.length, info.compressedLength());
            assertEquals(declared, info.header().originalLength());
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @MethodSource("threadCounts")
    void byteAtATimeWritesAndReads(int threads) throws IOException {
        byte[] data = Frames.mixed(5 * BS + 3, 7);
        BlockCodec codec = new TestCodecs.RunLength();
        CodecOptions o = TestCodecs.options(BS, threads);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OccOutputStream occ = new OccOutputStream(out, codec, o, -1);
        try (occ) {
            for (byte b : data) occ.write(b);
        }
        byte[] frame = out.toByteArray();
        assertArrayEquals(Frames.encode(codec, o, data, -1), frame, "writing byte by byte gives the same frame");
        assertEquals(frame.length, occ.compressedBytesWritten());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(frame), TestCodecs.lookup(codec), o)) {
            for (int b; (b = in.read()) >= 0; ) got.write(b);
            assertEquals(-1, in.read(), "stays at the end");
            assertEquals(frame.length, in.compressedBytesRead());
        }
        assertArrayEquals(data, got.toByteArray());
    }

    static Stream<Integer> threadCounts() {
        return Stream.of(1, 4);
    }

    @Test
    void threadsDoNotChangeTheFrame() throws IOException {
        byte[] data = Frames.mixed(50 * BS + 11, 3);
        BlockCodec codec = new TestCodecs.RunLength();
        byte[] one = Frames.encode(codec, TestCodecs.options(BS, 1), data, -1);
        byte[] four = Frames.encode(codec, TestCodecs.options(BS, 4), data, -1);
        assertArrayEquals(one, four);
    }

    @Test
    void headerFieldsRoundTrip() throws IOException {
        BlockCodec codec = new TestCodecs.RunLength();
        CodecOptions o = new CodecOptions(7, 1, 100, java.util.Map.of("model", "tiny-model"));
        byte[] data = Frames.mixed(1000, 11);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameHeader written;
        try (OccOutputStream occ = new OccOutputStream(out, codec, o, data.length)) {
            written = occ.header();
            occ.write(data);
        }
        FrameHeader expected = new FrameHeader(1, "test-rle", new byte[] {7},
                Fingerprints.sha256("tiny-model".getBytes(StandardCharsets.UTF_8)), 1000, 100);
        assertEquals(expected, written);
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(out.toByteArray()), TestCodecs.lookup(codec), o)) {
            assertEquals(expected, in.header());
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(expected, OccInputStream.scan(new ByteArrayInputStream(out.toByteArray())).header());
    }

    @Test
    void headerWithoutOptionalFields() throws IOException {
        BlockCodec codec = new TestCodecs.Identity();
        byte[] frame = Frames.encode(codec, TestCodecs.options(0, 1), new byte[3], -1);
        FrameHeader h = OccInputStream.scan(new ByteArrayInputStream(frame)).header();
        assertNull(h.modelFingerprint());
        assertEquals(-1, h.originalLength());
        assertEquals(codec.defaultBlockSize(), h.blockSize());
        assertEquals(0, h.parameters().length);
    }

    @Test
    void codedBlocksAreSmallerAndExpansionIsBounded() throws IOException {
        byte[] runs = new byte[20 * 4096];
        byte[] small = Frames.encode(new TestCodecs.RunLength(), TestCodecs.options(4096, 1), runs, -1);
        assertTrue(small.length < runs.length / 10, "runs compress: " + small.length);

        byte[] noise = Frames.mixed(100 * BS, 5);
        TestCodecs.Expanding expanding = new TestCodecs.Expanding();
        byte[] frame = Frames.encode(expanding, TestCodecs.options(BS, 2), noise, -1);
        // every block is stored: header (< 64 bytes here) + per block at most 19 header bytes + end marker (<= 14)
        assertTrue(frame.length <= noise.length + 64 + 100 * FrameFormat.MAX_BLOCK_HEADER + 14, "size " + frame.length);
        assertArrayEquals(noise, Frames.decode(frame, TestCodecs.lookup(expanding), TestCodecs.options(0, 2)));
    }

    @Test
    void declaredLengthMustMatch() throws IOException {
        BlockCodec codec = new TestCodecs.Identity();
        OccOutputStream shorter = new OccOutputStream(new ByteArrayOutputStream(), codec, TestCodecs.options(BS, 1), 10);
        shorter.write(new byte[9]);
        IOException e = assertThrows(IOException.class, shorter::close);
        assertTrue(e.getMessage().contains("10"), e.getMessage());

        OccOutputStream longer = new OccOutputStream(new ByteArrayOutputStream(), codec, TestCodecs.options(BS, 1), 10);
        assertThrows(IOException.class, () -> longer.write(new byte[11]));
        assertThrows(IOException.class, longer::close, "the frame stays incomplete");
    }

    @Test
    void finishLeavesTheStreamOpenAndConcatenatedFramesDecodeAsOne() throws IOException {
        BlockCodec a = new TestCodecs.RunLength();
        BlockCodec b = new TestCodecs.Identity();
        byte[] first = Frames.mixed(3 * BS + 1, 1);
        byte[] second = Frames.mixed(BS / 2, 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OccOutputStream o1 = new OccOutputStream(out, a, TestCodecs.options(BS, 1), -1);
        o1.write(first);
        o1.finish();
        int firstLen = out.size();
        try (OccOutputStream o2 = new OccOutputStream(out, b, TestCodecs.options(BS, 1), second.length)) {
            o2.write(second);
        }
        o1.close();
        byte[] both = out.toByteArray();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first);
        expected.write(second);
        assertArrayEquals(expected.toByteArray(), Frames.decode(both, TestCodecs.lookup(a, b), TestCodecs.options(0, 1)));
        assertArrayEquals(expected.toByteArray(), Frames.decode(both, TestCodecs.lookup(a, b), TestCodecs.options(0, 3)));

        // only the first frame, leaving the stream just after it
        ByteArrayInputStream raw = new ByteArrayInputStream(both);
        try (OccInputStream one = new OccInputStream(raw, TestCodecs.lookup(a, b), TestCodecs.options(0, 1), false)) {
            assertArrayEquals(first, one.readAllBytes());
            assertEquals(both.length - firstLen, raw.available());
        }

        List<FrameInfo> frames = OccInputStream.scanAll(new ByteArrayInputStream(both));
        assertEquals(2, frames.size());
        assertEquals("test-rle", frames.get(0).header().codecId());
        assertEquals(firstLen, frames.get(0).compressedLength());
        assertEquals(first.length, frames.get(0).rawLength());
        assertEquals("test-identity", frames.get(1).header().codecId());
        assertEquals(second.length, frames.get(1).rawLength());
        assertEquals(1, frames.get(1).blocks());
    }

    @Test
    void throughOccCodecOfARegistry() throws IOException {
        BlockCodec rle = new TestCodecs.RunLength();
        dev.occam.core.codec.CodecRegistry registry = new dev.occam.core.codec.CodecRegistry(List.of(), List.of(rle));
        dev.occam.core.codec.Codec codec = registry.get("test-rle");
        byte[] data = Frames.mixed(3000, 12);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.io.OutputStream o = codec.compress(out, TestCodecs.options(256, 2))) {
            o.write(data);
        }
        byte[] frame = out.toByteArray();
        assertEquals(codec, registry.detect(frame, Math.min(frame.length, dev.occam.core.codec.CodecRegistry.probeLength())));
        try (java.io.InputStream in = codec.decompress(new ByteArrayInputStream(frame), CodecOptions.defaults())) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    /** A source whose read(byte[]) returns 0 every other call must neither hang nor lose bytes. */
    @Test
    void sourceThatSometimesReadsNothing() throws IOException {
        BlockCodec rle = new TestCodecs.RunLength();
        byte[] data = Frames.mixed(10_000, 5);
        byte[] frame = Frames.encode(rle, TestCodecs.options(1000, 1), data, data.length);
        InputStream stingy = new java.io.FilterInputStream(new ByteArrayInputStream(frame)) {
            private boolean nothing;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                nothing = !nothing;
                return nothing && len > 0 ? 0 : super.read(b, off, Math.min(len, 3));
            }
        };
        try (OccInputStream in = new OccInputStream(stingy, TestCodecs.lookup(rle), CodecOptions.defaults())) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void magicProbe() throws IOException {
        byte[] frame = Frames.encode(new TestCodecs.Identity(), TestCodecs.options(BS, 1), new byte[0], 0);
        assertTrue(OccInputStream.matchesMagic(frame, frame.length));
        assertTrue(OccInputStream.matchesMagic(frame, 4));
        assertEquals(false, OccInputStream.matchesMagic(frame, 3));
        byte[][] others = {
            {0x1f, (byte) 0x8b, 8, 0}, {'B', 'Z', 'h', '9'}, {(byte) 0xFD, '7', 'z', 'X', 'Z', 0},
            {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}, {0x04, 0x22, 0x4D, 0x18}, {0x78, (byte) 0x9C, 0, 0},
            {(byte) 0x89, 'P', 'N', 'G'}};
        for (byte[] o : others) assertEquals(false, OccInputStream.matchesMagic(o, o.length));
    }
}
