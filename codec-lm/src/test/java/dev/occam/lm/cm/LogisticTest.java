package dev.occam.lm.cm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogisticTest {
    @Test
    void squashAndStretchAreMonotoneInverses() {
        int prev = 0;
        for (int x = -2047; x <= 2047; x++) {
            int p = Logistic.squash(x);
            assertTrue(p >= prev && p >= 1 && p <= 4095, "x=" + x);
            prev = p;
            // 4096 / (1 + e^(-x/256)) computed independently
            double exact = 4096.0 / (1.0 + Math.exp(-x / 256.0));
            assertTrue(Math.abs(p - exact) <= 1.0, "x=" + x + " p=" + p + " exact=" + exact);
        }
        assertEquals(2048, Logistic.squash(0));
        for (int p = 1; p < 4096; p++) {
            int x = Logistic.stretch(p);
            assertTrue(Logistic.squash(x) >= p || x == 2047, "p=" + p);
            if (x > -2047) assertTrue(Logistic.squash(x - 1) < p, "p=" + p + " is not the smallest x");
        }
    }

    @Test
    void bitHistoryStatesFitInAByteAndDiscountTheOtherCount() {
        assertTrue(States.COUNT <= 256 && States.COUNT > 100, "states: " + States.COUNT);
        assertEquals(0, States.N0[0] + States.N1[0]);
        for (int s = 0; s < States.COUNT; s++) {
            int one = States.NEXT[2 * s + 1] & 0xFF;
            int zero = States.NEXT[2 * s] & 0xFF;
            assertTrue(one < States.COUNT && zero < States.COUNT);
            assertEquals(Math.min(States.N1[s] + 1, States.CAP), States.N1[one]);
            assertEquals(States.N0[s] > 2 ? States.N0[s] / 2 + 1 : States.N0[s], States.N0[one]);
            assertEquals(Math.min(States.N0[s] + 1, States.CAP), States.N0[zero]);
        }
    }
}
