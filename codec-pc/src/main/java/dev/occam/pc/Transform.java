package dev.occam.pc;

/**
 * Lossless plane transforms applied before tiling. {@link #NONE}: the pixels themselves.
 * {@link #MED}: the residual of the median edge detector (LOCO-I / JPEG-LS) predictor, centred:
 * {@code r = (x - MED(a, b, c) + 128) mod 256} with a = left, b = up, c = up-left (0 outside the
 * image). The map is a bijection of planes (the inverse runs in raster order), so every tile of
 * residuals can still be coded and decoded independently; the PC then models residual patches, whose
 * statistics do not depend on the position in the image, and its latents capture local activity.
 */
public final class Transform {
    /** Pixels as they are. */
    public static final int NONE = 0;
    /** MED prediction residuals. */
    public static final int MED = 1;

    private Transform() {
    }

    /** Transform id from a name ("none", "med"); -1 when unknown. */
    public static int byName(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "med" -> MED;
            default -> -1;
        };
    }

    /** Forward transform of a w x h plane (a new array; NONE returns the input). */
    public static byte[] forward(int t, byte[] x, int w, int h) {
        if (t == NONE) return x;
        byte[] r = new byte[x.length];
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < w; i++) {
                int p = y * w + i;
                r[p] = (byte) ((x[p] & 0xFF) - predict(x, w, y, i) + 128);
            }
        }
        return r;
    }

    /** Inverse transform in place (raster order: each prediction uses pixels already restored). */
    static void inverse(int t, byte[] r, int w, int h) {
        if (t == NONE) return;
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < w; i++) {
                int p = y * w + i;
                r[p] = (byte) ((r[p] & 0xFF) - 128 + predict(r, w, y, i));
            }
        }
    }

    /** MED(a, b, c) = min(a, b) if c >= max(a, b); max(a, b) if c <= min(a, b); else a + b - c. */
    private static int predict(byte[] x, int w, int y, int i) {
        int a = i > 0 ? x[y * w + i - 1] & 0xFF : 0;
        int b = y > 0 ? x[(y - 1) * w + i] & 0xFF : 0;
        int c = i > 0 && y > 0 ? x[(y - 1) * w + i - 1] & 0xFF : 0;
        int mx = Math.max(a, b);
        int mn = Math.min(a, b);
        if (c >= mx) return mn;
        if (c <= mn) return mx;
        return a + b - c;
    }
}
