package dev.occam.cli;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.OccCodec;
import dev.occam.core.container.FrameHeader;
import dev.occam.core.container.FrameInfo;
import dev.occam.core.container.Fingerprints;
import dev.occam.core.container.OccInputStream;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code occam list}: what is in compressed files without decoding them. For .occ: codec,
 * parameters, model fingerprint, blocks, sizes, ratio (from the frame structure) and the
 * original length recorded in the header (known when compressed from a regular file). For classical
 * formats: the format and compressed size, plus the raw size where the format stores it cheaply.
 */
@Command(name = "list", aliases = "l", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class, sortOptions = false,
        description = {"Show format, codec, parameters, model fingerprint, blocks and sizes of compressed FILEs.",
                "ratio = uncompressed / compressed; original_bytes = the length recorded when compressing a regular file."})
final class ListCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Compressed files ('-' = stdin).")
    List<String> files = new ArrayList<>();

    @Mixin
    FormatOption formatOption = new FormatOption();

    ListCommand(Env env) {
        super(env);
    }

    @Override
    String commandName() {
        return "list";
    }

    @Override
    int execute() {
        Table t = new Table(3, "file", "format", "codec", "params", "model", "blocks", "compressed_bytes",
                "uncompressed_bytes", "ratio", "original_bytes");
        int failures = 0;
        for (String name : files) {
            try {
                t.add(describe(name));
            } catch (Throwable e) {
                report(FileCommand.displayName(name), e);
                failures++;
            }
        }
        PrintStream out = new PrintStream(new Streams.CountingOutput(env.stdout, true), false, StandardCharsets.UTF_8);
        Table.Format format = formatOption.format;
        if (t.size() > 0 || format != Table.Format.TABLE) t.print(out, format);
        out.flush();
        return failures == 0 ? Occam.EXIT_OK : Occam.EXIT_FAILURE;
    }

    private Object[] describe(String name) throws Exception {
        boolean stdin = FileCommand.STDIN.equals(name);
        Path path = stdin ? null : Path.of(name);
        if (path != null) FileCommand.checkInputFile(path);
        if (stdin && env.stdinTerminal) throw Failure.failed("compressed data not read from a terminal");
        try (InputStream raw = stdin ? Streams.closeShield(env.stdin) : Streams.open(path);
             InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            Codec codec;
            try {
                codec = DecodeCommand.detect(env.registry, in);
            } catch (dev.occam.core.CorruptInputException e) {
                codec = bySuffix(name);
                if (codec == null) throw e;
            }
            String shown = FileCommand.displayName(name);
            if (codec instanceof OccCodec) return describeFrames(shown, OccInputStream.scanAll(in));
            boolean regular = path != null && Files.isRegularFile(path);
            long size = regular ? Files.size(path) : drain(in);
            long rawSize = regular ? RawSizes.of(codec.name(), path) : -1;
            return new Object[] {shown, codec.name(), null, null, null, null, size,
                    rawSize >= 0 ? (Object) rawSize : null, rawSize >= 0 ? ratio(rawSize, size) : null, null};
        }
    }

    /**
     * One row for every concatenated frame of a .occ stream: blocks and sizes summed; codec,
     * parameters and model of the first frame, or "mixed" when the frames differ.
     */
    private static Object[] describeFrames(String shown, List<FrameInfo> frames) {
        FrameHeader h = frames.get(0).header();
        byte[] params = h.parameters();
        byte[] fp = h.modelFingerprint();
        String codecId = h.codecId();
        String paramsShown = params.length == 0 ? "-" : Fingerprints.hex(params);
        String modelShown = fp == null ? "none" : Fingerprints.shortHex(fp);
        long blocks = 0;
        long compressed = 0;
        long raw = 0;
        long declared = 0; // the original lengths recorded in the headers; -1 when a frame has none
        for (FrameInfo f : frames) {
            FrameHeader fh = f.header();
            if (!fh.codecId().equals(h.codecId())) codecId = "mixed";
            if (!Arrays.equals(fh.parameters(), params)) paramsShown = "mixed";
            if (!Arrays.equals(fh.modelFingerprint(), fp)) modelShown = "mixed";
            blocks += f.blocks();
            compressed += f.compressedLength();
            raw += f.rawLength();
            declared = declared < 0 || fh.originalLength() < 0 ? -1 : declared + fh.originalLength();
        }
        String format = "occ v" + h.version() + (frames.size() > 1 ? " (" + frames.size() + " frames)" : "");
        return new Object[] {shown, format, codecId, paramsShown, modelShown, blocks, compressed, raw,
            ratio(raw, compressed), declared >= 0 ? (Object) declared : null};
    }

    private Codec bySuffix(String name) {
        for (Codec c : env.registry.all()) {
            if (!(c instanceof OccCodec) && name.endsWith(c.extension())) return c;
        }
        return null;
    }

    private static long drain(InputStream in) throws java.io.IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) != -1; ) n += r;
        return n;
    }

    private static Double ratio(long raw, long compressed) {
        return compressed <= 0 ? Double.NaN : (double) raw / compressed;
    }
}
