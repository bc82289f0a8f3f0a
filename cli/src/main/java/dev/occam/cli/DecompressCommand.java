package dev.occam.cli;

import dev.occam.core.codec.Codec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code occam decompress}: FILE.ext -> FILE; every format is found by magic. */
@Command(name = "decompress", aliases = "d", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class, sortOptions = false,
        description = {"Decompress FILEs (.occ and every classical format, detected by magic), or stdin to stdout.",
                "FILE.ext is written to FILE; other names need -o or -c."})
final class DecompressCommand extends DecodeCommand {
    /** Archive suffixes that decompress to a .tar. */
    private static final Map<String, String> TAR_SUFFIXES = Map.of(
            ".tgz", ".tar", ".taz", ".tar", ".tbz", ".tar", ".tbz2", ".tar", ".txz", ".tar", ".tzst", ".tar");

    @Mixin
    OutputOptions outputs = new OutputOptions();

    DecompressCommand(Env env) {
        super(env);
    }

    @Override
    String commandName() {
        return "decompress";
    }

    @Override
    void prepare() throws Failure {
        super.prepare();
    }

    @Override
    OutputOptions outputOptions() {
        return outputs;
    }

    @Override
    Path derivedOutput(Path input) throws Failure {
        String name = input.getFileName().toString();
        Map<String, String> suffixes = new LinkedHashMap<>(TAR_SUFFIXES);
        for (Codec c : env.registry.all()) suffixes.putIfAbsent(c.extension(), "");
        String best = null;
        for (String s : suffixes.keySet()) {
            if (name.endsWith(s) && name.length() > s.length() && (best == null || s.length() > best.length())) best = s;
        }
        if (best == null) throw Failure.failed("unknown suffix -- use -o OUT or -c");
        return input.resolveSibling(name.substring(0, name.length() - best.length()) + suffixes.get(best));
    }

    @Override
    String summary(String inName, long inBytes, long outBytes, String outName) {
        return ratioSummary(inName, inBytes, outBytes, outName);
    }
}
