package dev.occam.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The refusals with their messages and offsets. */
class OccFrameErrorsTest {
    private static final BlockCodec RLE = new TestCodecs.RunLength();

    private static CorruptInputException refuse(byte[] frame, BlockCodec... codecs) {
        return assertThrows(CorruptInputException.class,
                () -> Frames.decode(frame, TestCodecs.lookup(codecs), TestCodecs.options(0, 1)));
    }

    @Test
    void wrongMagic() throws IOException {
        CorruptInputException e = refuse(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0}, RLE);
        assertEquals(0, e.offset());
        assertTrue(e.reason().contains("not an .occ frame"), e.getMessage());
        assertTrue(refuse(new byte[0], RLE).reason().startsWith("truncated"));
    }

    @Test
    void newerVersion() throws IOException {
        byte[] frame = Frames.encode(RLE, TestCodecs.options(16, 1), new byte[50], -1);
        assertEquals(1, frame[4], "version byte follows the 4 magic bytes");
        frame[4] = 2;
        CorruptInputException e = refuse(frame, RLE);
        assertEquals("format version 2 is newer than this build supports (1)", e.reason());
        assertEquals(4, e.offset());
    }

    @Test
    void unknownCodecIsNamed() throws IOException {
        byte[] frame = Frames.encode(new TestCodecs.Renamed("zz-unknown"), TestCodecs.options(16, 1), new byte[50], -1);
        CorruptInputException e = refuse(frame, RLE);
        assertTrue(e.reason().contains("zz-unknown"), e.getMessage());
        assertTrue(e.reason().startsWith("unknown codec"), e.getMessage());
        assertEquals(7, e.offset(), "the id starts after magic, version, flags and its length byte");
    }

    @Test
    void modelFingerprintMismatch() throws IOException {
        CodecOptions a = new CodecOptions(CodecOptions.DEFAULT_LEVEL, 1, 32, Map.of("model", "model-a"));
        CodecOptions b = a.with("model", "model-b");
        byte[] data = Frames.mixed(100, 1);
        byte[] frame = Frames.encode(RLE, a, data, -1);
        String fa = Fingerprints.shortHex(Fingerprints.sha256("model-a".getBytes(StandardCharsets.UTF_8)));
        String fb = Fingerprints.shortHex(Fingerprints.sha256("model-b".getBytes(StandardCharsets.UTF_8)));
        CorruptInputException e = assertThrows(CorruptInputException.class,
                () -> new OccInputStream(new ByteArrayInputStream(frame), TestCodecs.lookup(RLE), b));
        assertEquals("this file was compressed with model " + fa + "; you gave model " + fb, e.reason());
        CorruptInputException none = assertThrows(CorruptInputException.class,
                () -> new OccInputStream(new ByteArrayInputStream(frame), TestCodecs.lookup(RLE), TestCodecs.options(0, 1)));
        assertEquals("this file was compressed with model " + fa + "; you gave model none (pass the same model, e.g. --model)", none.reason());
        assertArrayEquals(data, Frames.decode(frame, TestCodecs.lookup(RLE), a));
    }

    @Test
    void withoutAModelOptionTheBuiltInModelIsNamedAsSuch() throws IOException {
        // a codec with a built-in model, used when the options name no model
        BlockCodec builtin = new TestCodecs.RunLength() {
            @Override
            public byte[] modelFingerprint(CodecOptions options) {
                String model = options.extra("model");
                return Fingerprints.sha256((model == null ? "built-in" : model).getBytes(StandardCharsets.UTF_8));
            }
        };
        CodecOptions a = new CodecOptions(CodecOptions.DEFAULT_LEVEL, 1, 32, Map.of("model", "model-a"));
        byte[] frame = Frames.encode(builtin, a, Frames.mixed(100, 2), -1);
        String fa = Fingerprints.shortHex(Fingerprints.sha256("model-a".getBytes(StandardCharsets.UTF_8)));
        String fBuiltin = Fingerprints.shortHex(Fingerprints.sha256("built-in".getBytes(StandardCharsets.UTF_8)));
        CorruptInputException e = assertThrows(CorruptInputException.class,
                () -> new OccInputStream(new ByteArrayInputStream(frame), TestCodecs.lookup(builtin), TestCodecs.options(0, 1)));
        assertEquals("this file was compressed with model " + fa + "; you gave no model, so the built-in model (" + fBuiltin
                + ") was used (pass the same model, e.g. --model)", e.reason());
        // a model given: named as the user's
        CodecOptions b = a.with("model", "model-b");
        String fb = Fingerprints.shortHex(Fingerprints.sha256("model-b".getBytes(StandardCharsets.UTF_8)));
        e = assertThrows(CorruptInputException.class,
                () -> new OccInputStream(new ByteArrayInputStream(frame), TestCodecs.lookup(builtin), b));
        assertEquals("this file was compressed with model " + fa + "; you gave model " + fb, e.reason());
    }

    @Test
    void parametersRefusedByTheCodecGetAnOffset() throws IOException {
        byte[] frame = Frames.encode(RLE, new CodecOptions(12, 1, 16, Map.of()), new byte[40], -1);
        CorruptInputException e = refuse(frame, RLE);
        assertEquals("bad test-rle parameters", e.reason());
        assertEquals(7 + "test-rle".length(), e.offset(), "the parameter length field");
    }

    @Test
    void trailingGarbage() throws IOException {
        byte[] frame = Frames.encode(RLE, TestCodecs.options(16, 1), Frames.mixed(70, 3), -1);
        for (byte[] tail : new byte[][] {{0}, {'x', 'y', 'z'}, {(byte) 0x89}, {(byte) 0x89, 'O', 'C'}, {(byte) 0x89, 'O', 'C', 'X'}}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(frame);
            b.write(tail);
            Frames.Attempt a = Frames.attempt(b.toByteArray(), TestCodecs.lookup(RLE), TestCodecs.options(0, 1));
            CorruptInputException e = (CorruptInputException) a.error();
            assertEquals("trailing garbage after the end of the frame", e.reason());
            assertEquals(frame.length, e.offset());
            assertThrows(CorruptInputException.class, () -> OccInputStream.scanAll(new ByteArrayInputStream(b.toByteArray())));
            assertEquals(frame.length, OccInputStream.scan(new ByteArrayInputStream(b.toByteArray())).compressedLength());
        }
    }

    @Test
    void decoderRuntimeExceptionsBecomeCorruptInput() throws IOException {
        BlockCodec throwing = new TestCodecs.ThrowingDecoder();
        byte[] data = new byte[100]; // zeros: every block codes small, so the decoder runs
        byte[] frame = Frames.encode(throwing, TestCodecs.options(32, 1), data, -1);
        for (int threads : new int[] {1, 4}) {
            CorruptInputException e = assertThrows(CorruptInputException.class,
                    () -> Frames.decode(frame, TestCodecs.lookup(throwing), TestCodecs.options(0, threads)));
            assertTrue(e.reason().contains("block 1"), e.getMessage());
            assertTrue(e.offset() > 7 && e.offset() < frame.length, e.getMessage());
        }
    }

    @Test
    void decoderOffsetsAreMadeAbsolute() throws IOException {
        // a valid-CRC frame whose second block is a coded block the decoder finds inconsistent
        byte[] data = new byte[64];
        java.util.Arrays.fill(data, 32, 64, (byte) 5);
        byte[] frame = Frames.encode(RLE, TestCodecs.options(32, 1), data, -1);
        BlockCodec lying = new TestCodecs.RunLength() {
            @Override
            public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) {
                return (src, off, len, dst, dstOff, dstLen) -> {
                    throw new CorruptInputException(1, "impossible state");
                };
            }
        };
        CorruptInputException e = assertThrows(CorruptInputException.class,
                () -> Frames.decode(frame, TestCodecs.lookup(lying), TestCodecs.options(0, 1)));
        // block 1: type, raw 32, coded 2, 3 crcs -> 15-byte block header then the 2-byte payload
        long headerLen = OccInputStream.scan(new ByteArrayInputStream(frame)).compressedLength() - 2 * (15 + 2) - 6;
        assertEquals(headerLen + 15 + 1, e.offset(), e.getMessage());
        assertEquals("block 1: impossible state", e.reason());
    }
}
