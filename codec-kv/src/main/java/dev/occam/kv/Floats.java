package dev.occam.kv;

/** Conversions between float and the 16-bit formats (IEEE half, bfloat16), round-to-nearest-even. */
final class Floats {
    private Floats() {
    }

    /** IEEE half bits -> float (exact). */
    static float halfToFloat(int h) {
        int s = (h >>> 15) & 1;
        int e = (h >>> 10) & 0x1F;
        int m = h & 0x3FF;
        float v;
        if (e == 0) v = m * 0x1p-24f;
        else if (e == 31) v = m == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        else v = Float.intBitsToFloat(((e - 15 + 127) << 23) | (m << 13));
        return s == 1 ? -v : v;
    }

    /** float -> IEEE half bits, round to nearest even (overflow -> infinity, NaN -> quiet NaN). */
    static int floatToHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int e = (x >>> 23) & 0xFF;
        int m = x & 0x7FFFFF;
        if (e == 0xFF) return sign | 0x7C00 | (m != 0 ? 0x200 | (m >>> 13) : 0);
        int he = e - 127 + 15;
        if (he >= 31) return sign | 0x7C00;
        if (he <= 0) {
            if (he < -10) return sign; // below half the smallest subnormal
            m |= 0x800000;
            int shift = 14 - he; // 14..24
            int r = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rem > half || (rem == half && (r & 1) == 1)) r++;
            return sign | r;
        }
        int r = (he << 10) | (m >>> 13);
        int rem = m & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (r & 1) == 1)) r++; // may carry into the exponent (correct)
        return sign | r;
    }

    /** bfloat16 bits -> float (exact). */
    static float bf16ToFloat(int b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /** float -> bfloat16 bits, round to nearest even (NaN stays NaN). */
    static int floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7F800000) == 0x7F800000 && (x & 0x7FFFFF) != 0) return ((x >>> 16) | 0x40) & 0xFFFF;
        int r = x + 0x7FFF + ((x >>> 16) & 1);
        return (r >>> 16) & 0xFFFF;
    }

    /** Stored bits (per dtype) -> float. */
    static float toFloat(int bits, Safetensors.DType t) {
        return switch (t) {
            case F32 -> Float.intBitsToFloat(bits);
            case F16 -> halfToFloat(bits);
            case BF16 -> bf16ToFloat(bits);
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    /** float -> stored bits (per dtype), round to nearest even. */
    static int fromFloat(float f, Safetensors.DType t) {
        return switch (t) {
            case F32 -> Float.floatToRawIntBits(f);
            case F16 -> floatToHalf(f);
            case BF16 -> floatToBf16(f);
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    /** Whether stored bits are NaN or infinite. */
    static boolean nonFinite(int bits, Safetensors.DType t) {
        return switch (t) {
            case F32 -> (bits & 0x7F800000) == 0x7F800000;
            case F16 -> (bits & 0x7C00) == 0x7C00;
            case BF16 -> (bits & 0x7F80) == 0x7F80;
            default -> false;
        };
    }

    /** Monotone integer of stored bits: sign-magnitude -> two's-complement order (finite values). */
    static int ordered(int bits, Safetensors.DType t) {
        int w = t == Safetensors.DType.F32 ? 31 : 15;
        int mag = bits & ((1 << w) - 1);
        boolean neg = ((bits >>> w) & 1) == 1;
        return neg ? -mag - 1 : mag;
    }

    /** Inverse of {@link #ordered}. */
    static int unordered(int o, Safetensors.DType t) {
        int w = t == Safetensors.DType.F32 ? 31 : 15;
        return o >= 0 ? o : ((-(o + 1)) | (1 << w));
    }
}
