package dev.occam.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import java.io.IOException;
import java.util.Random;

/** Checks every block codec's decoder must pass, shared by the codec modules' tests. */
public final class BlockCodecChecks {
    private BlockCodecChecks() {
    }

    /**
     * Random garbage of up to 63 bytes, decoded into up to 2000 bytes: the decoder may return
     * garbage (the frame's CRCs catch it) or throw {@link CorruptInputException} with an offset near
     * the input, but nothing else: no RuntimeException, no hang.
     */
    public static void garbageNeverEscapes(BlockCodec.BlockDecoder dec, long seed, int trials) throws IOException {
        Random r = new Random(seed);
        for (int t = 0; t < trials; t++) {
            byte[] junk = new byte[r.nextInt(64)];
            r.nextBytes(junk);
            byte[] out = new byte[r.nextInt(2000)];
            try {
                dec.decode(junk, 0, junk.length, out, 0, out.length);
            } catch (CorruptInputException expected) {
                assertTrue(expected.offset() >= -1 && expected.offset() <= junk.length + 16,
                        "seed " + seed + ", trial " + t + ": " + expected.getMessage());
            }
        }
    }
}
