package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw sizes read from classical containers, against files written by the JDK and by the system tools. */
class RawSizesTest {
    @TempDir
    Path dir;

    static final byte[] DATA = CliTest.sample(123_457, 5);

    Path toolOutput(String name, String... cmd) throws Exception {
        assumeTrue(RealCodecsCliTest.onPath(cmd[0]), () -> "skipped: " + cmd[0] + " not on PATH");
        Path src = Files.write(dir.resolve("in.txt"), DATA);
        Path out = dir.resolve(name);
        Process p = new ProcessBuilder(cmd).redirectInput(src.toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor());
        return out;
    }

    @Test
    void gzipFromTheJdk() throws Exception {
        Path gz = dir.resolve("a.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(DATA);
        }
        assertEquals(DATA.length, RawSizes.of("gzip", gz));
        assertEquals(-1, RawSizes.of("gzip", Files.write(dir.resolve("tiny.gz"), new byte[5])));
    }

    @Test
    void xzFromTheTool() throws Exception {
        Path xz = toolOutput("a.xz", "xz", "-c", "--block-size=40000");
        assertEquals(DATA.length, RawSizes.of("xz", xz));
        // two concatenated streams: not one stream, so unknown rather than half the size
        Path two = dir.resolve("two.xz");
        byte[] one = Files.readAllBytes(xz);
        byte[] both = java.util.Arrays.copyOf(one, 2 * one.length);
        System.arraycopy(one, 0, both, one.length, one.length);
        Files.write(two, both);
        assertEquals(-1, RawSizes.of("xz", two));
        byte[] cut = java.util.Arrays.copyOf(one, one.length - 1);
        assertEquals(-1, RawSizes.of("xz", Files.write(dir.resolve("cut.xz"), cut)));
    }

    @Test
    void zstdFromTheTool() throws Exception {
        // zstd writes the content size when it knows the input size (a file, not a pipe)
        assumeTrue(RealCodecsCliTest.onPath("zstd"), "skipped: zstd not on PATH");
        Path src = Files.write(dir.resolve("in.txt"), DATA);
        Path out = dir.resolve("a.zst");
        Process p = new ProcessBuilder("zstd", "-q", "-f", src.toString(), "-o", out.toString()).start();
        assertEquals(0, p.waitFor());
        assertEquals(DATA.length, RawSizes.of("zstd", out));
        Path small = Files.write(dir.resolve("s.txt"), new byte[] {1, 2, 3});
        Path smallZ = dir.resolve("s.zst");
        assertEquals(0, new ProcessBuilder("zstd", "-q", "-f", small.toString(), "-o", smallZ.toString()).start().waitFor());
        assertEquals(3, RawSizes.of("zstd", smallZ));
    }

    @Test
    void lz4FromTheTool() throws Exception {
        Path lz = toolOutput("a.lz4", "lz4", "-c", "--content-size");
        assertEquals(DATA.length, RawSizes.of("lz4", lz));
        Path noSize = toolOutput("b.lz4", "lz4", "-c", "--no-content-size");
        assertEquals(-1, RawSizes.of("lz4", noSize));
    }
}
