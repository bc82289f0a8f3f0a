package dev.occam.cli;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code occam bench}: for every file x codec x level, compressed size, ratio, bits per byte and
 * compress/decompress speed (median of N timed runs after one warm-up), with every round trip
 * verified byte for byte. Files are read into memory once: bench is for benchmark-sized files.
 */
@Command(name = "bench", aliases = "b", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class, sortOptions = false,
        description = {"Benchmark codecs on FILEs (each read into memory once; meant for benchmark corpora).",
                "Speeds in MB/s = 10^6 bytes of original data per second, median of --repeat runs after one warm-up.",
                "Every round trip is verified byte for byte; a mismatch is an error (exit 1)."})
final class BenchCommand extends BaseCommand {
    static final String[] COLUMNS = {"file", "codec", "level", "original_bytes", "compressed_bytes", "ratio",
        "bits_per_byte", "compress_mb_s", "decompress_mb_s", "repeats", "threads"};

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to compress (read into memory).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--codecs", split = ",", paramLabel = "NAME", description = "Codecs (default: every codec that can compress).")
    List<String> codecNames = new ArrayList<>();

    @Option(names = "--levels", paramLabel = "LIST", description = "Levels, e.g. 1,3,9 or 1-9 (default: each codec's default).")
    String levels;

    @Option(names = "--repeat", paramLabel = "N", description = "Timed runs per measurement, after one warm-up (default: ${DEFAULT-VALUE}).")
    int repeat = 3;

    @Mixin
    FormatOption formatOption = new FormatOption();

    @Mixin
    ThreadsOption threadsOption = new ThreadsOption();

    private int threads;

    @Option(names = "--block-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Raw bytes per .occ block (default: the codec's).")
    int blockSize;

    private Table.Format format;
    private PrintStream out;
    private Table rowFormat;
    private int rowsPrinted;

    BenchCommand(Env env) {
        super(env);
    }

    @Override
    String commandName() {
        return "bench";
    }

    @Override
    int execute() throws Exception {
        if (repeat < 1) throw Failure.usage("--repeat must be >= 1");
        threads = threadsOption.resolve(this);
        format = formatOption.format;
        FileCommand.checkBlockSize(blockSize);
        Map<Codec, List<Integer>> plan = plan();
        out = new PrintStream(new Streams.CountingOutput(env.stdout, true), false, StandardCharsets.UTF_8);
        rowFormat = new Table(3, COLUMNS);
        begin();
        int failures = 0;
        for (Path file : files) {
            byte[] data;
            try {
                data = readFile(file);
            } catch (Throwable t) {
                report(file.toString(), t);
                failures++;
                continue;
            }
            for (Map.Entry<Codec, List<Integer>> e : plan.entrySet()) {
                for (Integer level : e.getValue()) {
                    try {
                        runOne(file, data, e.getKey(), level);
                    } catch (Throwable t) {
                        Object shown = level != null ? level : defaultLevel(e.getKey());
                        report(file + ": " + e.getKey().name() + (shown == null ? "" : " level " + shown), t);
                        failures++;
                    }
                }
            }
        }
        end();
        return failures == 0 ? Occam.EXIT_OK : Occam.EXIT_FAILURE;
    }

    /** Codec -> levels (null = the codec's default); usage errors for unknown codecs or levels that fit none. */
    private Map<Codec, List<Integer>> plan() throws Failure {
        List<Codec> codecs = new ArrayList<>();
        if (codecNames.isEmpty()) {
            for (Codec c : env.registry.all()) if (c.canCompress()) codecs.add(c);
            if (codecs.isEmpty()) throw Failure.failed("no codec that can compress is installed");
        } else {
            for (String n : codecNames) {
                Codec c = env.registry.get(n.trim());
                if (c == null) throw Failure.usage("unknown codec '" + n + "' (see 'occam codecs')");
                if (!c.canCompress()) throw Failure.usage("codec " + c.name() + " can only decompress");
                if (!codecs.contains(c)) codecs.add(c);
            }
        }
        List<Integer> wanted = null;
        if (levels != null) {
            try {
                wanted = Sizes.parseLevels(levels);
            } catch (RuntimeException e) {
                throw Failure.usage(e.getMessage());
            }
        }
        Map<Codec, List<Integer>> plan = new LinkedHashMap<>();
        for (Codec c : codecs) {
            boolean hasLevels = !(c.minLevel() == 0 && c.maxLevel() == 0);
            List<Integer> ls = new ArrayList<>();
            if (wanted == null || !hasLevels) {
                if (wanted != null && !quiet) warn(c.name() + " has no levels: --levels ignored for it");
                ls.add(null);
            } else {
                List<Integer> skipped = new ArrayList<>();
                for (int l : wanted) {
                    if (l >= c.minLevel() && l <= c.maxLevel()) ls.add(l);
                    else skipped.add(l);
                }
                if (ls.isEmpty()) {
                    throw Failure.usage(String.format(Locale.ROOT, "no level in '%s' fits codec %s (%d..%d)",
                            levels, c.name(), c.minLevel(), c.maxLevel()));
                }
                if (!skipped.isEmpty()) {
                    warn(String.format(Locale.ROOT, "%s: levels %s outside %d..%d skipped", c.name(), skipped,
                            c.minLevel(), c.maxLevel()));
                }
            }
            plan.put(c, ls);
        }
        return plan;
    }

    private static byte[] readFile(Path file) throws IOException, Failure {
        FileCommand.checkInputFile(file);
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 64) throw Failure.failed("too large for bench (files are read into memory; max 2 GiB)");
        return Files.readAllBytes(file);
    }

    private void runOne(Path file, byte[] data, Codec codec, Integer level) throws IOException, Failure {
        CodecOptions options = CodecOptions.defaults().withThreads(threads).withBlockSize(blockSize);
        if (level != null) options = options.withLevel(level);
        Sink sink = new Sink(Math.max(64, data.length / 2));
        byte[] back = new byte[data.length];
        // warm-up run, verified
        compress(codec, options, data, sink);
        decompressAndVerify(codec, options, sink, back, data);
        long[] ct = new long[repeat];
        long[] dt = new long[repeat];
        for (int r = 0; r < repeat; r++) {
            ct[r] = compress(codec, options, data, sink);
            dt[r] = decompressAndVerify(codec, options, sink, back, data);
        }
        long size = sink.size;
        double cs = median(ct) / 1e9;
        double ds = median(dt) / 1e9;
        double ratio = size == 0 ? Double.NaN : (double) data.length / size;
        double bpb = data.length == 0 ? Double.NaN : 8.0 * size / data.length;
        row(new Object[] {file.toString(), codec.name(), level == null ? (Object) defaultLevel(codec) : level,
                (long) data.length, size, ratio, bpb, data.length / 1e6 / cs, data.length / 1e6 / ds, repeat,
                options.effectiveThreads()});
    }

    private static Object defaultLevel(Codec c) {
        return c.minLevel() == 0 && c.maxLevel() == 0 ? null : c.defaultLevel();
    }

    /** Compresses data into sink; returns the nanoseconds taken. */
    private static long compress(Codec codec, CodecOptions options, byte[] data, Sink sink) throws IOException {
        sink.size = 0;
        long t0 = System.nanoTime();
        try (OutputStream z = codec.compress(sink, options)) {
            z.write(data);
        }
        return System.nanoTime() - t0;
    }

    /** Decompresses sink into back, then checks it equals data; returns the nanoseconds the decoding took. */
    private static long decompressAndVerify(Codec codec, CodecOptions options, Sink sink, byte[] back, byte[] data)
            throws IOException, Failure {
        long t0 = System.nanoTime();
        int n;
        int extra;
        try (InputStream z = codec.decompress(new ByteArrayInputStream(sink.buf, 0, (int) sink.size), options)) {
            n = z.readNBytes(back, 0, back.length);
            extra = z.read();
        }
        long t = System.nanoTime() - t0;
        if (n != data.length || extra != -1) {
            throw Failure.failed("round trip FAILED: decoded " + (extra != -1 ? "more than " : "") + n
                    + " bytes, expected " + data.length);
        }
        int at = Arrays.mismatch(back, data);
        if (at >= 0) throw Failure.failed("round trip FAILED: decoded bytes differ from the input at byte " + at);
        return t;
    }

    static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
    }

    private void begin() {
        switch (format) {
            case TABLE -> {
                out.printf(Locale.ROOT, "# occam bench: ratio = original/compressed, bpb = compressed bits per original byte,%n");
                out.printf(Locale.ROOT, "# MB/s = 10^6 original bytes per second, median of %d run%s after 1 warm-up, %s%n",
                        repeat, repeat == 1 ? "" : "s", "round trips verified");
            }
            case CSV -> out.println(rowFormat.csvHeader());
            case JSON -> out.print("[");
        }
        out.flush();
    }

    private void row(Object[] r) {
        switch (format) {
            case TABLE -> out.printf(Locale.ROOT, "%-8s %3s # %-24s : %12d -> %12d (%s, %s bpb), %9s MB/s, %9s MB/s%n",
                    r[1], r[2] == null ? "-" : r[2], r[0], r[3], r[4], number("x%.3f", r[5]), number("%.3f", r[6]),
                    number("%.2f", r[7]), number("%.2f", r[8]));
            case CSV -> out.println(rowFormat.csvLine(r));
            case JSON -> out.print((rowsPrinted == 0 ? "\n  " : ",\n  ") + rowFormat.jsonObject(r));
        }
        rowsPrinted++;
        out.flush();
    }

    /** A table cell: the value formatted, or "-" when it is undefined (NaN or infinite, e.g. for an empty file). */
    static String number(String format, Object value) {
        double v = ((Number) value).doubleValue();
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private void end() {
        if (format == Table.Format.JSON) out.println(rowsPrinted == 0 ? "]" : "\n]");
        out.flush();
    }

    /** A reusable in-memory output. */
    private static final class Sink extends OutputStream {
        byte[] buf;
        long size;

        Sink(int capacity) {
            buf = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[(int) size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, (int) size, len);
            size += len;
        }

        private void ensure(int more) {
            long need = size + more;
            if (need > Integer.MAX_VALUE - 64) throw new OutOfMemoryError("compressed output over 2 GiB");
            if (need > buf.length) buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 64, Math.max(need, 2L * buf.length)));
        }
    }
}
