package dev.occam.lm.cm;

/**
 * Integer logistic tables shared by the cm model: probabilities are 12-bit ({@code p = P(1) * 4096}
 * in [1, 4095]) and log-odds are fixed point with 8 fraction bits in [-2047, 2047].
 * Built once with {@link StrictMath}, so every JVM computes identical tables.
 */
final class Logistic {
    private static final int[] SQUASH = new int[4095];
    private static final short[] STRETCH = new short[4096];

    static {
        // squash(x) = round(4096 / (1 + e^(-x/256))), clamped to [1, 4095]
        for (int x = -2047; x <= 2047; x++) {
            long v = StrictMath.round(4096.0 / (1.0 + StrictMath.exp(-x / 256.0)));
            SQUASH[x + 2047] = (int) Math.max(1, Math.min(4095, v));
        }
        // stretch(p) = the smallest x with squash(x) >= p (the inverse of squash on its range)
        int p = 0;
        for (int x = -2047; x <= 2047; x++) {
            int v = SQUASH[x + 2047];
            for (; p <= v; p++) STRETCH[p] = (short) x;
        }
        for (; p < 4096; p++) STRETCH[p] = 2047;
    }

    private Logistic() {
    }

    /** squash(x) = 4096 / (1 + e^(-x/256)) for x clamped to [-2047, 2047]; result in [1, 4095]. */
    static int squash(int x) {
        if (x > 2047) x = 2047;
        if (x < -2047) x = -2047;
        return SQUASH[x + 2047];
    }

    /** stretch(p) = 256 * ln(p / (4096 - p)) for p in [0, 4095], the inverse of {@link #squash}. */
    static int stretch(int p) {
        return STRETCH[p];
    }
}
