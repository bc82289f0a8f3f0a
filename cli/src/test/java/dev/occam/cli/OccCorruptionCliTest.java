package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault contract at the command line, exhaustively on a small multi-block o2 file:
 * every single-byte corruption and every truncation gives exit 1, a message naming the file and a
 * byte offset inside the file, no stack trace, and no output file (nor a temp file) left behind.
 */
class OccCorruptionCliTest {
    private static final Pattern OFFSET = Pattern.compile("\\(at byte offset (\\d+)\\)\n$");

    @TempDir
    Path dir;

    private byte[] original;
    private byte[] good;

    @BeforeEach
    void makeSmallFrame() throws IOException {
        RealCodecs.require("o2");
        original = ("It was the best of times, it was the worst of times, it was the age of wisdom, "
                + "it was the age of foolishness... 0123456789").repeat(3).getBytes(StandardCharsets.US_ASCII);
        Path src = Files.write(dir.resolve("small.txt"), original);
        // 100-byte blocks: several coded blocks plus a short last one
        assertEquals(0, Cli.run("compress", "--codec", "o2", "--block-size", "100", src.toString()).code());
        good = Files.readAllBytes(dir.resolve("small.txt.occ"));
        Files.delete(src);
        assertEquals(0, Cli.run("decompress", dir.resolve("small.txt.occ").toString()).code());
        assertArrayEquals(original, Files.readAllBytes(src), "the intact file must decode");
        Files.delete(src);
        Files.delete(dir.resolve("small.txt.occ"));
    }

    @Test
    void everySingleByteCorruptionIsRefusedWithFileAndOffset() throws IOException {
        for (int pos = 0; pos < good.length; pos++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = good.clone();
                bad[pos] ^= (byte) mask;
                expectRefused(bad, "byte " + pos + " ^ 0x" + Integer.toHexString(mask));
            }
        }
    }

    @Test
    void everyTruncationIsRefusedWithFileAndOffset() throws IOException {
        for (int len = 0; len < good.length; len++) {
            expectRefused(Arrays.copyOf(good, len), "cut to " + len + " bytes");
        }
    }

    private void expectRefused(byte[] bad, String what) throws IOException {
        Path f = Files.write(dir.resolve("bad.txt.occ"), bad);
        Cli.Result r = Cli.run("decompress", f.toString());
        assertEquals(1, r.code(), what + ": " + r);
        assertTrue(r.stderr().startsWith("occam: " + f + ": "), what + ": " + r.stderr());
        Matcher m = OFFSET.matcher(r.stderr());
        assertTrue(m.find(), what + ": no byte offset in " + r.stderr());
        long offset = Long.parseLong(m.group(1));
        assertTrue(offset >= 0 && offset <= bad.length, what + ": offset " + offset + " outside the file");
        CliTest.assertNoStackTrace(r.stderr());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), what + ": something was left behind besides the input");
        }
    }
}
