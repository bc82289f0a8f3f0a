package dev.occam.bench;

import dev.occam.core.coding.BinaryDecoder;
import dev.occam.core.coding.BinaryEncoder;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.core.coding.Rans;
import dev.occam.core.coding.RansDecoder;
import dev.occam.core.coding.RansEncoder;
import dev.occam.core.model.Categorical;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Entropy-coder throughput on 1 MiB of real text with a static order-0 model (MB/s = 1.048576 /
 * (ms/op) * 1000). Run: {@code java -jar benchmarks/target/benchmarks.jar Coding -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodingBench {
    /** The text file; the first 1 MiB is used (override with -Doccam.bench.text=FILE). */
    @Param({BenchText.DEFAULT_PATH})
    public String textPath;

    /** Model precision in bits (the rANS byte path allows at most 16). */
    @Param({"15"})
    public int precision;

    private byte[] data;
    private Categorical model;
    private int[] bitP1;
    private byte[] rans;
    private byte[] range;
    private byte[] bits;
    private byte[] ransStream;
    private byte[] dst;
    private ByteArrayOutputStream sink;

    @Setup
    public void setup() throws IOException {
        data = BenchText.load(BenchText.resolve(textPath));
        int[] counts = BenchText.counts(data);
        model = Categorical.fromFrequencies(counts, precision);
        bitP1 = BenchText.bitModel(counts);
        dst = new byte[data.length];
        sink = new ByteArrayOutputStream(data.length);
        rans = ransEncode();
        sink.reset();
        rangeEncode();
        range = sink.toByteArray();
        sink.reset();
        binaryEncode();
        bits = sink.toByteArray();
        sink.reset();
        ransStreamEncode();
        ransStream = sink.toByteArray();
    }

    @Benchmark
    public byte[] ransEncode() {
        return Rans.encodeBytes(data, 0, data.length, model);
    }

    @Benchmark
    public byte[] ransDecode() throws IOException {
        Rans.decodeBytes(rans, 0, rans.length, model, dst, 0, dst.length);
        return dst;
    }

    @Benchmark
    public long rangeEncode() throws IOException {
        sink.reset();
        RangeEncoder enc = new RangeEncoder(sink);
        final Categorical m = model;
        for (byte b : data) enc.encode(b & 0xFF, m);
        enc.finish();
        return enc.bytesWritten();
    }

    @Benchmark
    public byte[] rangeDecode() throws IOException {
        RangeDecoder dec = new RangeDecoder(range, 0, range.length);
        final Categorical m = model;
        final byte[] out = dst;
        for (int i = 0; i < out.length; i++) out[i] = (byte) dec.decode(m);
        return out;
    }

    /** The same decode through the bulk call (state kept in locals). */
    @Benchmark
    public byte[] rangeDecodeBulk() throws IOException {
        RangeDecoder dec = new RangeDecoder(range, 0, range.length);
        dec.decode(model, dst, 0, dst.length);
        return dst;
    }

    @Benchmark
    public long binaryEncode() throws IOException {
        sink.reset();
        BinaryEncoder enc = new BinaryEncoder(sink);
        final int[] p1 = bitP1;
        for (byte v : data) {
            int ctx = 1;
            for (int k = 7; k >= 0; k--) {
                int bit = (v >>> k) & 1;
                enc.encode(bit, p1[ctx]);
                ctx = ctx << 1 | bit;
            }
        }
        enc.finish();
        return enc.bytesWritten();
    }

    @Benchmark
    public byte[] binaryDecode() throws IOException {
        BinaryDecoder dec = new BinaryDecoder(bits, 0, bits.length);
        final int[] p1 = bitP1;
        final byte[] out = dst;
        for (int i = 0; i < out.length; i++) {
            int ctx = 1;
            while (ctx < 256) ctx = ctx << 1 | dec.decode(p1[ctx]);
            out[i] = (byte) ctx;
        }
        return out;
    }

    @Benchmark
    public long ransStreamEncode() throws IOException {
        sink.reset();
        RansEncoder enc = new RansEncoder(sink);
        final Categorical m = model;
        for (byte b : data) enc.encode(b & 0xFF, m);
        enc.finish();
        return enc.bytesWritten();
    }

    @Benchmark
    public byte[] ransStreamDecode() throws IOException {
        RansDecoder dec = new RansDecoder(new ByteArrayInputStream(ransStream));
        final Categorical m = model;
        final byte[] out = dst;
        for (int i = 0; i < out.length; i++) out[i] = (byte) dec.decode(m);
        return out;
    }
}
