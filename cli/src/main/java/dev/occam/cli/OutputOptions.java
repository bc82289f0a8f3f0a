package dev.occam.cli;

import picocli.CommandLine.Option;

/** {@code -o -c -f -k --rm}: where outputs go and what happens to the inputs (compress, decompress). */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT (single input only).")
    String output;

    @Option(names = {"-c", "--stdout"}, description = "Write to stdout, keep the input files.")
    boolean stdout;

    @Option(names = {"-f", "--force"},
            description = "Overwrite existing outputs; allow compressed data to or from a terminal.")
    boolean force;

    @Option(names = {"-k", "--keep"}, description = "Keep the input files (the default).")
    boolean keep;

    @Option(names = "--rm", description = "Remove each input file after its output is complete.")
    boolean rm;

    /** Options for a command that writes nothing (test): only -f, from its own option. */
    static OutputOptions forceOnly(boolean force) {
        OutputOptions o = new OutputOptions();
        o.force = force;
        return o;
    }
}
