package dev.occam.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the benchmark text: the first 1 MiB of a real text file (never stored in the repo). */
final class BenchText {
    static final int SIZE = 1 << 20;
    static final String DEFAULT_PATH = "../shared/assets/text/world192.txt";

    private BenchText() {
    }

    /** Path from system property {@code occam.bench.text}, else the given default. */
    static Path resolve(String param) {
        String prop = System.getProperty("occam.bench.text");
        return Path.of(prop != null ? prop : param);
    }

    /** The first 1 MiB of the file; fails with a clear message when it is absent or too short. */
    static byte[] load(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("benchmark text " + path.toAbsolutePath().normalize() + " is absent: run from the project"
                    + " root beside ../shared/assets, or pass -Doccam.bench.text=FILE (or -p textPath=FILE)");
        }
        byte[] b = new byte[SIZE];
        int got = 0;
        try (InputStream in = Files.newInputStream(path)) {
            while (got < SIZE) {
                int r = in.read(b, got, SIZE - got);
                if (r < 0) break;
                got += r;
            }
        }
        if (got < SIZE) throw new IllegalStateException("benchmark text " + path + " is shorter than 1 MiB (" + got + " bytes)");
        return b;
    }

    /** Byte histogram. */
    static int[] counts(byte[] data) {
        int[] c = new int[256];
        for (byte b : data) c[b & 0xFF]++;
        return c;
    }

    /**
     * Static order-0 bitwise model: for each node {@code ctx} (1..255) of the binary tree over a
     * byte's bits (MSB first), {@code p1 = P(next bit = 1 | ctx) * 65536} from the byte counts.
     */
    static int[] bitModel(int[] counts) {
        long[] ones = new long[256];
        long[] all = new long[256];
        for (int b = 0; b < 256; b++) {
            int ctx = 1;
            for (int k = 7; k >= 0; k--) {
                int bit = (b >>> k) & 1;
                all[ctx] += counts[b];
                if (bit == 1) ones[ctx] += counts[b];
                ctx = ctx << 1 | bit;
            }
        }
        int[] p1 = new int[256];
        for (int ctx = 1; ctx < 256; ctx++) {
            long p = all[ctx] == 0 ? 32768 : (ones[ctx] * 65536 + all[ctx] / 2) / all[ctx];
            p1[ctx] = (int) Math.max(1, Math.min(65535, p));
        }
        return p1;
    }
}
