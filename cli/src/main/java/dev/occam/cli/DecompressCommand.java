package dev.occam.cli;

import dev.occam.core.codec.Codec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code occam decompress}: FILE.ext -> FILE; every format is found by magic. */
@Command(name = "decompress", aliases = "d", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class, sortOptions = false,
        description = {"Decompress FILEs (.occ and every classical format, detected by magic), or stdin to stdout.",
                "FILE.ext is written to FILE; other names need -o or -c."})
final class DecompressCommand extends DecodeCommand {
    /** Archive suffixes that decompress to a .tar. */
    private static final Map<String, String> TAR_SUFFIXES = Map.of(
            ".tgz", ".tar", ".taz", ".tar", ".tbz", ".tar", ".tbz2", ".tar", ".txz", ".tar", ".tzst", ".tar");

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT (single input only).")
    String output;

    @Option(names = {"-c", "--stdout"}, description = "Write to stdout, keep the input files.")
    boolean stdout;

    @Option(names = {"-f", "--force"}, description = "Overwrite existing outputs; allow reading compressed data from a terminal.")
    boolean force;

    @Option(names = {"-k", "--keep"}, description = "Keep the input files (the default).")
    boolean keep;

    @Option(names = "--rm", description = "Remove each input file after its output is complete.")
    boolean rm;

    DecompressCommand(Env env) {
        super(env);
    }

    @Override
    String commandName() {
        return "decompress";
    }

    @Override
    void prepare() throws Failure {
        if (keep && rm) throw Failure.usage("-k and --rm contradict each other");
        super.prepare();
    }

    @Override
    String outputOption() {
        return output;
    }

    @Override
    boolean toStdout() {
        return stdout;
    }

    @Override
    boolean force() {
        return force;
    }

    @Override
    boolean removeSource() {
        return rm;
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
