package dev.occam.pc;

import java.io.IOException;

/**
 * Binary Netpbm headers: {@code P5} (PGM, grey) and {@code P6} (PPM, RGB) with maxval 1..255:
 * magic, then width, height and maxval as ASCII decimals separated by whitespace or {@code #}
 * comments (to the end of the line), then exactly one whitespace byte, then the pixels, row-major,
 * RGB interleaved. The header bytes are kept verbatim by the codec, so any spelling round-trips.
 */
final class Pnm {
    /** The longest header accepted (comments included). */
    static final int MAX_HEADER = 1 << 16;

    /** A parsed header: magic digit (5 or 6), dimensions, maxval, header length in bytes, channels. */
    record Header(int magic, int width, int height, int maxval, int headerLength, int channels) {
        long pixelBytes() {
            return (long) width * height * channels;
        }
    }

    private Pnm() {
    }

    /** True when {@code b[off..]} starts like a Netpbm file ({@code P1}..{@code P7}). */
    static boolean looksLike(byte[] b, int off, int len) {
        return len >= 2 && b[off] == 'P' && b[off + 1] >= '1' && b[off + 1] <= '7';
    }

    /**
     * Parses the header of {@code b[off..off+len)}; IOException naming {@code name} for another
     * Netpbm kind (ASCII, bitmap, PAM), maxval above 255 (16-bit), a malformed or truncated header.
     */
    static Header parse(byte[] b, int off, int len, String name) throws IOException {
        if (!looksLike(b, off, len)) throw new IOException(name + ": not a PGM/PPM file (bad magic)");
        int magic = b[off + 1] - '0';
        if (magic != 5 && magic != 6) {
            String kind = switch (magic) {
                case 1 -> "ASCII bitmap (P1)";
                case 2 -> "ASCII PGM (P2)";
                case 3 -> "ASCII PPM (P3)";
                case 4 -> "1-bit bitmap (P4)";
                default -> "PAM (P7)";
            };
            throw new IOException(name + ": " + kind + " Netpbm files are not supported by pc (binary 8-bit P5/P6 only)");
        }
        int[] pos = {off + 2};
        int end = off + Math.min(len, MAX_HEADER);
        int width = number(b, pos, end, name, "width");
        int height = number(b, pos, end, name, "height");
        int maxval = number(b, pos, end, name, "maxval");
        if (pos[0] >= end || !space(b[pos[0]])) throw new IOException(name + ": truncated PGM/PPM header");
        pos[0]++;
        if (width < 1 || height < 1) throw new IOException(name + ": bad PGM/PPM dimensions " + width + "x" + height);
        if (maxval < 1 || maxval > 65535) throw new IOException(name + ": bad PGM/PPM maxval " + maxval);
        if (maxval > 255) {
            throw new IOException(name + ": 16-bit " + (magic == 5 ? "PGM" : "PPM") + " (maxval " + maxval
                    + ") is not supported by pc (8-bit images only, maxval <= 255)");
        }
        return new Header(magic, width, height, maxval, pos[0] - off, magic == 5 ? 1 : 3);
    }

    private static boolean space(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    /** Skips whitespace and comments, then reads a decimal number (at most 9 digits). */
    private static int number(byte[] b, int[] pos, int end, String name, String what) throws IOException {
        int p = pos[0];
        while (true) {
            if (p >= end) throw new IOException(name + ": truncated PGM/PPM header (no " + what + ")");
            if (space(b[p])) {
                p++;
            } else if (b[p] == '#') {
                while (p < end && b[p] != '\n' && b[p] != '\r') p++;
            } else {
                break;
            }
        }
        int v = 0;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            if (++digits > 9) throw new IOException(name + ": PGM/PPM " + what + " too large");
            v = v * 10 + (b[p++] - '0');
        }
        if (digits == 0) throw new IOException(name + ": malformed PGM/PPM header (" + what + " is not a number)");
        pos[0] = p;
        return v;
    }
}
