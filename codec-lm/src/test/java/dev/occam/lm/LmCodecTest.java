package dev.occam.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import dev.occam.core.container.FrameHeader;
import dev.occam.core.container.OccInputStream;
import dev.occam.lm.cm.CmCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LmCodecTest {
    private static final byte[] TEXT = "Entities should not be multiplied beyond necessity, said William of Ockham. "
            .repeat(40).getBytes(StandardCharsets.UTF_8);

    private static byte[] compress(Codec c, byte[] data, CodecOptions o) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = c.compress(bos, o)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    private static byte[] decompress(Codec c, byte[] packed, CodecOptions o) throws IOException {
        try (InputStream in = c.decompress(new ByteArrayInputStream(packed), o)) {
            return in.readAllBytes();
        }
    }

    @Test
    void withoutAModelTheBuiltInPriorCodesAndNeedsNoFiles() throws IOException {
        Codec lm = CodecRegistry.getDefault().get("lm");
        byte[] packed = compress(lm, TEXT, CodecOptions.defaults());
        FrameHeader h = OccInputStream.scan(new ByteArrayInputStream(packed)).header();
        assertEquals("lm", h.codecId());
        assertEquals(LmCodec.PRIOR_BUILTIN, h.parameters()[0]);
        assertNull(h.modelFingerprint(), "the built-in prior has no model file");
        assertArrayEquals(TEXT, decompress(lm, packed, CodecOptions.defaults()));

        // the payload is the built-in model's own coding: same size as codec cm's frame, plus the prior byte
        byte[] cm = compress(CodecRegistry.getDefault().get("cm"), TEXT, CodecOptions.defaults());
        assertEquals(cm.length + 1, packed.length);
    }

    @Test
    void levelsSelectTheBuiltInModelAndAreKeptInTheFrame() throws IOException {
        Codec lm = CodecRegistry.getDefault().get("lm");
        assertEquals(new CmCodec().maxLevel(), lm.maxLevel());
        byte[] packed = compress(lm, TEXT, CodecOptions.defaults().withLevel(1));
        FrameHeader h = OccInputStream.scan(new ByteArrayInputStream(packed)).header();
        assertEquals(1, h.parameters()[2], "cm parameters follow the prior byte: [version][level]");
        assertArrayEquals(TEXT, decompress(lm, packed, CodecOptions.defaults()));
        IOException e = assertThrows(IOException.class,
                () -> compress(lm, TEXT, CodecOptions.defaults().withLevel(2).with("model", "whatever.onnx")));
        assertTrue(e.getMessage().contains("built-in model only"), e.getMessage());
    }

    @Test
    void unknownPriorIsRefused() throws IOException {
        LmCodec lm = new LmCodec();
        FrameHeader h = new FrameHeader(1, "lm", new byte[] {7, 1, 3}, null, -1, 1 << 20);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> lm.newDecoder(h, CodecOptions.defaults()));
        assertTrue(e.getMessage().contains("unknown prior 7"), e.getMessage());
        FrameHeader empty = new FrameHeader(1, "lm", new byte[0], null, -1, 1 << 20);
        assertThrows(CorruptInputException.class, () -> lm.newDecoder(empty, CodecOptions.defaults()));
    }

    @Test
    void blockSizeFollowsThePrior() {
        LmCodec lm = new LmCodec();
        assertEquals(new CmCodec().defaultBlockSize(), lm.defaultBlockSize(CodecOptions.defaults()));
        assertEquals(new dev.occam.lm.onnx.OnnxLmCodec().defaultBlockSize(),
                lm.defaultBlockSize(CodecOptions.defaults().with("model", "m.onnx")));
    }
}
