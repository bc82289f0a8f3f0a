package dev.occam.lm.onnx;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measurement tool (not a test): bits per byte, tokens per second and the CDF quantisation
 * overhead of the lm codec on files, one block per file.
 *
 * <pre>java -cp TEST_CLASSPATH dev.occam.lm.onnx.LmMeasure MODEL_DIR [precision=24] [context=512] [kl=true] FILE...</pre>
 *
 * <p>Columns: bpb = coded bits per byte (block payload, no frame header); ideal = -log2 p of the
 * coded symbols under the float softmax, per byte; quant% = quantised -log2 q vs ideal; coded% =
 * coded bits vs ideal; KL% = expected quantisation loss sum KL(p||q) vs ideal (kl=true; slow). With
 * kl=true the tokens/s columns include the KL computation.
 */
public final class LmMeasure {
    private LmMeasure() {
    }

    /** Prints one line per file. */
    public static void main(String[] args) throws IOException {
        CodecOptions o = CodecOptions.defaults().with("model", args[0]);
        int precision = OnnxLmCodec.DEFAULT_PRECISION;
        int context = OnnxLmCodec.DEFAULT_CONTEXT;
        boolean measureKl = false;
        int first = 1;
        for (; first < args.length && args[first].contains("="); first++) {
            String[] kv = args[first].split("=", 2);
            if (kv[0].equals("precision")) precision = Integer.parseInt(kv[1]);
            if (kv[0].equals("context")) context = Integer.parseInt(kv[1]);
            if (kv[0].equals("kl")) measureKl = Boolean.parseBoolean(kv[1]);
        }
        System.out.printf("%-28s %8s %7s %6s %8s %8s %9s %9s %9s %9s %9s%n", "file", "bytes", "tokens", "esc", "bpb",
                "ideal", "quant%", "coded%", "KL%", "enc tok/s", "dec tok/s");
        for (int i = first; i < args.length; i++) {
            byte[] data = Files.readAllBytes(Path.of(args[i]));
            try (LmBlockCoder c = OnnxLmCodec.open(o, context, precision)) {
                c.stats().measureKl = measureKl;
                long t0 = System.nanoTime();
                byte[] packed = c.encode(data, 0, data.length);
                long t1 = System.nanoTime();
                byte[] back = new byte[data.length];
                c.decode(packed, 0, packed.length, back, 0, back.length);
                long t2 = System.nanoTime();
                if (!java.util.Arrays.equals(data, back)) throw new IllegalStateException("round trip failed: " + args[i]);
                LmBlockCoder.Stats s = c.stats();
                long symbols = s.tokens + s.escapes;
                System.out.printf("%-28s %8d %7d %6d %8.4f %8.4f %+9.4f %+9.4f %9.5f %9.0f %9.0f%n",
                        Path.of(args[i]).getFileName(), data.length, s.tokens, s.escapes,
                        packed.length * 8.0 / data.length, s.idealBits / data.length,
                        100 * (s.quantizedBits / s.idealBits - 1), 100 * (packed.length * 8.0 / s.idealBits - 1), 100 * s.klBits / s.idealBits,
                        symbols / ((t1 - t0) / 1e9), symbols / ((t2 - t1) / 1e9));
            }
        }
    }
}
