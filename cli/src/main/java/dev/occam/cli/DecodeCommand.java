package dev.occam.cli;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecRegistry;
import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shared by decompress and test: the input format is found by magic unless --format forces it. */
abstract class DecodeCommand extends FileCommand {
    @Option(names = "--format", paramLabel = "NAME",
            description = "Input format, for formats without magic (brotli); default: detect by magic.")
    String format;

    @Mixin
    ModelOptions model = new ModelOptions();

    Codec forced;
    private CodecOptions options;

    DecodeCommand(Env env) {
        super(env);
    }

    @Override
    boolean readsCompressed() {
        return true;
    }

    @Override
    void prepare() throws Failure {
        options = model.applyTo(baseOptions());
        if (format != null) {
            forced = env.registry.get(format);
            if (forced == null) throw Failure.usage("unknown format '" + format + "' (see 'occam codecs')");
        }
    }

    /** -r: only files with the suffix of a known compressed format. */
    @Override
    boolean wantedInTree(java.nio.file.Path file) {
        String name = file.getFileName().toString();
        for (Codec c : env.registry.all()) {
            String ext = c.extension();
            if (ext != null && !ext.isEmpty() && name.endsWith(ext) && name.length() > ext.length()) return true;
        }
        return false;
    }

    /** The codec for a stream: the forced one, or the one whose magic matches the first bytes. */
    static Codec detect(CodecRegistry registry, InputStream in) throws IOException {
        int probe = CodecRegistry.probeLength();
        in.mark(probe);
        byte[] head = in.readNBytes(probe);
        in.reset();
        if (head.length == 0) throw new CorruptInputException(0, "empty input: not compressed data");
        Codec c = registry.detect(head, head.length);
        if (c == null) {
            throw new CorruptInputException(0, "not in a known compressed format (use --format for formats without magic)");
        }
        return c;
    }

    /** Decodes {@code in} into {@code out}. */
    void decode(InputStream in, OutputStream out, Progress progress, Streams.CountingInput inCount,
                Streams.CountingOutput outCount) throws IOException {
        Codec codec = forced != null ? forced : detect(env.registry, in);
        try (InputStream z = codec.decompress(in, options)) {
            copy(z, out, progress, inCount, outCount);
        }
    }

    @Override
    void transform(InputStream in, OutputStream out, Progress progress,
                   Streams.CountingInput inCount, Streams.CountingOutput outCount) throws IOException {
        decode(in, out, progress, inCount, outCount);
    }

    static String ratioSummary(String inName, long inBytes, long outBytes, String outName) {
        double pct = outBytes == 0 ? 0 : 100.0 * inBytes / outBytes;
        return String.format(Locale.ROOT, "%s : %.2f%% (%d => %d bytes%s)", inName, pct, inBytes, outBytes,
                outName == null ? ", OK" : ", " + outName);
    }
}
