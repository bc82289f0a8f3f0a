package dev.occam.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizerTest {

    @Test
    void scansAndHeapsGiveIdenticalResults() {
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int prec = 1 + rnd.nextInt(24);
            int n = 1 + rnd.nextInt((int) Math.min(3000, 1L << prec));
            long[] w = new long[n];
            boolean keepAll = rnd.nextBoolean();
            for (int i = 0; i < n; i++) {
                int kind = rnd.nextInt(4);
                w[i] = kind == 0 ? 0 : kind == 1 ? rnd.nextInt(10) : (long) (Math.pow(rnd.nextDouble(), 6) * (1L << 36));
            }
            w[rnd.nextInt(n)] = 1 + rnd.nextInt(1 << 20);
            int[] heaps = Quantizer.quantize(w, prec, keepAll, 0);
            int[] scans = Quantizer.quantize(w, prec, keepAll, Integer.MAX_VALUE);
            assertArrayEquals(scans, heaps, "seed " + seed);
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += heaps[i];
                assertTrue(heaps[i] >= (keepAll || w[i] > 0 ? 1 : 0), "seed " + seed + " symbol " + i);
                if (!keepAll && w[i] == 0) assertEquals(0, heaps[i], "seed " + seed);
            }
            assertEquals(1L << prec, sum, "seed " + seed);
        }
    }
}
