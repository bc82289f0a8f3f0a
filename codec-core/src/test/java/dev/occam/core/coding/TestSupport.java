package dev.occam.core.coding;

import dev.occam.core.model.Categorical;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;

/** Shared helpers for the coder tests: random models and one-byte-per-call streams. */
final class TestSupport {
    private TestSupport() {
    }

    /** A random model: random size, precision and skew (some symbols may get count 0). */
    static Categorical randomModel(Random rnd, int maxSize, int maxPrecision) {
        int prec = 1 + rnd.nextInt(maxPrecision);
        int n = 1 + rnd.nextInt(Math.min(maxSize, 1 << prec));
        double[] p = new double[n];
        int kind = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (kind) {
                case 0: p[i] = rnd.nextDouble(); break; // flat-ish
                case 1: p[i] = Math.pow(rnd.nextDouble(), 8); break; // skewed
                case 2: p[i] = Math.exp(-rnd.nextDouble() * 30); break; // very skewed
                default: p[i] = i == 0 ? 1 : 1e-9; break; // one dominant symbol
            }
        }
        return Categorical.fromProbabilities(p, prec);
    }

    /** Draws a symbol from the model's own distribution. */
    static int sample(Random rnd, Categorical m) {
        return m.symbolForSlot(rnd.nextInt(1 << m.precisionBits()));
    }

    /** Ideal code length in bits: sum of -log2(freq / 2^P). */
    static double idealBits(Categorical m, int symbol) {
        return m.precisionBits() - Math.log(m.freq(symbol)) / Math.log(2);
    }

    /** Returns at most one byte per read call. */
    static final class OneByteInputStream extends FilterInputStream {
        OneByteInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            int c = in.read();
            if (c < 0) return -1;
            b[off] = (byte) c;
            return 1;
        }
    }

    /** Forwards every byte with a separate write(int) call. */
    static final class OneByteOutputStream extends OutputStream {
        private final OutputStream out;
        int calls;

        OneByteOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            calls++;
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }
    }
}
