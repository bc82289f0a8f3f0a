package dev.occam.core.codec.classic;

import static dev.occam.core.codec.classic.ClassicTesting.codec;
import static dev.occam.core.codec.classic.ClassicTesting.compress;
import static dev.occam.core.codec.classic.ClassicTesting.decompress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.testing.Assets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips of every compressing classical codec over small, large and real inputs. */
class ClassicRoundTripTest {
    private static final int MIB = 1 << 20;

    static Stream<String> compressing() {
        return ClassicTesting.compressing().stream();
    }

    /** Every codec at its min, default and max level (and zstd's 0 = default) on small inputs. */
    static Stream<Arguments> everyLevelBound() {
        List<Arguments> args = new ArrayList<>();
        for (String name : ClassicTesting.compressing()) {
            Codec c = codec(name);
            List<Integer> levels = new ArrayList<>(List.of(c.minLevel(), c.defaultLevel(), c.maxLevel()));
            if (name.equals("zstd")) levels.add(0);
            if (name.equals("lz4")) levels.add(3); // first HC level
            for (int level : levels) args.add(Arguments.of(name, level));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} level {1}")
    @MethodSource("everyLevelBound")
    void smallInputsAtLevelBounds(String name, int level) throws IOException {
        Codec c = codec(name);
        CodecOptions o = CodecOptions.defaults().withLevel(level);
        for (byte[] data : List.of(new byte[0], new byte[] {42}, new byte[] {(byte) 0xFF}, ClassicTesting.words(1, 4000))) {
            byte[] packed = compress(c, data, o);
            assertTrue(c.matches(packed, packed.length), name + " output must match its own magic");
            assertArrayEquals(data, decompress(c, packed), name + " level " + level + " length " + data.length);
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void oneMiBRandomAtMinAndDefaultLevel(String name) throws IOException {
        Codec c = codec(name);
        byte[] data = ClassicTesting.random(name.hashCode(), MIB);
        for (int level : new int[] {c.minLevel(), c.defaultLevel()}) {
            byte[] packed = compress(c, data, CodecOptions.defaults().withLevel(level));
            assertArrayEquals(data, decompress(c, packed), name + " level " + level);
            // random data cannot shrink; the formats store it with small overhead
            assertTrue(packed.length < data.length + data.length / 50, name + " expands random data by " + (packed.length - data.length));
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void highlyRepetitiveShrinks(String name) throws IOException {
        Codec c = codec(name);
        byte[] data = ClassicTesting.repetitive(MIB);
        for (int level : new int[] {c.minLevel(), c.defaultLevel()}) {
            byte[] packed = compress(c, data, CodecOptions.defaults().withLevel(level));
            assertArrayEquals(data, decompress(c, packed), name + " level " + level);
            assertTrue(packed.length < data.length / 100, name + " level " + level + " left " + packed.length + " bytes");
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void realTextAtMinDefaultAndHighLevel(String name) throws IOException {
        byte[] text = Files.readAllBytes(Assets.require("text/canterbury/alice29.txt"));
        Codec c = codec(name);
        int high = switch (name) {
            case "zstd" -> 19; // 20-22 are kept to the small-input test (hundreds of MB of tables)
            default -> c.maxLevel();
        };
        long previous = Long.MAX_VALUE / 2;
        for (int level : new int[] {c.minLevel(), c.defaultLevel(), high}) {
            byte[] packed = compress(c, text, CodecOptions.defaults().withLevel(level));
            assertArrayEquals(text, decompress(c, packed), name + " level " + level);
            assertTrue(packed.length < text.length * 3 / 4, name + " level " + level + ": " + packed.length);
            // higher levels of these codecs never do worse on English text by more than a few bytes
            assertTrue(packed.length <= previous + 64, name + " level " + level + " " + packed.length + " > " + previous);
            previous = packed.length;
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void byteAtATimeStreams(String name) throws IOException {
        Codec c = codec(name);
        byte[] data = ClassicTesting.words(7, 20_000);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = c.compress(bos, CodecOptions.defaults())) {
            for (byte b : data) out.write(b);
        }
        byte[] packed = bos.toByteArray();
        assertArrayEquals(data, decompress(c, packed));
        try (InputStream in = c.decompress(ClassicTesting.trickle(packed), CodecOptions.defaults())) {
            assertArrayEquals(data, ClassicTesting.readByteAtATime(in), name + " read()/trickled source");
        }
        // odd-sized reads over a bulk-written stream
        byte[] bulk = compress(c, data);
        try (InputStream in = c.decompress(new ByteArrayInputStream(bulk), CodecOptions.defaults())) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[7];
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) got.write(buf, 0, n);
            assertArrayEquals(data, got.toByteArray());
            assertEquals(-1, in.read(), "end stays the end");
        }
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void flushMidStreamKeepsTheStreamValid(String name) throws IOException {
        Codec c = codec(name);
        byte[] data = ClassicTesting.words(8, 50_000);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = c.compress(bos, CodecOptions.defaults())) {
            for (int off = 0; off < data.length; off += 7000) {
                out.write(data, off, Math.min(7000, data.length - off));
                out.flush();
            }
        }
        assertArrayEquals(data, decompress(c, bos.toByteArray()));
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void closeFinishesAndClosesBothSides(String name) throws IOException {
        Codec c = codec(name);
        ClosingSink sink = new ClosingSink();
        OutputStream out = c.compress(sink, CodecOptions.defaults());
        out.write(ClassicTesting.words(3, 1000));
        out.close();
        assertTrue(sink.closed, name + ": closing the compressor closes the target");
        out.close(); // a second close is harmless
        assertThrows(IOException.class, () -> out.write(1), "write after close");
        assertThrows(IOException.class, () -> out.write(new byte[10]), "write after close");
        ClosingSource src = new ClosingSource(sink.toByteArray());
        InputStream in = c.decompress(src, CodecOptions.defaults());
        assertEquals(1000, in.readAllBytes().length);
        in.close();
        assertTrue(src.closed, name + ": closing the decompressor closes the source");
        ClosingSource unread = new ClosingSource(sink.toByteArray());
        c.decompress(unread, CodecOptions.defaults()).close();
        assertTrue(unread.closed, name + ": closing an unread decompressor closes the source");
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void levelOutsideRangeIsRefused(String name) {
        Codec c = codec(name);
        assertThrows(IllegalArgumentException.class, () -> c.compress(new ByteArrayOutputStream(), CodecOptions.defaults().withLevel(c.maxLevel() + 1)));
        assertThrows(IllegalArgumentException.class, () -> c.compress(new ByteArrayOutputStream(), CodecOptions.defaults().withLevel(c.minLevel() - 1)));
    }

    @ParameterizedTest
    @MethodSource("compressing")
    void concatenatedStreamsFollowTheReferenceTool(String name) throws IOException {
        Codec c = codec(name);
        byte[] a = ClassicTesting.words(11, 3000);
        byte[] b = ClassicTesting.random(12, 500);
        byte[] both = concat(compress(c, a), compress(c, b));
        if (name.equals("deflate")) {
            // a zlib stream is one stream: a second one is trailing data
            assertThrows(dev.occam.core.CorruptInputException.class, () -> decompress(c, both));
        } else {
            assertArrayEquals(concat(a, b), decompress(c, both), name + " decodes concatenated streams like its tool");
        }
    }

    @Test
    void zstdWorkersProduceAStandardFrame() throws IOException {
        Codec c = codec("zstd");
        byte[] data = ClassicTesting.words(5, 3 * MIB);
        byte[] multi = compress(c, data, CodecOptions.defaults().withThreads(2));
        assertArrayEquals(data, decompress(c, multi));
        byte[] allCores = compress(c, data, CodecOptions.defaults().withThreads(0).withLevel(1));
        assertArrayEquals(data, decompress(c, allCores));
    }

    @Test
    void lz4HighLevelsCompressBetterThanFast() throws IOException {
        Codec c = codec("lz4");
        byte[] data = ClassicTesting.words(9, 200_000);
        byte[] fast = compress(c, data, CodecOptions.defaults().withLevel(1));
        byte[] hc = compress(c, data, CodecOptions.defaults().withLevel(9));
        assertArrayEquals(data, decompress(c, hc));
        assertTrue(hc.length < fast.length, "HC " + hc.length + " vs fast " + fast.length);
    }

    @Test
    void brotliCannotCompress() {
        Codec c = codec("brotli");
        assertFalse(c.canCompress());
        IOException e = assertThrows(IOException.class, () -> c.compress(new ByteArrayOutputStream(), CodecOptions.defaults()));
        assertTrue(e.getMessage().startsWith("brotli:"), e.getMessage());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static final class ClosingSink extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class ClosingSource extends ByteArrayInputStream {
        boolean closed;

        ClosingSource(byte[] b) {
            super(b);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
