package dev.occam.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code occam test}: decode and verify every FILE, writing nothing (exit 0 when all are intact). */
@Command(name = "test", aliases = "t", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class, sortOptions = false,
        description = "Decode FILEs (or stdin) and verify their checksums without writing anything.")
final class TestCommand extends DecodeCommand {
    @Option(names = {"-f", "--force"}, description = "Allow reading compressed data from a terminal.")
    boolean force;

    TestCommand(Env env) {
        super(env);
    }

    @Override
    String commandName() {
        return "test";
    }

    @Override
    boolean writesOutput() {
        return false;
    }

    @Override
    OutputOptions outputOptions() {
        return OutputOptions.forceOnly(force);
    }

    @Override
    Path derivedOutput(Path input) {
        return null;
    }

    @Override
    String summary(String inName, long inBytes, long outBytes, String outName) {
        return ratioSummary(inName, inBytes, outBytes, null);
    }
}
