package dev.occam.cli;

import picocli.CommandLine.Option;

/** The {@code --format table|csv|json} option of the report commands (list, codecs, bench): a picocli mixin. */
final class FormatOption {
    @Option(names = "--format", paramLabel = "table|csv|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    Table.Format format = Table.Format.TABLE;
}
