package dev.occam.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Frames assembled by hand from docs/FORMAT.md match what the writer produces and decode. */
class OccFrameSpecTest {
    private static void u32(ByteArrayOutputStream b, long v) {
        for (int i = 0; i < 4; i++) b.write((int) (v >>> (8 * i)));
    }

    private static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    @Test
    void crc32cCheckValue() {
        assertEquals(0xE3069283L, crc("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0L, crc(new byte[0]));
    }

    /** The example at the end of FORMAT.md. */
    @Test
    void documentedExample() throws IOException {
        byte[] content = "aaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {(byte) 0x89, 'O', 'C', 'C', 1, 2, 2, 'r', 'l', 1, 5, 10, (byte) 0x80, (byte) 0x80, 0x40});
        byte[] headerBody = h.toByteArray();
        u32(h, crc(headerBody));
        ByteArrayOutputStream blockHead = new ByteArrayOutputStream();
        blockHead.writeBytes(new byte[] {2, 10, 2});
        u32(blockHead, crc(new byte[] {9, 'a'}));
        u32(blockHead, crc(content));
        byte[] blockBody = blockHead.toByteArray();
        u32(blockHead, crc(blockBody));
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(h.toByteArray());
        frame.writeBytes(blockHead.toByteArray());
        frame.writeBytes(new byte[] {9, 'a'});
        frame.write(0);
        frame.write(10);
        u32(frame, crc(content));
        byte[] expected = frame.toByteArray();

        BlockCodec rl = new TestCodecs.Renamed("rl");
        byte[] written = Frames.encode(rl, CodecOptions.defaults(), content, content.length);
        assertArrayEquals(expected, written);
        assertArrayEquals(content, Frames.decode(expected, TestCodecs.lookup(rl), CodecOptions.defaults()));
    }

    @Test
    void emptyContentAndStoredBlocks() throws IOException {
        BlockCodec id = new TestCodecs.Identity();
        // empty: header (no flags) + end marker 00 00 00000000
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {(byte) 0x89, 'O', 'C', 'C', 1, 0, 13});
        h.writeBytes("test-identity".getBytes(StandardCharsets.US_ASCII));
        h.writeBytes(new byte[] {0, 3}); // no params, block size 3
        u32(h, crc(h.toByteArray()));
        byte[] header = h.toByteArray();
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        empty.writeBytes(header);
        empty.writeBytes(new byte[] {0, 0, 0, 0, 0, 0});
        assertArrayEquals(empty.toByteArray(), Frames.encode(id, TestCodecs.options(3, 1), new byte[0], -1));

        // 4 bytes in blocks of 3: two stored blocks (3 + 1)
        byte[] content = {10, 20, 30, 40};
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(header);
        for (int[] part : new int[][] {{0, 3}, {3, 1}}) {
            byte[] raw = java.util.Arrays.copyOfRange(content, part[0], part[0] + part[1]);
            ByteArrayOutputStream bh = new ByteArrayOutputStream();
            bh.write(1);
            bh.write(raw.length);
            u32(bh, crc(raw));
            u32(bh, crc(bh.toByteArray()));
            f.writeBytes(bh.toByteArray());
            f.writeBytes(raw);
        }
        f.write(0);
        f.write(4);
        u32(f, crc(content));
        assertArrayEquals(f.toByteArray(), Frames.encode(id, TestCodecs.options(3, 1), content, -1));
        assertArrayEquals(content, Frames.decode(f.toByteArray(), TestCodecs.lookup(id), CodecOptions.defaults()));
    }
}
