package dev.occam.lm.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import dev.occam.core.testing.Assets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compress here, decompress in a fresh JVM whose ONNX Runtime session uses another thread count. */
class CrossJvmDeterminismTest {
    @Test
    void aFreshJvmWithOtherOrtThreadsDecodesWhatThisOneEncoded(@TempDir Path dir) throws Exception {
        byte[] alice = Files.readAllBytes(Assets.require("text/canterbury/alice29.txt"));
        ByteArrayBuilder data = new ByteArrayBuilder();
        data.add(OnnxLmCodecTest.STORY.getBytes(StandardCharsets.UTF_8));
        data.add(Arrays.copyOfRange(alice, 20000, 22500));
        data.add(new byte[] {(byte) 0xFF, 0, (byte) 0x80});
        Path packed = dir.resolve("in.occ");
        CodecOptions enc = CodecOptions.defaults().with("model", Golden.modelDir().toString()).with("context", "128");
        try (OutputStream os = CodecRegistry.getDefault().get("lm").compress(Files.newOutputStream(packed), enc)) {
            os.write(data.bytes());
        }
        Path out = dir.resolve("out.bin");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildDecoder.class.getName());
        cmd.add(packed.toString());
        cmd.add(out.toString());
        cmd.add(Golden.modelDir().toString());
        cmd.add("2"); // intra-op threads in the child
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("RUST_FLAVOR", "cpu");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish");
        }
        assertEquals(0, p.exitValue(), () -> "child JVM failed: " + read(dir.resolve("child.log")));
        assertArrayEquals(data.bytes(), Files.readAllBytes(out));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Entry point of the child JVM: args = compressed file, output file, model dir, ORT threads. */
    static final class ChildDecoder {
        public static void main(String[] args) throws IOException {
            CodecOptions o = CodecOptions.defaults().with("model", args[2]).with("ort.threads", args[3]);
            try (InputStream in = CodecRegistry.getDefault().get("lm").decompress(Files.newInputStream(Path.of(args[0])), o);
                 OutputStream os = Files.newOutputStream(Path.of(args[1]))) {
                in.transferTo(os);
            }
        }
    }

    private static final class ByteArrayBuilder {
        private final java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();

        void add(byte[] x) {
            b.write(x, 0, x.length);
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }
}
