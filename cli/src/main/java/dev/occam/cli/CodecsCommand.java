package dev.occam.cli;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.OccCodec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code occam codecs}: every registered codec with its names, suffix, levels and abilities. */
@Command(name = "codecs", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
        description = "List every codec: name, aliases, suffix, levels, compress/decompress, description.")
final class CodecsCommand extends BaseCommand {
    @Mixin
    FormatOption formatOption = new FormatOption();

    CodecsCommand(Env env) {
        super(env);
    }

    @Override
    String commandName() {
        return "codecs";
    }

    @Override
    int execute() {
        Table t = new Table(2, "name", "aliases", "extension", "kind", "levels", "default_level", "compress",
                "decompress", "description");
        for (Codec c : env.registry.all()) {
            boolean hasLevels = !(c.minLevel() == 0 && c.maxLevel() == 0);
            t.add(c.name(), c.aliases().isEmpty() ? "-" : String.join(",", c.aliases()), c.extension(),
                    c instanceof OccCodec ? "occam" : "classical",
                    hasLevels ? c.minLevel() + ".." + c.maxLevel() : "-",
                    hasLevels ? (Object) Integer.valueOf(c.defaultLevel()) : null,
                    c.canCompress() ? "yes" : "no", "yes", c.description());
        }
        PrintStream out = new PrintStream(new Streams.CountingOutput(env.stdout, true), false, StandardCharsets.UTF_8);
        t.print(out, formatOption.format);
        out.flush();
        if (out.checkError()) {
            report(null, new java.io.IOException("cannot write to stdout"));
            return Occam.EXIT_FAILURE;
        }
        if (t.size() == 0 && !quiet) env.err.println("occam: no codecs found on the class path");
        return Occam.EXIT_OK;
    }

}
