package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Half and bfloat16 conversions: exact round trips and round-to-nearest-even checked against double arithmetic. */
class FloatsTest {
    @Test
    void everyFiniteHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00) continue;
            assertEquals(h, Floats.floatToHalf(Floats.halfToFloat(h)), "half " + Integer.toHexString(h));
            int b = h;
            if ((b & 0x7F80) == 0x7F80) continue;
            assertEquals(b, Floats.floatToBf16(Floats.bf16ToFloat(b)));
        }
    }

    @Test
    void roundsToTheNearestRepresentable() {
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 25));
            int h = Floats.floatToHalf(f);
            if ((h & 0x7FFF) == 0x7C00) { // IEEE: overflow to infinity from 65520 (halfway past the largest half) on
                assertTrue(Math.abs(f) >= 65520f, "f=" + f);
                continue;
            }
            double err = Math.abs(Floats.halfToFloat(h) - (double) f);
            // neighbours one step away in the half grid are never closer
            for (int n : new int[] {h - 1, h + 1}) {
                if ((n & 0x7FFF) >= 0x7C00 || n < 0 || ((n ^ h) & 0x8000) != 0) continue;
                assertTrue(Math.abs(Floats.halfToFloat(n) - (double) f) >= err, "f=" + f);
            }
            int b = Floats.floatToBf16(f);
            double eb = Math.abs(Floats.bf16ToFloat(b) - (double) f);
            for (int n : new int[] {b - 1, b + 1}) {
                if (((n ^ b) & 0x8000) != 0) continue;
                assertTrue(Math.abs(Floats.bf16ToFloat(n) - (double) f) >= eb);
            }
        }
        assertEquals(0x7C00, Floats.floatToHalf(70000f));
        assertEquals(1, Floats.floatToHalf(0x1p-24f));
    }

    @Test
    void orderedViewIsMonotoneAndInvertible() {
        Random r = new Random(4);
        for (Safetensors.DType t : new Safetensors.DType[] {Safetensors.DType.F32, Safetensors.DType.F16, Safetensors.DType.BF16}) {
            for (int i = 0; i < 20000; i++) {
                float a = (float) r.nextGaussian();
                float b = (float) r.nextGaussian();
                int ba = Floats.fromFloat(a, t);
                int bb = Floats.fromFloat(b, t);
                assertEquals(ba, Floats.unordered(Floats.ordered(ba, t), t));
                float fa = Floats.toFloat(ba, t);
                float fb = Floats.toFloat(bb, t);
                if (fa < fb) assertTrue(Floats.ordered(ba, t) < Floats.ordered(bb, t));
            }
        }
    }
}
