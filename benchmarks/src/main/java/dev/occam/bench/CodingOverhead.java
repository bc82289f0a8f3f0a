package dev.occam.bench;

import dev.occam.core.coding.BinaryEncoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.core.coding.Rans;
import dev.occam.core.coding.RansEncoder;
import dev.occam.core.model.Categorical;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * Prints each coder's coded size on 1 MiB of text (static order-0 model) against (a) the ideal
 * {@code sum -log2 p} under the quantised model the coder used and (b) the empirical unquantised
 * order-0 entropy. Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.occam.bench.CodingOverhead
 * [textFile] [precision...]}.
 */
public final class CodingOverhead {
    private CodingOverhead() {
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) throws IOException {
        String path = args.length > 0 ? args[0] : BenchText.DEFAULT_PATH;
        byte[] data = BenchText.load(BenchText.resolve(path));
        int[] counts = BenchText.counts(data);
        double empirical = 0;
        for (int c : counts) if (c > 0) empirical -= c * log2((double) c / data.length);
        System.out.printf(Locale.ROOT, "text: %s, %d bytes; empirical order-0 entropy %.1f bytes (%.4f bits/byte)%n",
                path, data.length, empirical / 8, empirical / data.length);
        int[] precisions = {12, 14, 15, 16};
        if (args.length > 1) {
            precisions = new int[args.length - 1];
            for (int i = 1; i < args.length; i++) precisions[i - 1] = Integer.parseInt(args[i]);
        }
        for (int prec : precisions) {
            Categorical m = Categorical.fromFrequencies(counts, prec);
            double ideal = 0;
            for (int s = 0; s < 256; s++) if (counts[s] > 0) ideal += counts[s] * (prec - log2(m.freq(s)));
            System.out.printf(Locale.ROOT, "precision %d: ideal under quantised model %.1f bytes (quantisation costs %.4f%% over empirical)%n",
                    prec, ideal / 8, 100 * (ideal / empirical - 1));
            if (prec <= Rans.MAX_PRECISION) report("rANS bytes (4-way)", Rans.encodeBytes(data, 0, data.length, m).length, ideal, empirical);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            RangeEncoder re = new RangeEncoder(bos);
            for (byte b : data) re.encode(b & 0xFF, m);
            re.finish();
            report("range coder", bos.size(), ideal, empirical);
            bos.reset();
            RansEncoder se = new RansEncoder(bos);
            for (byte b : data) se.encode(b & 0xFF, m);
            se.finish();
            report("rANS streaming (256K chunks)", bos.size(), ideal, empirical);
        }
        int[] p1 = BenchText.bitModel(counts);
        double idealBits = 0;
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        BinaryEncoder be = new BinaryEncoder(bos);
        for (byte v : data) {
            int ctx = 1;
            for (int k = 7; k >= 0; k--) {
                int bit = (v >>> k) & 1;
                be.encode(bit, p1[ctx]);
                idealBits -= log2((bit == 1 ? p1[ctx] : 65536 - p1[ctx]) / 65536.0);
                ctx = ctx << 1 | bit;
            }
        }
        be.finish();
        System.out.printf(Locale.ROOT, "binary coder, static order-0 bitwise (16-bit p1): ideal %.1f bytes%n", idealBits / 8);
        report("binary coder", bos.size(), idealBits, empirical);
    }

    private static void report(String name, long bytes, double idealBits, double empiricalBits) {
        System.out.printf(Locale.ROOT, "  %-28s %9d bytes  overhead vs quantised ideal %+.4f%%  vs empirical entropy %+.4f%%%n",
                name, bytes, 100 * (bytes * 8 / idealBits - 1), 100 * (bytes * 8 / empiricalBits - 1));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
