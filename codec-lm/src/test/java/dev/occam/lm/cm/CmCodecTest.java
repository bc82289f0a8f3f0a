package dev.occam.lm.cm;

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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CmCodecTest {
    private final CmCodec codec = new CmCodec();
    /** Level 1 keeps the test tables small; the model is the same at every level. */
    private final CodecOptions options = CodecOptions.defaults().withLevel(1);

    private FrameHeader header(CodecOptions opts) throws IOException {
        return new FrameHeader(1, codec.id(), codec.parameters(opts), null, -1, codec.defaultBlockSize());
    }

    private byte[] roundTrip(byte[] data) throws IOException {
        byte[] coded = codec.newEncoder(options).encode(data, 0, data.length);
        byte[] back = new byte[data.length];
        codec.newDecoder(header(options), options).decode(coded, 0, coded.length, back, 0, back.length);
        assertArrayEquals(data, back);
        return coded;
    }

    @Test
    void emptyAndTinyBlocks() throws IOException {
        roundTrip(new byte[0]);
        roundTrip(new byte[] {0});
        roundTrip(new byte[] {(byte) 0xFF});
        roundTrip("ab".getBytes(StandardCharsets.US_ASCII));
        roundTrip("\n\n\nabcabcabcabc\n".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void randomDataOfVariousShapes(long seed) throws IOException {
        Random r = new Random(seed);
        int n = r.nextInt(60_000);
        byte[] data = new byte[n];
        int alphabet = 1 + r.nextInt(256);
        for (int i = 0; i < n; i++) data[i] = (byte) r.nextInt(alphabet);
        byte[] coded = roundTrip(data);
        // i.i.d. uniform symbols: the mixer must learn to trust the low orders; allow 10% + slack
        double ideal = n * (Math.log(alphabet) / Math.log(2)) / 8;
        assertTrue(coded.length <= ideal * 1.10 + 0.02 * n + 64, "seed " + seed + ": " + coded.length + " vs ideal " + ideal);
    }

    @Test
    void repeatsAreFoundByTheMatchModel() throws IOException {
        Random r = new Random(5);
        byte[] chunk = new byte[20_000];
        r.nextBytes(chunk);
        byte[] data = new byte[3 * chunk.length];
        for (int i = 0; i < 3; i++) System.arraycopy(chunk, 0, data, i * chunk.length, chunk.length);
        byte[] coded = roundTrip(data);
        // random bytes are incompressible once; the two copies must cost little on top
        assertTrue(coded.length < chunk.length * 1.15, "repeats should be nearly free: " + coded.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice29.txt", "asyoulik.txt", "cp.html", "fields.c", "grammar.lsp", "kennedy.xls",
        "lcet10.txt", "plrabn12.txt", "ptt5", "sum", "xargs.1"})
    void canterburyRoundTrips(String name) throws IOException {
        byte[] data = Files.readAllBytes(Assets.require("text/canterbury/" + name));
        byte[] coded = roundTrip(data);
        assertTrue(coded.length < data.length, name + ": " + coded.length);
    }

    @Test
    void beatsOrderTwoAndOrderZeroEntropyOnRealText() throws IOException {
        byte[] text = Files.readAllBytes(Assets.require("text/canterbury/alice29.txt"));
        byte[] coded = roundTrip(text);
        BlockCodec o2 = CodecRegistry.getDefault().blockCodec("o2");
        byte[] o2coded = o2.newEncoder(CodecOptions.defaults()).encode(text, 0, text.length);
        long[] counts = new long[256];
        for (byte b : text) counts[b & 0xFF]++;
        double order0Bits = 0;
        for (long c : counts) if (c > 0) order0Bits -= c * (Math.log((double) c / text.length) / Math.log(2));
        double bpc = 8.0 * coded.length / text.length;
        assertTrue(coded.length < o2coded.length * 0.80, "cm should beat o2 by 20%+: " + coded.length + " vs " + o2coded.length);
        assertTrue(coded.length * 8.0 < order0Bits * 0.55,
                "cm should beat the order-0 entropy by 45%+: " + bpc + " bpc vs " + order0Bits / text.length);
    }

    @Test
    void encodersAreDeterministicAndBlocksIndependent() throws IOException {
        byte[] a = "the quick brown fox jumps over the lazy dog\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        BlockCodec.BlockEncoder enc = codec.newEncoder(options);
        byte[] first = enc.encode(a, 0, a.length);
        byte[] other = enc.encode(new byte[5000], 0, 5000);
        byte[] again = enc.encode(a, 0, a.length);
        byte[] fresh = codec.newEncoder(options).encode(a, 0, a.length);
        assertArrayEquals(first, again, "model state leaked from one block into the next");
        assertArrayEquals(first, fresh, "two encoders disagree");
        assertTrue(other.length > 0);
        // the same block at an offset inside a larger array codes identically
        byte[] padded = new byte[a.length + 100];
        System.arraycopy(a, 0, padded, 37, a.length);
        assertArrayEquals(first, enc.encode(padded, 37, a.length));
    }

    @Test
    void levelsChangeOnlyTheTableSize() throws IOException {
        byte[] text = "levels select memory, not the model; ".repeat(300).getBytes(StandardCharsets.US_ASCII);
        for (int level = CmCodec.MIN_LEVEL; level <= CmCodec.MAX_LEVEL; level++) {
            CodecOptions o = CodecOptions.defaults().withLevel(level);
            byte[] coded = codec.newEncoder(o).encode(text, 0, text.length);
            byte[] back = new byte[text.length];
            codec.newDecoder(header(o), CodecOptions.defaults()).decode(coded, 0, coded.length, back, 0, back.length);
            assertArrayEquals(text, back, "level " + level);
            assertEquals(level, codec.parameters(o)[1]);
        }
        assertEquals(1 << 24, 1 << CmCodec.tableBits(1));
        assertTrue(CmCodec.memoryBytes(CmCodec.DEFAULT_LEVEL) <= 256L << 20);
        assertThrows(IOException.class, () -> codec.newEncoder(CodecOptions.defaults().withLevel(CmCodec.MAX_LEVEL + 1)));
    }

    @Test
    void tableSizeFollowsTheBlock() {
        assertEquals(18, CmModel.tableBits(24, 100));
        assertEquals(24, CmModel.tableBits(24, 16 << 20));
        assertEquals(26, CmModel.tableBits(26, 1 << 20)); // 2^21 bytes of input -> 2^27 wanted, capped at 2^26
        assertEquals(21, CmModel.tableBits(26, 20_000));
    }

    @Test
    void garbageNeverEscapesAsRuntimeException() throws IOException {
        BlockCodecChecks.garbageNeverEscapes(codec.newDecoder(header(options), options), 7, 100);
    }

    @Test
    void corruptedBlocksOnlyThrowCorruptInput() throws IOException {
        byte[] text = Files.readAllBytes(Assets.require("text/canterbury/grammar.lsp"));
        byte[] coded = codec.newEncoder(options).encode(text, 0, text.length);
        BlockCodec.BlockDecoder dec = codec.newDecoder(header(options), options);
        Random r = new Random(3);
        int detected = 0;
        for (int t = 0; t < 60; t++) {
            byte[] bad = coded.clone();
            // the coder's last few bytes only narrow the final interval: a flip there may be harmless
            bad[r.nextInt(bad.length - 8)] ^= (byte) (1 + r.nextInt(255));
            byte[] back = new byte[text.length];
            try {
                dec.decode(bad, 0, bad.length, back, 0, back.length);
                if (!java.util.Arrays.equals(text, back)) detected++; // the frame's CRC32C catches these
            } catch (CorruptInputException expected) {
                detected++;
            }
        }
        assertEquals(60, detected, "a flipped byte before the tail must change the output or be refused");
    }

    /** A cut block either fails with CorruptInputException "truncated" or (last few bytes) decodes. */
    @Test
    void truncatedBlockFailsCleanly() throws IOException {
        byte[] text = "abracadabra, abracadabra, abracadabra!\n".repeat(40).getBytes(StandardCharsets.US_ASCII);
        byte[] coded = codec.newEncoder(options).encode(text, 0, text.length);
        BlockCodec.BlockDecoder dec = codec.newDecoder(header(options), options);
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
        assertTrue(refused >= coded.length - 8, "only the last 8 cuts may go unnoticed: " + refused + "/" + coded.length);
    }

    @Test
    void newerParametersAreRefused() {
        FrameHeader newer = new FrameHeader(1, "cm", new byte[] {CmCodec.PARAMS_VERSION + 1, 3}, null, -1, 1 << 20);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> codec.newDecoder(newer, options));
        assertTrue(e.getMessage().contains("version " + (CmCodec.PARAMS_VERSION + 1)), e.getMessage());
        FrameHeader badLevel = new FrameHeader(1, "cm", new byte[] {CmCodec.PARAMS_VERSION, 99}, null, -1, 1 << 20);
        assertThrows(CorruptInputException.class, () -> codec.newDecoder(badLevel, options));
        FrameHeader shortParams = new FrameHeader(1, "cm", new byte[] {CmCodec.PARAMS_VERSION}, null, -1, 1 << 20);
        assertThrows(CorruptInputException.class, () -> codec.newDecoder(shortParams, options));
    }

    @Test
    void registeredAndThreadCountDoesNotChangeTheFrame() throws IOException {
        CodecRegistry reg = CodecRegistry.getDefault();
        assertEquals("cm", reg.blockCodec("cm").id());
        byte[] data = new byte[400_000];
        Random r = new Random(11);
        for (int i = 0; i < data.length; i++) data[i] = (byte) ('a' + (r.nextInt(26) & r.nextInt(26)));
        CodecOptions o = options.withBlockSize(100_000);
        byte[] single = frame(reg, data, o.withThreads(1));
        byte[] multi = frame(reg, data, o.withThreads(3));
        assertArrayEquals(single, multi, "-T must not change the output");
        try (InputStream in = reg.get("cm").decompress(new ByteArrayInputStream(multi), o.withThreads(3))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    private static byte[] frame(CodecRegistry reg, byte[] data, CodecOptions opts) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = reg.get("cm").compress(bos, opts)) {
            out.write(data);
        }
        return bos.toByteArray();
    }
}
