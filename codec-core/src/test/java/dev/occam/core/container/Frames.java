package dev.occam.core.container;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.function.Function;

/** Helpers for the frame tests: encode/decode in memory and generate test data. */
final class Frames {
    private Frames() {
    }

    /** The frame for {@code data}, written in one call. */
    static byte[] encode(BlockCodec codec, CodecOptions options, byte[] data, long originalLength) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OccOutputStream occ = new OccOutputStream(out, codec, options, originalLength)) {
            occ.write(data);
        }
        return out.toByteArray();
    }

    /** The decoded content of {@code frame}. */
    static byte[] decode(byte[] frame, Function<String, BlockCodec> codecs, CodecOptions options) throws IOException {
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(frame), codecs, options)) {
            return in.readAllBytes();
        }
    }

    /** What a decode attempt produced: the bytes released before the failure (if any). */
    record Attempt(byte[] output, Exception error) {
    }

    /** Decodes, keeping the bytes released before an exception. */
    static Attempt attempt(byte[] frame, Function<String, BlockCodec> codecs, CodecOptions options) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(frame), codecs, options)) {
            byte[] buf = new byte[37];
            for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
        } catch (Exception e) {
            return new Attempt(got.toByteArray(), e);
        }
        return new Attempt(got.toByteArray(), null);
    }

    /** Runs of repeated bytes mixed with stretches of noise (some blocks code smaller, some do not). */
    static byte[] mixed(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int len = Math.min(n - i, 1 + r.nextInt(90));
            if (r.nextBoolean()) {
                byte v = (byte) r.nextInt(256);
                for (int k = 0; k < len; k++) b[i + k] = v;
            } else {
                for (int k = 0; k < len; k++) b[i + k] = (byte) r.nextInt(256);
            }
            i += len;
        }
        return b;
    }

    /** True when {@code prefix} equals the first bytes of {@code whole}. */
    static boolean isPrefix(byte[] prefix, byte[] whole) {
        if (prefix.length > whole.length) return false;
        for (int i = 0; i < prefix.length; i++) if (prefix[i] != whole[i]) return false;
        return true;
    }
}
