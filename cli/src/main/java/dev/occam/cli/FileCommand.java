package dev.occam.cli;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.container.OccOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The per-file loop of compress, decompress and test: name the output, refuse overwrites and
 * terminals, stream through a temp file, rename atomically, then maybe remove the source. A failed
 * file is reported and the loop goes on; the exit code is 1 if any file failed.
 */
abstract class FileCommand extends BaseCommand {
    static final String STDIN = "-";

    @Parameters(paramLabel = "FILE", description = "Input files; '-' or none means stdin (output then goes to stdout).")
    List<String> files = new ArrayList<>();

    @Mixin
    ThreadsOption threadsOption = new ThreadsOption();

    /** -T after {@link ThreadsOption#resolve}. */
    int threads = 1;

    /** The size of the current input when it is a regular file (taken when it was opened), else -1. */
    long inputLength = -1;

    /** The display name of the current input ("stdin" or the path as given). */
    String currentName = "stdin";

    @Option(names = {"-r", "--recursive"},
            description = "Operate on every regular file under each directory given (each file on its own, like gzip -r).")
    boolean recursive;

    FileCommand(Env env) {
        super(env);
    }

    /** True when the command reads compressed data (decompress, test). */
    abstract boolean readsCompressed();

    /** True when the command writes compressed data (compress). */
    boolean writesCompressed() {
        return !readsCompressed();
    }

    /** Options check before any file is touched; usage problems throw {@link Failure#usage}. */
    abstract void prepare() throws Failure;

    /** -o, -c, -f, -k, --rm of this command. */
    abstract OutputOptions outputOptions();

    private String outputOption() {
        return outputOptions().output;
    }

    private boolean toStdout() {
        return outputOptions().stdout;
    }

    private boolean force() {
        return outputOptions().force;
    }

    private boolean removeSource() {
        return outputOptions().rm;
    }

    /** False for test (no output at all). */
    boolean writesOutput() {
        return true;
    }

    /** The output name derived from an input file (compress: add suffix; decompress: strip it). */
    abstract Path derivedOutput(Path input) throws Failure;

    /** Streams {@code in} to {@code out}; both are counted by the caller. */
    abstract void transform(InputStream in, OutputStream out, Progress progress,
                            Streams.CountingInput inCount, Streams.CountingOutput outCount) throws IOException, Failure;

    /** The zstd-style summary line for -v. */
    abstract String summary(String inName, long inBytes, long outBytes, String outName);

    CodecOptions baseOptions() {
        return CodecOptions.defaults().withThreads(threads);
    }

    @Override
    int execute() throws Exception {
        if (outputOption() != null && toStdout()) throw Failure.usage("-o and -c cannot be used together");
        if (outputOptions().keep && removeSource()) throw Failure.usage("-k and --rm contradict each other");
        List<String> inputs = files.isEmpty() ? List.of(STDIN) : files;
        if (recursive && outputOption() != null) throw Failure.usage("-o cannot be used with -r");
        if (outputOption() != null && inputs.size() > 1) {
            throw Failure.usage("-o needs a single input file (got " + inputs.size() + ")");
        }
        if (inputs.stream().filter(STDIN::equals).count() > 1) throw Failure.usage("stdin ('-') given more than once");
        threads = threadsOption.resolve(this);
        prepare();
        if (recursive) inputs = expandDirectories(inputs);
        int failures = 0;
        for (String name : inputs) {
            try {
                processOne(name);
            } catch (Failure f) {
                report(displayName(name), f);
                if (f.exitCode == Occam.EXIT_USAGE) return Occam.EXIT_USAGE;
                failures++;
            } catch (Throwable t) {
                if (brokenPipe(t) && !verbose) return Occam.EXIT_FAILURE; // reader went away (| head): quiet, like SIGPIPE
                report(displayName(name), t);
                failures++;
            }
        }
        return failures == 0 ? Occam.EXIT_OK : Occam.EXIT_FAILURE;
    }

    /**
     * -r: every directory among the inputs becomes its regular files (the whole tree, sorted, symbolic
     * links not followed), minus those {@link #wantedInTree} refuses; the list is made before any
     * file is written, so new outputs are not picked up.
     */
    private List<String> expandDirectories(List<String> inputs) throws IOException {
        List<String> out = new ArrayList<>();
        for (String name : inputs) {
            Path p = STDIN.equals(name) ? null : Path.of(name);
            if (p == null || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(name);
                continue;
            }
            List<Path> found = new ArrayList<>();
            try (var walk = Files.walk(p)) {
                walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(found::add);
            }
            for (Path f : found) {
                if (wantedInTree(f)) out.add(f.toString());
                else if (verbose && !quiet) env.err.println("occam: " + f + ": skipped (" + commandName() + " -r)");
            }
        }
        return out;
    }

    /** Whether {@code -r} processes a file found in a directory (compress: not already compressed; decompress: a known suffix). */
    boolean wantedInTree(Path file) {
        return true;
    }

    static boolean brokenPipe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException && "Broken pipe".equals(c.getMessage())) return true;
        }
        return false;
    }

    static String displayName(String name) {
        return STDIN.equals(name) ? "stdin" : name;
    }

    private void processOne(String name) throws Exception {
        boolean fromStdin = STDIN.equals(name);
        Path input = fromStdin ? null : Path.of(name);
        if (input != null) checkInputFile(input);
        boolean stdoutOut = writesOutput() && (toStdout() || (fromStdin && outputOption() == null));
        Path target = null;
        boolean special = false; // an existing device or FIFO (-o /dev/null): written in place, never renamed over
        if (writesOutput() && !stdoutOut) {
            target = outputOption() != null ? Path.of(outputOption()) : derivedOutput(input);
            special = Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target);
            if (!special) checkTarget(input, target);
        }
        if (fromStdin && readsCompressed() && env.stdinTerminal && !force()) {
            throw Failure.failed("compressed data not read from a terminal; use -f to force");
        }
        if (stdoutOut && writesCompressed() && env.stdoutTerminal && !force()) {
            throw Failure.failed("compressed data not written to a terminal; use -f to force (or -o FILE, or redirect)");
        }
        InputStream raw = fromStdin ? Streams.closeShield(env.stdin) : Streams.open(input);
        long total;
        try {
            total = input != null && Files.isRegularFile(input) ? Files.size(input) : -1;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
        inputLength = total;
        String inName = displayName(name);
        currentName = inName;
        Progress progress = new Progress(env.err, env.stderrTerminal && !quiet, inName, total, writesCompressed());
        AtomicOutput atomic = null;
        OutputStream device = null;
        try (raw) {
            Streams.CountingInput inCount = new Streams.CountingInput(raw);
            InputStream in = new BufferedInputStream(inCount, 1 << 16);
            OutputStream sink;
            if (!writesOutput()) sink = Streams.NULL;
            else if (stdoutOut) sink = env.stdout;
            else if (special) sink = device = new java.io.BufferedOutputStream(Files.newOutputStream(target,
                    java.nio.file.StandardOpenOption.WRITE), 1 << 16);
            else {
                atomic = AtomicOutput.create(target);
                sink = atomic.stream();
            }
            Streams.CountingOutput outCount = new Streams.CountingOutput(sink, true);
            try {
                transform(in, outCount, progress, inCount, outCount);
            } finally {
                progress.finish();
            }
            if (stdoutOut) env.stdout.flush();
            if (device != null) {
                OutputStream d = device;
                device = null;
                d.close();
            }
            if (atomic != null) atomic.commit(force(), input);
            if (removeSource()) {
                if (input != null && target != null && !special) Files.delete(input);
                else if (input != null) warn(inName + ": --rm ignored when writing to stdout or a device");
            }
            if (verbose && !quiet) {
                String outName = !writesOutput() ? null : stdoutOut ? "stdout" : target.toString();
                env.err.println(summary(inName, inCount.count, outCount.count, outName));
            }
        } finally {
            if (atomic != null) atomic.abort();
            if (device != null) {
                try {
                    device.close();
                } catch (IOException e) {
                    // already failing; the first error is the one reported
                }
            }
        }
    }

    /** Fails (exit 1) when an input file does not exist or is a directory. */
    static void checkInputFile(Path input) throws Failure {
        if (!Files.exists(input)) throw Failure.failed("No such file or directory");
        if (Files.isDirectory(input)) throw Failure.failed("is a directory -- ignored");
    }

    private void checkTarget(Path input, Path target) throws Failure, IOException {
        if (input != null && Files.exists(target)) {
            if (Files.isSameFile(input, target)) throw Failure.failed("output " + target + " would overwrite the input");
        }
        if (input != null && input.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            throw Failure.failed("output " + target + " would overwrite the input");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!force()) throw Failure.failed(target + " already exists; use -f to overwrite");
            if (Files.isDirectory(target)) throw Failure.failed(target + " is a directory");
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw Failure.failed("no such directory for " + target);
    }

    /** Copies in to out in 64 KiB chunks, updating the progress display. */
    static void copy(InputStream in, OutputStream out, Progress progress,
                     Streams.CountingInput inCount, Streams.CountingOutput outCount) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf, 0, buf.length)) != -1; ) {
            out.write(buf, 0, n);
            progress.update(inCount.count, outCount.count);
        }
    }

    /** Checks a level against a codec; usage error when it is out of range. */
    static void checkLevel(Codec codec, int level) throws Failure {
        if (codec.minLevel() == 0 && codec.maxLevel() == 0) {
            if (level != 0) throw Failure.usage("codec " + codec.name() + " has no levels");
            return;
        }
        if (level < codec.minLevel() || level > codec.maxLevel()) {
            throw Failure.usage(String.format(Locale.ROOT, "level %d is out of range for codec %s (%d..%d)",
                    level, codec.name(), codec.minLevel(), codec.maxLevel()));
        }
    }

    /** A usage error when a --block-size is above what a .occ frame allows (0 = the codec's default). */
    static void checkBlockSize(int blockSize) throws Failure {
        if (blockSize > OccOutputStream.MAX_BLOCK_SIZE) {
            throw Failure.usage("--block-size " + blockSize + " is above the .occ maximum of "
                    + (OccOutputStream.MAX_BLOCK_SIZE >> 20) + "M (" + OccOutputStream.MAX_BLOCK_SIZE + " bytes)");
        }
    }

    /** Adds "key=value" codec options. */
    static CodecOptions withExtras(CodecOptions o, List<String> kvs) throws Failure {
        for (String kv : kvs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw Failure.usage("-X needs KEY=VALUE, got '" + kv + "'");
            o = o.with(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return o;
    }
}
