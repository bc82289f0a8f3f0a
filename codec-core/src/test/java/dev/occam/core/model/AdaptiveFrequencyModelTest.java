package dev.occam.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveFrequencyModelTest {

    @Test
    void invariantsHoldUnderRandomUpdates() {
        for (int seed = 0; seed < 40; seed++) {
            Random rnd = new Random(seed);
            int prec = 10 + rnd.nextInt(15);
            int n = 1 + rnd.nextInt(Math.min(1 << 16, 1 << (prec - 1)));
            AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(n, prec, 1 + rnd.nextInt(64), 1 << (17 + rnd.nextInt(4)));
            for (int i = 0; i < 20000; i++) {
                m.update(rnd.nextInt(4) == 0 ? rnd.nextInt(n) : rnd.nextInt(Math.min(n, 8)));
                if (i % 4999 == 0) {
                    CategoricalTest.checkInvariants(m, "seed " + seed + " step " + i);
                    for (int s = 0; s < n; s++) assertTrue(m.freq(s) >= 1, "seed " + seed);
                }
            }
        }
    }

    @Test
    void adaptsTowardsFrequentSymbolAndForgets() {
        AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(256, 16);
        int before = m.freq('e');
        for (int i = 0; i < 5000; i++) m.update('e');
        assertTrue(m.freq('e') > 60000, "freq(e)=" + m.freq('e') + " (was " + before + ")");
        for (int i = 0; i < 20000; i++) m.update('a');
        assertTrue(m.freq('a') > 60000 && m.freq('e') < 1000, "a=" + m.freq('a') + " e=" + m.freq('e'));
        for (int slot : new int[] {0, 1, 65535, 32768}) {
            int s = m.symbolForSlot(slot);
            assertTrue(m.cumFreq(s) <= slot && slot < m.cumFreq(s) + m.freq(s));
        }
    }

    @Test
    void deterministicAndValidated() {
        AdaptiveFrequencyModel a = new AdaptiveFrequencyModel(1000, 20);
        AdaptiveFrequencyModel b = new AdaptiveFrequencyModel(1000, 20);
        Random rnd = new Random(1);
        for (int i = 0; i < 10000; i++) {
            int s = rnd.nextInt(1000);
            a.update(s);
            b.update(s);
        }
        for (int s = 0; s < 1000; s++) assertEquals(a.cumFreq(s), b.cumFreq(s));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveFrequencyModel(200, 8));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveFrequencyModel(0, 8));
    }
}
