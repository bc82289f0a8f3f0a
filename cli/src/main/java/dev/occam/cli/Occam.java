package dev.occam.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code occam} command line: {@code compress|decompress|test|list|bench|codecs}.
 *
 * <p>Data goes only to stdout, diagnostics only to stderr. Exit codes: {@link #EXIT_OK} 0,
 * {@link #EXIT_FAILURE} 1 (corrupt input, I/O error, refused overwrite, missing file),
 * {@link #EXIT_USAGE} 2 (bad options, unknown codec, level out of range). No stack traces unless
 * the environment sets {@code OCCAM_DEBUG=1}.
 */
public final class Occam {
    /** Success. */
    public static final int EXIT_OK = 0;
    /** Something failed: corrupt input, I/O, refused overwrite, unknown file. */
    public static final int EXIT_FAILURE = 1;
    /** Command-line usage error. */
    public static final int EXIT_USAGE = 2;
    /** The codec {@code occam compress} uses without {@code --codec}. */
    public static final String DEFAULT_CODEC = "lm";

    private static final Pattern LEVEL_SHORTCUT = Pattern.compile("-\\d{1,3}");
    private static final Set<String> VALUE_OPTIONS = Set.of("-l", "--level", "-T", "--threads", "--codec",
            "--block-size", "-o", "--output", "-X", "--codec-option", "--format");

    private Occam() {
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs with the process's stdin/stdout/stderr; returns the exit code (never exits the JVM). */
    public static int run(String... args) {
        return run(Env.system(), args);
    }

    /**
     * Runs with the given streams (none of them is treated as a terminal); returns the exit code.
     * Data is written to {@code stdout}, diagnostics to {@code stderr}; neither is closed.
     */
    public static int run(InputStream stdin, OutputStream stdout, OutputStream stderr, String... args) {
        return run(Env.of(stdin, stdout, stderr), args);
    }

    static int run(Env env, String... args) {
        try {
            CommandLine cl = commandLine(env);
            int code = cl.execute(rewriteLevelShortcuts(args));
            env.err.flush();
            return code;
        } catch (Throwable t) {
            env.err.println("occam: " + Errors.describe(t, false));
            if (env.debug()) t.printStackTrace(env.err);
            env.err.flush();
            return EXIT_FAILURE;
        }
    }

    static CommandLine commandLine(Env env) {
        CommandLine cl = new CommandLine(new Root(env));
        cl.addSubcommand(new CompressCommand(env));
        cl.addSubcommand(new DecompressCommand(env));
        cl.addSubcommand(new TestCommand(env));
        cl.addSubcommand(new ListCommand(env));
        cl.addSubcommand(new BenchCommand(env));
        cl.addSubcommand(new CodecsCommand(env));
        cl.addSubcommand(TrainCommand.create(env));
        cl.addSubcommand(KvCommand.create(env));
        cl.addSubcommand(KtCommand.create(env));
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(new Streams.CountingOutput(env.stdout, true),
                StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(env.err, StandardCharsets.UTF_8), true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println("occam: " + ex.getMessage());
            String name = c.getCommandSpec().qualifiedName(" ");
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            env.err.println("occam: " + Errors.describe(ex, false));
            if (env.debug()) ex.printStackTrace(env.err);
            return EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * zstd habits: {@code -19} means {@code --level=19} after {@code compress}/{@code c}, unless it
     * is the value of an option such as {@code -T} or {@code -o}, or comes after {@code --}.
     */
    static String[] rewriteLevelShortcuts(String[] args) {
        if (args.length == 0 || !(args[0].equals("compress") || args[0].equals("c"))) return args;
        List<String> out = new ArrayList<>(args.length);
        out.add(args[0]);
        boolean endOfOptions = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String prev = args[i - 1];
            boolean prevTakesValue = i > 1 && VALUE_OPTIONS.contains(prev);
            if (!endOfOptions && !prevTakesValue && LEVEL_SHORTCUT.matcher(a).matches()) {
                out.add("--level=" + a.substring(1));
            } else {
                out.add(a);
            }
            if (a.equals("--") && !prevTakesValue) endOfOptions = true;
        }
        return out.toArray(new String[0]);
    }

    /** The root command: only --help and --version; a subcommand is required. */
    @Command(name = "occam", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Lossless compression: Occam's model-based codecs and the classical ones.",
                    "Data goes to stdout only, messages to stderr. Exit codes: 0 ok, 1 failure, 2 usage."},
            footer = {"", "Examples:",
                    "  occam compress big.txt                 big.txt -> big.txt.occ (codec lm)",
                    "  occam c --codec zstd -19 big.txt       big.txt -> big.txt.zst",
                    "  occam d big.txt.occ                    big.txt.occ -> big.txt",
                    "  tar c dir | occam c > dir.tar.occ      stdin -> stdout",
                    "  occam bench --codecs gzip,zstd,o2 --format csv corpus/*",
                    "Environment: OCCAM_JAVA_OPTS (JVM flags, launcher), OCCAM_DEBUG=1 (stack traces)."})
    static final class Root implements java.util.concurrent.Callable<Integer> {
        private final Env env;

        Root(Env env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            env.err.println("occam: missing command (compress, decompress, test, list, bench, codecs)");
            env.err.println("Try 'occam --help' for more information.");
            return EXIT_USAGE;
        }
    }

    /** --version: from the jar manifest, else the build's resource. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"occam " + version(), "Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("java.vm.name") + ")"};
        }

        static String version() {
            String v = Occam.class.getPackage().getImplementationVersion();
            if (v != null) return v;
            try (InputStream in = Occam.class.getResourceAsStream("version.txt")) {
                if (in != null) return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (java.io.IOException e) {
                // fall through
            }
            return "unknown";
        }
    }
}
