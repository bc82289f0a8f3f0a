package dev.occam.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code -T} option (a picocli mixin of compress, decompress, test and bench). Every worker
 * of a block codec holds its own model and about two blocks are in flight per worker, so more
 * workers than cores only cost memory: like xz, a larger count is reduced to the number of cores.
 */
final class ThreadsOption {
    @Option(names = {"-T", "--threads"}, paramLabel = "N",
            description = "Worker threads for block codecs (0 = all cores; more than the cores is reduced to them; default: ${DEFAULT-VALUE}).")
    int threads = 1;

    /**
     * The thread count to use: 0 stays 0 (all cores), a count above the number of cores becomes
     * that number with a warning on stderr (unless -q).
     *
     * @throws Failure a usage error when the count is negative
     */
    int resolve(BaseCommand command) throws Failure {
        if (threads < 0) throw Failure.usage("-T must be >= 0");
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads > cores) {
            command.warn(String.format(Locale.ROOT, "reduced -T %d to %d (the number of cores)", threads, cores));
            return cores;
        }
        return threads;
    }
}
