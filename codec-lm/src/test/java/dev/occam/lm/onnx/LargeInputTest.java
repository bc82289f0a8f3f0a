package dev.occam.lm.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large input streams in blocks with bounded memory: a child JVM with a 32 MiB heap compresses and
 * decompresses twice that much data (generated on the fly; mostly non-UTF-8 bytes, so the test
 * exercises the escape path at speed; -Doccam.test.bigBytes=104857600 for the full 100 MB).
 */
class LargeInputTest {
    @Test
    void inputLargerThanTheHeapStreamsThroughInBlocks(@TempDir Path dir) throws Exception {
        long n = Long.getLong("occam.test.bigBytes", 64L << 20);
        Path log = dir.resolve("child.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
                "-cp", System.getProperty("java.class.path"), BigInputChild.class.getName(),
                Golden.modelDir().toString(), dir.resolve("big.occ").toString(), Long.toString(n));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RUST_FLAVOR", "cpu");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish");
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("OK " + n + " "), out);
        long compressed = Long.parseLong(out.trim().split(" ")[2]);
        assertTrue(compressed < n / 2, "8 symbols of 256 should code in about 3 bits each: " + compressed);
    }
}
