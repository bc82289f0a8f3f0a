package dev.occam.cli;

import dev.occam.kt.dsl.Parser;
import dev.occam.kt.dsl.Printer;
import dev.occam.kt.eval.Evaluation;
import dev.occam.kt.gen.Generator;
import dev.occam.kt.gen.Task;
import dev.occam.kt.okt.OktFile;
import dev.occam.kt.solve.CommandProposer;
import dev.occam.kt.solve.OnnxProposer;
import dev.occam.kt.solve.Proposer;
import dev.occam.kt.solve.ProposerSolver;
import dev.occam.kt.solve.SearchSolver;
import dev.occam.kt.solve.Solver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code occam kt}: the KoLMogorov-Test harness. {@code generate} writes synthetic tasks,
 * {@code solve} turns a file into an .okt file (programs for the chunks it can explain, the
 * built-in language model for the rest), {@code decode} runs the programs back, {@code eval}
 * reports accuracy and dataset rates against gzip and the built-in model.
 */
@Command(name = "kt", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
        description = "KoLMogorov-Test harness: compress sequences by finding short DSL programs (generate|solve|decode|eval).")
final class KtCommand extends BaseCommand {
    KtCommand(Env env) {
        super(env);
    }

    /** The {@code kt} command line with its subcommands, ready for {@code addSubcommand}. */
    static CommandLine create(Env env) {
        CommandLine cl = new CommandLine(new KtCommand(env));
        cl.addSubcommand(new Generate(env));
        cl.addSubcommand(new Solve(env));
        cl.addSubcommand(new Decode(env));
        cl.addSubcommand(new Eval(env));
        return cl;
    }

    @Override
    String commandName() {
        return "kt";
    }

    @Override
    int execute() {
        env.err.println("occam: kt: missing command (generate, solve, decode, eval)");
        env.err.println("Try 'occam kt --help' for more information.");
        return Occam.EXIT_USAGE;
    }

    /** Search and proposer options shared by solve and eval. */
    static final class SolverOptions {
        @Option(names = "--budget-ms", defaultValue = "1000", paramLabel = "MS", description = "Search time per task or chunk in milliseconds (default ${DEFAULT-VALUE}).")
        long budgetMs;

        @Option(names = "--depth", defaultValue = "3", paramLabel = "N", description = "Recursion depth of the search (default ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--model", paramLabel = "DIR", description = "Also ask an ONNX causal LM (directory with model.onnx and tokenizer.json) for programs.")
        Path model;

        @Option(names = "--proposer-command", paramLabel = "CMD", description = "Also ask an external command (prompt on stdin, program on stdout; split at spaces, no shell).")
        String command;

        @Option(names = "--candidates", defaultValue = "2", paramLabel = "N", description = "Candidates per proposer and task (default ${DEFAULT-VALUE}).")
        int candidates;

        @Option(names = {"-T", "--threads"}, defaultValue = "0", paramLabel = "N", description = "Solver threads (0 = all cores, the default).")
        int threads;

        List<Proposer> proposers = new ArrayList<>();
        ProposerSolver proposerSolver;

        void validate() throws Failure {
            if (budgetMs < 1) throw Failure.usage("--budget-ms must be >= 1");
            if (depth < 0 || depth > 6) throw Failure.usage("--depth must be in 0..6");
            if (candidates < 1) throw Failure.usage("--candidates must be >= 1");
            if (threads < 0) throw Failure.usage("-T must be >= 0");
        }

        Solver open() throws Exception {
            validate();
            Solver s = new SearchSolver(depth);
            if (model != null) proposers.add(OnnxProposer.open(model, 96));
            if (command != null) {
                List<String> argv = Arrays.asList(command.trim().split("\\s+"));
                if (command.isBlank()) throw Failure.usage("--proposer-command is empty");
                proposers.add(new CommandProposer(argv));
            }
            if (proposers.isEmpty()) return s;
            proposerSolver = new ProposerSolver(s, proposers, candidates);
            return proposerSolver;
        }

        int threads() {
            int cores = Runtime.getRuntime().availableProcessors();
            return threads == 0 ? cores : Math.min(threads, cores);
        }

        void close() {
            for (Proposer p : proposers) {
                try {
                    p.close();
                } catch (IOException | RuntimeException e) {
                    // nothing useful to do at exit
                }
            }
        }

        String proposerSummary() {
            if (proposerSolver == null) return null;
            ProposerSolver.Stats s = proposerSolver.stats();
            return String.format(Locale.ROOT, "proposers: %d candidates, %d malformed, %d failed, %d wrong output, %d verified, %d used, %d errors",
                    s.proposed(), s.malformed(), s.failed(), s.wrong(), s.verified(), s.used(), s.errors());
        }
    }

    /** Output-file conventions: refuse an existing file unless -f, never the input, atomic write. */
    static void writeFile(Path out, Path in, boolean force, byte[] bytes) throws IOException, Failure {
        if (in != null && Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) throw Failure.failed(out + ": output would overwrite the input");
        if (Files.exists(out) && !force) throw Failure.failed(out + ": already exists; use -f to overwrite");
        try (AtomicOutput ao = AtomicOutput.create(out)) {
            ao.stream().write(bytes);
            ao.commit(force, null);
        }
    }

    static byte[] read(Path file, long max, boolean gunzip) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = gunzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            long left = max <= 0 ? Long.MAX_VALUE : max;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                bos.write(buf, 0, n);
                left -= n;
            }
            return bos.toByteArray();
        }
    }

    /** {@code occam kt generate}. */
    @Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Write seeded synthetic tasks (generating program and output) as a task file.",
                    "The test set never contains an output of the training set of the same seed and --train-size."},
            footer = {"", "Example: occam kt generate --seed 1 --count 1000 --set test -o test.kt"})
    static final class Generate extends BaseCommand {
        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--count", defaultValue = "1000", paramLabel = "N", description = "Tasks to write (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--set", defaultValue = "test", paramLabel = "train|test", description = "Which set (default ${DEFAULT-VALUE}).")
        String set;

        @Option(names = "--train-size", defaultValue = "10000", paramLabel = "N", description = "Size of the training set the test set is disjoint from (default ${DEFAULT-VALUE}).")
        int trainSize;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Task file to write ('-' = stdout).")
        String output;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        Generate(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kt generate";
        }

        @Override
        int execute() throws Exception {
            if (count < 0) throw Failure.usage("--count must be >= 0");
            if (trainSize < 0) throw Failure.usage("--train-size must be >= 0");
            List<Task> tasks;
            Generator g = new Generator(seed);
            if (set.equals("train")) tasks = g.tasks(count);
            else if (set.equals("test")) tasks = g.split(trainSize, count).test();
            else throw Failure.usage("--set must be train or test");
            byte[] text = TaskFile.format(tasks).getBytes(StandardCharsets.UTF_8);
            if (output.equals("-")) {
                env.stdout.write(text);
                env.stdout.flush();
            } else {
                writeFile(Path.of(output), null, force, text);
            }
            return Occam.EXIT_OK;
        }
    }

    /** {@code occam kt solve}. */
    @Command(name = "solve", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Compress FILE to an .okt file: each chunk that a short program explains is stored as the program,",
                    "the others with the built-in language model. 'occam kt decode' restores the file exactly."},
            footer = {"", "Example: occam kt solve data.bin -o data.bin.okt --budget-ms 200"})
    static final class Solve extends BaseCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "Input file.")
        Path input;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE.okt", description = "Output (default FILE.okt).")
        Path output;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        @Option(names = "--chunk", defaultValue = "128", paramLabel = "BYTES", description = "Chunk size (default ${DEFAULT-VALUE}).")
        int chunk;

        @Mixin
        SolverOptions solver = new SolverOptions();

        Solve(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kt solve";
        }

        @Override
        int execute() throws Exception {
            if (chunk < 1 || chunk > (1 << 20)) throw Failure.usage("--chunk must be in 1..1048576");
            solver.validate();
            Path out = output != null ? output : Path.of(input + ".okt");
            if (Files.exists(out) && !force) throw Failure.failed(out + ": already exists; use -f to overwrite");
            byte[] data = read(input, 0, false);
            try {
                Solver s = solver.open();
                Evaluation.RealReport r = Evaluation.real(input.toString(), data, chunk, s, solver.threads(), solver.budgetMs * 1_000_000L, null);
                writeFile(out, input, force, r.okt());
                if (!quiet) {
                    env.err.printf(Locale.ROOT, "occam: kt solve: %s: %d bytes -> %d bytes (%.4f bits/byte; gzip %.4f, lm %.4f), %d of %d chunks solved, %.1f s%n",
                            input, data.length, r.oktBytes(), 8 * r.ourRate(), 8 * r.gzipRate(), 8 * r.lmRate(), r.solved(), r.chunks(), r.seconds());
                    String ps = solver.proposerSummary();
                    if (ps != null) env.err.println("occam: kt solve: " + ps);
                }
            } finally {
                solver.close();
            }
            return Occam.EXIT_OK;
        }
    }

    /** {@code occam kt decode}. */
    @Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = "Restore the original data from an .okt file (runs the programs, decodes the rest, checks the checksums).")
    static final class Decode extends BaseCommand {
        @Parameters(index = "0", paramLabel = "FILE.okt", description = "Input .okt file.")
        Path input;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Output (default: FILE without .okt; '-' = stdout).")
        String output;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        Decode(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kt decode";
        }

        @Override
        int execute() throws Exception {
            String name = input.toString();
            String outName = output != null ? output : name.endsWith(".okt") ? name.substring(0, name.length() - 4) : null;
            if (outName == null) throw Failure.usage(name + ": unknown suffix (expected .okt); use -o");
            byte[] data;
            try {
                data = OktFile.decode(read(input, 0, false));
            } catch (IOException e) {
                report(name, e);
                return Occam.EXIT_FAILURE;
            }
            if (outName.equals("-")) {
                OutputStream o = env.stdout;
                o.write(data);
                o.flush();
            } else {
                writeFile(Path.of(outName), input, force, data);
            }
            return Occam.EXIT_OK;
        }
    }

    /** {@code occam kt eval}. */
    @Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Evaluate the solver: on synthetic tasks (accuracy = correct and no longer than the generating program,",
                    "mean bits vs the generating programs) and on real files cut into chunks (a real .okt file per input),",
                    "with the paper's dataset rate, ours, gzip -9 and the built-in LM (rates in bits per bit of input)."},
            footer = {"", "Examples:", "  occam kt eval --count 1000 --seed 1", "  occam kt eval --count 0 --max-bytes 65536 text.txt audio.wav genome.fna.gz"})
    static final class Eval extends BaseCommand {
        @Parameters(paramLabel = "FILE", arity = "0..*", description = "Real data files (.gz is read through gunzip).")
        List<Path> files = new ArrayList<>();

        @Option(names = "--tasks", paramLabel = "FILE", description = "Task file from 'kt generate' (instead of --count/--seed).")
        Path tasks;

        @Option(names = "--count", defaultValue = "1000", paramLabel = "N", description = "Synthetic test tasks (0 = none; default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic tasks (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--train-size", defaultValue = "10000", paramLabel = "N", description = "Training-set size the test tasks are disjoint from (default ${DEFAULT-VALUE}).")
        int trainSize;

        @Option(names = "--max-bytes", defaultValue = "65536", paramLabel = "N", description = "Read at most N bytes of each file (0 = all; default ${DEFAULT-VALUE}).")
        long maxBytes;

        @Option(names = "--chunk", defaultValue = "128", paramLabel = "BYTES", description = "Chunk size for files (default ${DEFAULT-VALUE}).")
        int chunk;

        @Mixin
        SolverOptions solver = new SolverOptions();

        @Mixin
        FormatOption format = new FormatOption();

        Eval(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kt eval";
        }

        @Override
        int execute() throws Exception {
            if (count < 0) throw Failure.usage("--count must be >= 0");
            if (maxBytes < 0) throw Failure.usage("--max-bytes must be >= 0");
            if (chunk < 1 || chunk > (1 << 20)) throw Failure.usage("--chunk must be in 1..1048576");
            Table t = new Table(4, "dataset", "items", "accuracy", "accurate_not_set_list", "fallback_only_accuracy", "non_fallback", "solved",
                    "mean_bits", "generating_bits", "bits_ratio", "coded_bits", "coded_generating_bits", "mean_s", "max_s", "paper_rate",
                    "our_rate", "gzip_rate", "lm_rate", "solver_failures");
            int failures = 0;
            long solverFailures = 0;
            try {
                Solver s = solver.open();
                long budget = solver.budgetMs * 1_000_000L;
                List<Task> set = null;
                String setName = null;
                if (tasks != null) {
                    TaskFile.Parsed parsed;
                    try {
                        parsed = TaskFile.parse(new String(read(tasks, 0, false), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        report(tasks.toString(), e);
                        return Occam.EXIT_FAILURE;
                    }
                    // one line per bad task; the others are still evaluated and the exit code says so at the end
                    for (String err : parsed.errors()) env.err.println("occam: " + tasks + ": " + err);
                    env.err.flush();
                    failures += parsed.errors().size();
                    set = parsed.tasks();
                    setName = tasks.toString();
                } else if (count > 0) {
                    set = new Generator(seed).split(trainSize, count).test();
                    setName = "synthetic(seed=" + seed + ")";
                }
                if (set != null && !set.isEmpty()) {
                    Evaluation.SyntheticReport r = Evaluation.synthetic(set, s, solver.threads(), budget, null);
                    t.add(setName, (long) r.tasks(), r.accuracy(), r.accurateNotSetList(), r.fallbackOnlyAccuracy(), r.nonFallback(), r.nonFallback(),
                            r.meanBits(), r.meanGeneratingBits(), r.meanBits() / r.meanGeneratingBits(), r.meanCodedBits(), r.meanCodedGeneratingBits(),
                            r.meanSeconds(), r.maxSeconds(), r.paperRate(), r.ourRate(), r.gzipRate(), r.lmRate(), r.solverFailures());
                    solverFailures += r.solverFailures();
                }
                for (Path f : files) {
                    byte[] data;
                    try {
                        data = read(f, maxBytes, f.toString().endsWith(".gz"));
                    } catch (IOException e) {
                        report(f.toString(), e);
                        failures++;
                        continue;
                    }
                    Evaluation.RealReport r = Evaluation.real(f.toString(), data, chunk, s, solver.threads(), budget, null);
                    byte[] back = OktFile.decode(r.okt());
                    if (!Arrays.equals(back, data)) throw Failure.failed(f + ": the .okt round trip differs (bug)");
                    t.add(f.getFileName().toString(), (long) r.chunks(), null, null, null, r.chunks() == 0 ? null : (double) r.nonFallback() / r.chunks(),
                            r.chunks() == 0 ? null : (double) r.solved() / r.chunks(),
                            r.solved() == 0 ? null : r.solvedProgramBits() / r.solved(), null, null, null, null,
                            r.seconds() / Math.max(1, r.chunks()), null, r.paperRate(), r.ourRate(), r.gzipRate(), r.lmRate(), r.solverFailures());
                    solverFailures += r.solverFailures();
                }
                t.print(new java.io.PrintStream(env.stdout, true, StandardCharsets.UTF_8), format.format);
                String ps = solver.proposerSummary();
                if (ps != null && !quiet) env.err.println("occam: kt eval: " + ps);
                if (solverFailures > 0) {
                    env.err.println("occam: kt eval: warning: " + solverFailures + " internal solver failures (bugs; those targets got the set_list fallback)"
                            + (s instanceof SearchSolver ss && ss.lastFailure() != null ? "; last: " + ss.lastFailure() : ""));
                }
            } finally {
                solver.close();
            }
            return failures == 0 ? Occam.EXIT_OK : Occam.EXIT_FAILURE;
        }
    }

    /** The task file: per task a comment line and the program, separated by blank lines. */
    static final class TaskFile {
        private TaskFile() {
        }

        static String format(List<Task> tasks) {
            StringBuilder sb = new StringBuilder();
            for (Task t : tasks) {
                sb.append(String.format(Locale.ROOT, "# task %d: %.2f bits, %d values%n", t.id(), t.bits(), t.output().length));
                sb.append(Printer.print(t.program())).append('\n');
            }
            return sb.toString();
        }

        /**
         * The tasks of a task file and the bad ones. Each task is parsed and run on its own: a
         * malformed program, one that fails under the interpreter's limits (a loop, a blow-up, a
         * value out of range) is reported with its task number and file line, and the next task is
         * read. Task ids count every task in the file, bad ones included.
         */
        record Parsed(List<Task> tasks, List<String> errors) {
        }

        static Parsed parse(String text) {
            List<Task> out = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            String[] rows = text.split("\r?\n", -1);
            StringBuilder cur = new StringBuilder();
            int startLine = 1;
            int index = 0;
            for (int i = 0; i <= rows.length; i++) {
                boolean end = i == rows.length || rows[i].isBlank();
                if (!end) {
                    if (cur.length() == 0) startLine = i + 1;
                    cur.append(rows[i]).append('\n');
                    continue;
                }
                if (cur.toString().lines().allMatch(l -> l.strip().startsWith("#"))) {
                    cur.setLength(0);
                    continue;
                }
                int id = index++;
                dev.occam.kt.dsl.Program p;
                try {
                    p = Parser.parse(cur.toString());
                } catch (dev.occam.kt.dsl.KtException e) {
                    // parse errors name the line of the task's text
                    int line = e.line() > 0 ? startLine + e.line() - 1 : startLine;
                    errors.add("task " + id + " at line " + line + ": " + e.getMessage().replaceFirst("^line \\d+: ", ""));
                    cur.setLength(0);
                    continue;
                }
                try {
                    out.add(new Task(id, p, dev.occam.kt.dsl.Interpreter.run(p)));
                } catch (dev.occam.kt.dsl.KtException e) {
                    // run errors name the statement; statement k is the k-th line that is neither blank nor a comment
                    int line = startLine;
                    int k = 0;
                    for (int r = startLine - 1; r < i && e.line() > 0; r++) {
                        String row = rows[r].strip();
                        if (row.isEmpty() || row.startsWith("#")) continue;
                        if (++k == e.line()) {
                            line = r + 1;
                            break;
                        }
                    }
                    errors.add("task " + id + " at line " + line + ": " + e.getMessage().replaceFirst("^line \\d+: ", ""));
                }
                cur.setLength(0);
            }
            return new Parsed(out, errors);
        }
    }
}
