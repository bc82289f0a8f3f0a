package dev.occam.lm.onnx;

/** Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
final class Utf8 {
    private Utf8() {
    }

    /** End of the longest run of well-formed UTF-8 characters starting at {@code from} (== from if none). */
    static int validRunEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int n = charLength(b, i, to);
            if (n == 0) break;
            i += n;
        }
        return i;
    }

    /** Length (1..4) of the well-formed character at {@code i}, or 0 if the bytes there are not one. */
    static int charLength(byte[] b, int i, int to) {
        int c = b[i] & 0xFF;
        if (c < 0x80) return 1;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) lo = 0xA0; // no overlong
            if (c == 0xED) hi = 0x9F; // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) lo = 0x90; // no overlong
            if (c == 0xF4) hi = 0x8F; // <= U+10FFFF
        } else {
            return 0;
        }
        if (i + n > to) return 0;
        int c1 = b[i + 1] & 0xFF;
        if (c1 < lo || c1 > hi) return 0;
        for (int k = 2; k < n; k++) if ((b[i + k] & 0xC0) != 0x80) return 0;
        return n;
    }
}
