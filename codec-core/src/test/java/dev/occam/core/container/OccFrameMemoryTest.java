package dev.occam.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** 256 MiB through the frame in a JVM whose heap is far smaller: memory stays bounded. */
class OccFrameMemoryTest {
    @Test
    void streamsFarMoreThanTheHeap() throws IOException, InterruptedException {
        long total = 256L << 20;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx40m", "-cp", System.getProperty("java.class.path"),
                BoundedMemoryProbe.class.getName(), Long.toString(total), "2")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "probe failed (an OutOfMemoryError means memory is not bounded):\n" + out);
        String[] f = out.split(" ");
        assertEquals(5, f.length, out);
        assertEquals(f[1], f[3], "decoded checksum differs from the generated data's: " + out);
        assertEquals(Long.toString(total), f[4], out);
    }
}
