package dev.occam.lm.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.testing.Assets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmTokenizerTest {
    @Test
    void stories260kIdsMatchTheReferenceAndTheirBytesGiveBackTheText() throws IOException {
        Golden g = Golden.load();
        try (LmTokenizer t = LmTokenizer.load(Golden.modelDir().resolve("tokenizer.json"))) {
            assertArrayEquals(new int[] {1}, t.prefix());
            assertArrayEquals(new int[] {1}, t.startTokens(512));
            assertTrue(t.prependsSpace());
            assertEquals(512, t.size());
            for (Golden.Encoded e : g.encode) {
                int[] ids = t.encode(e.text());
                int[] withBos = new int[ids.length + 1];
                withBos[0] = 1;
                System.arraycopy(ids, 0, withBos, 1, ids.length);
                assertArrayEquals(e.ids(), withBos, e.text());
                if (ids.length > 0) { // token bytes: one prepended space, then exactly the text
                    byte[] b = t.concat(ids);
                    assertEquals(' ', b[0]);
                    assertArrayEquals(e.text().getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(b, 1, b.length), e.text());
                }
            }
        }
    }

    @Test
    void byteFallbackTokensAreSingleBytes() throws IOException {
        try (LmTokenizer t = LmTokenizer.load(Golden.modelDir().resolve("tokenizer.json"))) {
            // "日" is E6 97 A5: not in the 512-token vocabulary, so it is spelled with <0xE6><0x97><0xA5>
            int[] ids = t.encode("日");
            byte[] b = t.concat(ids);
            assertArrayEquals(new byte[] {' ', (byte) 0xE6, (byte) 0x97, (byte) 0xA5}, b);
            assertEquals(1, t.bytes(ids[ids.length - 1]).length);
            assertNull(t.bytes(512));
            assertNull(t.bytes(-1));
        }
    }

    @Test
    void gpt2ByteLevelTokensRoundTrip() throws IOException {
        try (LmTokenizer t = LmTokenizer.load(Assets.require("lm/gpt2-tokenizer/tokenizer.json"))) {
            assertEquals(50257, t.size());
            assertFalse(t.prependsSpace());
            assertEquals(0, t.prefix().length);
            assertArrayEquals(new int[] {50256}, t.startTokens(50257)); // <|endoftext|>
            String s = "Hello, world!\n\tTabs, ünïcödé ✓ 日本 and \u0000 control";
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), t.concat(t.encode(s)));
            assertArrayEquals(" world".getBytes(StandardCharsets.UTF_8), t.bytes(t.encode(" world")[0]));
        }
    }

    @Test
    void utf8ValidationIsStrict() {
        assertEquals(3, Utf8.validRunEnd("abc".getBytes(StandardCharsets.UTF_8), 0, 3));
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertEquals(3, Utf8.validRunEnd(euro, 0, 3));
        assertEquals(0, Utf8.validRunEnd(euro, 0, 2)); // truncated
        assertEquals(0, Utf8.charLength(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2)); // overlong NUL
        assertEquals(0, Utf8.charLength(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)); // surrogate
        assertEquals(0, Utf8.charLength(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4)); // > U+10FFFF
        assertEquals(4, Utf8.charLength(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, 0, 4)); // U+1F600
        assertEquals(1, Utf8.validRunEnd(new byte[] {'a', (byte) 0xFF, 'b'}, 0, 3));
        // Java's decoder agrees on which byte strings are well-formed
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 20000; i++) {
            byte[] b = new byte[1 + r.nextInt(4)];
            r.nextBytes(b);
            boolean ours = Utf8.validRunEnd(b, 0, b.length) == b.length;
            boolean javas = Arrays.equals(b, new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
            assertEquals(javas, ours, Arrays.toString(b));
        }
    }

    @Test
    void notATokenizerIsAClearError(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("tokenizer.json");
        Files.writeString(bad, "{\"this is\": \"not a tokenizer\"}");
        IOException e = assertThrows(IOException.class, () -> LmTokenizer.load(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        Path missing = dir.resolve("missing.json");
        IOException e2 = assertThrows(IOException.class, () -> LmTokenizer.load(missing));
        assertTrue(e2.getMessage().contains(missing.toString()), e2.getMessage());
    }
}
