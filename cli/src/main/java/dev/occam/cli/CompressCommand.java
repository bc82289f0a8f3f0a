package dev.occam.cli;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.OccCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code occam compress}: FILE -> FILE.ext (".occ" for Occam codecs, ".gz", ".zst", ...). */
@Command(name = "compress", aliases = "c", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class, sortOptions = false,
        description = {"Compress FILEs (each to FILE + the codec's suffix), or stdin to stdout.",
                "Levels also as -1 .. -19 shortcuts. Sources are kept unless --rm."})
final class CompressCommand extends FileCommand {
    @Option(names = "--codec", paramLabel = "NAME", description = {"Codec (see 'occam codecs'). Default: pc for 8-bit PGM/PPM/PNG images",
            "and for IDX files of the built-in MNIST model's image size, " + Occam.DEFAULT_CODEC + " for everything else."})
    String codecName;

    @Option(names = {"-l", "--level"}, paramLabel = "N", description = "Compression level (default: the codec's).")
    Integer level;

    @Option(names = "--block-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Raw bytes per independent .occ block, e.g. 256k, 4M (default: the codec's).")
    int blockSize;

    @Option(names = {"-X", "--codec-option"}, paramLabel = "KEY=VALUE", description = "Codec-specific option (repeatable).")
    List<String> extras = new ArrayList<>();

    @Mixin
    OutputOptions outputs = new OutputOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    private Codec codec;
    private CodecOptions options;
    /** The codec chosen for the current input (auto-selection), for the summary and tests. */
    Codec chosen;

    CompressCommand(Env env) {
        super(env);
    }

    @Override
    String commandName() {
        return "compress";
    }

    @Override
    boolean readsCompressed() {
        return false;
    }

    @Override
    void prepare() throws Failure {
        codec = env.registry.get(codecName != null ? codecName : Occam.DEFAULT_CODEC);
        if (codec == null) throw Failure.usage("unknown codec '" + codecName + "' (see 'occam codecs')");
        if (!codec.canCompress()) throw Failure.usage("codec " + codec.name() + " can only decompress");
        checkBlockSize(blockSize);
        if (blockSize > 0 && !(codec instanceof OccCodec)) warn("--block-size applies only to .occ codecs");
        CodecOptions o = baseOptions().withBlockSize(blockSize);
        if (level != null) {
            checkLevel(codec, level);
            o = o.withLevel(level);
        }
        options = withExtras(model.applyTo(o), extras);
    }

    @Override
    OutputOptions outputOptions() {
        return outputs;
    }

    @Override
    Path derivedOutput(Path input) throws Failure {
        String ext = codec.extension();
        String name = input.getFileName().toString();
        if (!outputs.force && name.endsWith(ext) && name.length() > ext.length()) {
            throw Failure.failed("already has " + ext + " suffix -- unchanged (use -f to compress it again)");
        }
        return input.resolveSibling(name + ext);
    }

    @Override
    void transform(InputStream in, OutputStream out, Progress progress,
                   Streams.CountingInput inCount, Streams.CountingOutput outCount) throws IOException {
        // a size of 0 is not trusted: /proc files report 0 but have content
        long known = inputLength > 0 ? inputLength : -1;
        PcChoice.Choice choice = PcChoice.choose(env, in, known, codecName, model.model != null, codec, options);
        Codec codec = choice.codec();
        chosen = codec;
        CodecOptions options = choice.options();
        if (choice.note() != null && !quiet) {
            if (choice.warning() || verbose) env.err.println("occam: " + currentName + ": " + choice.note());
        }
        Streams.Gate gate = new Streams.Gate(out);
        OutputStream z = codec.compress(gate, options, known);
        try {
            OutputStream sink = known >= 0 ? new LengthGuard(z, known) : z;
            if (choice.idxLength() > 0) sink = new PcChoice.IdxGuard(sink, choice.idxLength(), choice.idxDims());
            if (choice.head() != null) {
                sink.write(choice.head());
                progress.update(inCount.count, outCount.count);
            }
            copy(in, sink, progress, inCount, outCount); // the rest (nothing when the head was the whole input)
            if (sink instanceof PcChoice.IdxGuard g) g.check();
            if (known >= 0 && inCount.count != known) throw LengthGuard.changed(known);
        } catch (Throwable t) {
            // never let close() finish the format: that would turn a failure into a valid stream of a prefix
            gate.drop();
            try {
                z.close();
            } catch (Throwable suppressed) {
                if (suppressed != t) t.addSuppressed(suppressed);
            }
            throw t;
        }
        z.close();
    }

    /** Passes at most {@code known} bytes on; one more means the file grew while it was read. */
    private static final class LengthGuard extends java.io.FilterOutputStream {
        private final long known;
        private long count;

        LengthGuard(OutputStream out, long known) {
            super(out);
            this.known = known;
        }

        static IOException changed(long known) {
            return new IOException("changed size while being compressed (it had " + known + " bytes when opened)");
        }

        @Override
        public void write(int b) throws IOException {
            if (count + 1 > known) throw changed(known);
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (count + len > known) throw changed(known);
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the codec stream is closed by transform
        }
    }

    /** -r skips files that already have the .occ (or the codec's) suffix. */
    @Override
    boolean wantedInTree(Path file) {
        return !file.getFileName().toString().endsWith(codec.extension());
    }

    @Override
    String summary(String inName, long inBytes, long outBytes, String outName) {
        double pct = inBytes == 0 ? 0 : 100.0 * outBytes / inBytes;
        return String.format(Locale.ROOT, "%s : %.2f%% (%d => %d bytes, %s)", inName, pct, inBytes, outBytes, outName);
    }
}
