package dev.occam.lm.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import dev.occam.core.testing.Assets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxLmCodecTest {
    static final String STORY = "Sam had a small blue boat. Every morning he took it to the pond near his house."
            + " One day the wind was very strong and the boat went far away. Sam was sad. His sister Mia came"
            + " and said, \"Do not cry, Sam. We can find it together!\" They walked around the pond and looked"
            + " under the trees. At last they saw the boat in the tall grass. Sam hugged Mia and said,"
            + " \"Thank you!\" They played with the boat until the sun went down.\n";

    private static Codec codec;
    private static CodecOptions options;

    @BeforeAll
    static void setUp() {
        codec = CodecRegistry.getDefault().get("lm");
        options = CodecOptions.defaults().with("model", Golden.modelDir().toString());
    }

    static byte[] compress(byte[] data, CodecOptions o) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream os = codec.compress(bo, o)) {
            os.write(data);
        }
        return bo.toByteArray();
    }

    static byte[] decompress(byte[] packed, CodecOptions o) throws IOException {
        try (InputStream in = codec.decompress(new ByteArrayInputStream(packed), o)) {
            return in.readAllBytes();
        }
    }

    private static byte[] roundTrip(byte[] data, CodecOptions o) throws IOException {
        byte[] packed = compress(data, o);
        assertArrayEquals(data, decompress(packed, o));
        return packed;
    }

    /** Through the registry, codec lm with a model option writes the ONNX prior (1) and the model's fingerprint. */
    @Test
    void registeredLmUsesTheOnnxPriorWhenGivenAModel() throws IOException {
        assertTrue(CodecRegistry.getDefault().blockCodec("lm") instanceof dev.occam.lm.LmCodec);
        byte[] packed = compress("a short story".getBytes(StandardCharsets.UTF_8), options);
        dev.occam.core.container.FrameHeader h = dev.occam.core.container.OccInputStream
                .scan(new java.io.ByteArrayInputStream(packed)).header();
        assertEquals(1, h.parameters()[0], "prior byte: 1 = ONNX");
        assertArrayEquals(new OnnxLmCodec().modelFingerprint(options), h.modelFingerprint());
    }

    @Test
    void goldenTextsAndAStoryRoundTrip() throws IOException {
        Golden g = Golden.load();
        for (Golden.Encoded e : g.encode) roundTrip(e.text().getBytes(StandardCharsets.UTF_8), options);
        for (Golden.Generation e : g.gen) roundTrip(e.text().getBytes(StandardCharsets.UTF_8), options);
        byte[] story = STORY.getBytes(StandardCharsets.UTF_8);
        byte[] packed = roundTrip(story, options);
        // in-domain text: the model must beat 8 bits/byte by far (a miswired cache or position would not)
        assertTrue(packed.length * 8.0 / story.length < 4.0, "bits/byte " + packed.length * 8.0 / story.length);
    }

    @Test
    void aliceSliceRoundTripsAndCodedBitsStayWithinHalfAPercentOfTheFloatModel() throws IOException {
        byte[] alice = Files.readAllBytes(Assets.require("text/canterbury/alice29.txt"));
        byte[] slice = Arrays.copyOf(alice, 4000);
        // the block coder directly, to read its statistics
        try (LmBlockCoder c = OnnxLmCodec.open(options, 512, 24)) {
            byte[] packed = c.encode(slice, 0, slice.length);
            byte[] back = new byte[slice.length];
            c.decode(packed, 0, packed.length, back, 0, back.length);
            assertArrayEquals(slice, back);
            LmBlockCoder.Stats s = c.stats();
            assertEquals(0, s.escapedBytes, "plain ASCII needs no escapes");
            assertTrue(s.tokens > 1000, "tokens " + s.tokens);
            double coded = packed.length * 8.0;
            assertTrue(s.quantizedBits <= s.idealBits * 1.005, s.quantizedBits + " vs " + s.idealBits);
            assertTrue(coded <= s.idealBits * 1.005 + 64, coded + " vs " + s.idealBits);
        }
    }

    @Test
    void emptyAndOneByteInputs() throws IOException {
        byte[] empty = roundTrip(new byte[0], options);
        assertTrue(empty.length > 0, "a frame even for no data");
        roundTrip(new byte[] {'a'}, options);
        roundTrip(new byte[] {' '}, options);
        roundTrip(new byte[] {'\n'}, options);
        roundTrip(new byte[] {(byte) 0xFF}, options);
        roundTrip(new byte[] {0}, options);
    }

    @Test
    void binaryAndInvalidUtf8RoundTrip() throws IOException {
        Random r = new Random(42);
        byte[] random = new byte[3000];
        r.nextBytes(random);
        roundTrip(random, options);
        // text with invalid bytes, a lone continuation byte, a truncated sequence and NULs inside
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(STORY.getBytes(StandardCharsets.UTF_8), 0, 120);
        mixed.write(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0x80, 'a', (byte) 0xE2, (byte) 0x82});
        mixed.write("  and then some more text, café ✓ 日本.\n".getBytes(StandardCharsets.UTF_8), 0, 30);
        mixed.write(new byte[] {0, 0, 0, (byte) 0xC0, (byte) 0xAF});
        mixed.write(STORY.getBytes(StandardCharsets.UTF_8), 120, 100);
        roundTrip(mixed.toByteArray(), options);
        // ends in the middle of a character
        byte[] cut = Arrays.copyOf("日本語".getBytes(StandardCharsets.UTF_8), 7);
        roundTrip(cut, options);
        // spaces and line breaks only, and leading spaces (the prepended-space rule)
        roundTrip("   \n\n  \t ".getBytes(StandardCharsets.UTF_8), options);
        // at block level: the invalid bytes really went through escapes, the text through tokens
        try (LmBlockCoder c = OnnxLmCodec.open(options, 512, 24)) {
            byte[] m = mixed.toByteArray();
            byte[] packed = c.encode(m, 0, m.length);
            byte[] back = new byte[m.length];
            c.decode(packed, 0, packed.length, back, 0, back.length);
            assertArrayEquals(m, back);
            assertTrue(c.stats().escapes >= 2 && c.stats().escapedBytes >= 8, "escaped " + c.stats().escapedBytes);
            assertTrue(c.stats().escapedBytes < 40, "escaped " + c.stats().escapedBytes);
            assertTrue(c.stats().tokens > 40, "tokens " + c.stats().tokens);
        }
    }

    @Test
    void manyBlocksAndASlidingWindow(@TempDir Path dir) throws IOException {
        byte[] alice = Files.readAllBytes(Assets.require("text/canterbury/alice29.txt"));
        byte[] data = Arrays.copyOfRange(alice, 10000, 13000);
        CodecOptions small = options.withBlockSize(1000).with("context", "64");
        roundTrip(data, small);
        // the context is a frame parameter: decoding needs no --context
        assertArrayEquals(data, decompress(compress(data, small), options));
    }

    /**
     * A tokenizer that normalises (here NFKC added to stories260k's normaliser) does not give back
     * "ﬁ" (U+FB01, which NFKC turns into "fi"): that line is escaped, the others stay tokens.
     */
    @Test
    void linesTheTokenizerDoesNotRoundTripAreEscaped(@TempDir Path dir) throws IOException {
        String json = Files.readString(Golden.modelDir().resolve("tokenizer.json"), StandardCharsets.UTF_8);
        String marker = "\"normalizers\":";
        int at = json.indexOf(marker);
        assertTrue(at > 0, "stories260k's tokenizer has a normaliser sequence");
        int open = json.indexOf('[', at);
        String nfkc = json.substring(0, open + 1) + "{\"type\":\"NFKC\"}," + json.substring(open + 1);
        Path tok = dir.resolve("tokenizer.json");
        Files.writeString(tok, nfkc, StandardCharsets.UTF_8);
        String first = "Lily went out to play in the sun with her dog.\n";
        String odd = "The \uFB01sh swam away.\n";
        String last = "She was happy and they played all day.\n";
        byte[] text = (first + odd + last).getBytes(StandardCharsets.UTF_8);
        CodecOptions o = options.with("tokenizer", tok.toString());
        try (LmBlockCoder c = OnnxLmCodec.open(o, 512, 24)) {
            byte[] packed = c.encode(text, 0, text.length);
            byte[] back = new byte[text.length];
            c.decode(packed, 0, packed.length, back, 0, back.length);
            assertArrayEquals(text, back);
            assertEquals(odd.getBytes(StandardCharsets.UTF_8).length, c.stats().escapedBytes);
            assertTrue(c.stats().tokens > 15, "tokens " + c.stats().tokens);
        }
        roundTrip(text, o);
    }

    @Test
    void contextBeyondTheTrainedPositionsIsRefused() {
        IOException e = assertThrows(IOException.class, () -> compress(new byte[] {'x'}, options.with("context", "4096")));
        assertTrue(e.getMessage().contains("4096") && e.getMessage().contains("512"), e.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> compress(new byte[] {'x'}, options.with("context", "lots")));
        assertTrue(e2.getMessage().contains("lots"), e2.getMessage());
    }

    @Test
    void withoutAModelTheErrorSaysToPassOne() throws IOException {
        IOException e = assertThrows(IOException.class, () -> new OnnxLmCodec().newEncoder(CodecOptions.defaults()));
        assertTrue(e.getMessage().contains("--model"), e.getMessage());
        // a file made with a model does not decode without it: the frame names the model it needs
        byte[] packed = compress(STORY.getBytes(StandardCharsets.UTF_8), options);
        IOException d = assertThrows(IOException.class, () -> decompress(packed, CodecOptions.defaults()));
        assertTrue(d.getMessage().contains("compressed with model"), d.getMessage());
    }

    /** A model directory with one .onnx file of another name (past.onnx) is found; an empty one is named. */
    @Test
    void aDirectoryWithASingleOnnxFileIsUsed(@TempDir Path empty) {
        Path dir = Assets.require("lm/tiny-random-gpt2/past.onnx").getParent();
        IOException found = assertThrows(IOException.class,
                () -> new OnnxLmCodec().newEncoder(CodecOptions.defaults().with("model", dir.toString())));
        assertTrue(found.getMessage().contains("past.onnx"), found.getMessage());
        IOException none = assertThrows(IOException.class,
                () -> new OnnxLmCodec().newEncoder(CodecOptions.defaults().with("model", empty.toString())));
        assertTrue(none.getMessage().contains("no other .onnx file"), none.getMessage());
    }

    @Test
    void missingOrCorruptModelFilesAreNamed(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("no-such-model.onnx");
        IOException e1 = assertThrows(IOException.class,
                () -> compress(new byte[] {'x'}, CodecOptions.defaults().with("model", missing.toString())));
        assertTrue(e1.getMessage().contains(missing.toString()), e1.getMessage());

        Path bad = dir.resolve("model.onnx");
        Files.write(bad, "this is not an ONNX model".getBytes(StandardCharsets.US_ASCII));
        Files.copy(Golden.modelDir().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        IOException e2 = assertThrows(IOException.class,
                () -> compress(new byte[] {'x'}, CodecOptions.defaults().with("model", dir.toString())));
        assertTrue(e2.getMessage().contains(bad.toString()), e2.getMessage());

        Path lonely = Files.createDirectories(dir.resolve("lonely")).resolve("model.onnx");
        Files.copy(Golden.modelDir().resolve("model.onnx"), lonely);
        IOException e3 = assertThrows(IOException.class,
                () -> compress(new byte[] {'x'}, CodecOptions.defaults().with("model", lonely.toString())));
        assertTrue(e3.getMessage().contains("tokenizer") && e3.getMessage().contains("--tokenizer"), e3.getMessage());
    }

    @Test
    void aTokenizerFromAnotherModelIsRefused() throws IOException {
        Path gpt2 = Assets.require("lm/gpt2-tokenizer/tokenizer.json");
        CodecOptions wrong = options.with("tokenizer", gpt2.toString());
        // at load: the tokenizer's 50257 tokens do not fit the model's 512
        IOException e = assertThrows(IOException.class, () -> compress(STORY.getBytes(StandardCharsets.UTF_8), wrong));
        assertTrue(e.getMessage().contains("50257") && e.getMessage().contains("512"), e.getMessage());
        // at decode: the fingerprint in the frame differs
        byte[] packed = compress(STORY.getBytes(StandardCharsets.UTF_8), options);
        CorruptInputException c = assertThrows(CorruptInputException.class, () -> decompress(packed, wrong));
        assertTrue(c.getMessage().contains("this file was compressed with model"), c.getMessage());
    }

    @Test
    void corruptedStreamsFailCleanly() throws IOException {
        byte[] packed = compress(STORY.getBytes(StandardCharsets.UTF_8), options);
        Random r = new Random(1);
        for (int trial = 0; trial < 6; trial++) {
            byte[] bad = packed.clone();
            int at = packed.length - 1 - r.nextInt(Math.min(60, packed.length / 2)); // inside the coded block
            bad[at] ^= (byte) (1 << r.nextInt(8));
            IOException e = assertThrows(IOException.class, () -> decompress(bad, options));
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
        byte[] truncated = Arrays.copyOf(packed, packed.length - 10);
        assertThrows(IOException.class, () -> decompress(truncated, options));
    }
}
