package dev.occam.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What every subcommand shares: the environment, -q/-v and one-line error reports. */
abstract class BaseCommand implements Callable<Integer> {
    final Env env;

    @Option(names = {"-q", "--quiet"}, description = "Print no warnings, progress or summaries.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print a summary line per file and causes of errors.")
    boolean verbose;

    BaseCommand(Env env) {
        this.env = env;
    }

    /** Prints {@code occam: SUBJECT: reason} (subject may be null) and, with OCCAM_DEBUG=1, the stack trace. */
    void report(String subject, Throwable t) {
        env.err.println("occam: " + (subject == null ? "" : subject + ": ") + Errors.describe(t, verbose));
        if (env.debug() && !(t instanceof Failure)) t.printStackTrace(env.err);
        env.err.flush();
    }

    /** A warning on stderr unless -q. */
    void warn(String message) {
        if (!quiet) env.err.println("occam: " + message);
    }

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (Failure f) {
            report(null, f);
            if (f.exitCode == Occam.EXIT_USAGE) env.err.println("Try 'occam " + commandName() + " --help' for more information.");
            return f.exitCode;
        } catch (Throwable t) {
            report(null, t);
            return Occam.EXIT_FAILURE;
        }
    }

    abstract String commandName();

    abstract int execute() throws Exception;
}
