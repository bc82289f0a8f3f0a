package dev.occam.cli;

import dev.occam.kv.KvBench;
import dev.occam.kv.KvCache;
import dev.occam.kv.KvCapture;
import dev.occam.kv.KvCodec;
import dev.occam.kv.KvModel;
import dev.occam.kv.Safetensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code occam kv}: KV-cache capture, compression and measurement (codec-kv). */
@Command(name = "kv", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
        description = "KV caches: capture them from an ONNX LM, compress them (language trie + predictive delta coding), measure.",
        footer = {"", "Examples:",
                "  occam kv capture --model stories260k --text a.txt b.txt -o kv.safetensors",
                "  occam kv compress --model stories260k kv.safetensors          -> kv.safetensors.okv (exact mode)",
                "  occam kv compress --mode predict --error-bound 0.5 kv.safetensors",
                "  occam kv decompress --model stories260k kv.safetensors.okv -o back.safetensors",
                "  occam kv bench --model stories260k kv.safetensors --format csv"})
final class KvCommand extends BaseCommand {
    KvCommand(Env env) {
        super(env);
    }

    /** The {@code kv} command line with its subcommands, ready for {@code addSubcommand}. */
    static CommandLine create(Env env) {
        CommandLine cl = new CommandLine(new KvCommand(env));
        cl.addSubcommand(new Capture(env));
        cl.addSubcommand(new Compress(env));
        cl.addSubcommand(new Decompress(env));
        cl.addSubcommand(new Bench(env));
        return cl;
    }

    @Override
    String commandName() {
        return "kv";
    }

    @Override
    int execute() {
        env.err.println("occam: kv: missing command (capture, compress, decompress, bench)");
        env.err.println("Try 'occam kv --help' for more information.");
        return Occam.EXIT_USAGE;
    }

    /** Writes bytes to {@code out} atomically (nothing left behind on failure); refuses to overwrite without -f. */
    static void writeAtomically(Path out, byte[] bytes, boolean force, Path input) throws IOException, Failure {
        if (input != null && Files.exists(out) && Files.exists(input) && Files.isSameFile(out, input)) {
            throw Failure.failed(out + ": the output would overwrite the input");
        }
        if (Files.exists(out) && !force) throw Failure.failed(out + ": already exists; use -f to overwrite");
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw Failure.failed(out + ": the directory " + dir + " does not exist");
        try (AtomicOutput ao = AtomicOutput.create(out)) {
            ao.stream().write(bytes);
            ao.commit(force, null);
        }
    }

    static byte[] readInput(Path in) throws Failure, IOException {
        if (!Files.isRegularFile(in)) throw Failure.failed(in + ": No such file or directory");
        return Files.readAllBytes(in);
    }

    static KvModel openModel(Path model, Path tokenizer) throws Failure {
        try {
            return KvModel.open(model, tokenizer);
        } catch (IOException e) {
            throw Failure.failed(model + ": " + e.getMessage());
        }
    }

    /** {@code occam kv capture}. */
    @Command(name = "capture", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Run an ONNX causal LM over texts (one session per file: BOS + its tokens) and store every layer's keys and values",
                    "as safetensors (session.I.tokens, session.I.layer.L.key/value [heads, positions, head_dim])."})
    static final class Capture extends BaseCommand {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "ONNX model directory or file (Optimum merged decoder with KV cache).")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: beside the model).")
        Path tokenizer;

        @Option(names = "--text", required = true, arity = "1..*", paramLabel = "FILE", description = "UTF-8 text files, one session each.")
        List<Path> texts;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.safetensors", description = "Output file.")
        Path output;

        @Option(names = "--dtype", defaultValue = "f32", paramLabel = "f32|f16|bf16", description = "Storage type of keys and values (default ${DEFAULT-VALUE}).")
        String dtype;

        @Option(names = "--max-tokens", defaultValue = "0", paramLabel = "N", description = "Positions per session at most (default: the model's context).")
        int maxTokens;

        @Option(names = "--truncate", description = "Cut longer texts to the limit instead of refusing them.")
        boolean truncate;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        Capture(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kv capture";
        }

        @Override
        int execute() throws Exception {
            Safetensors.DType dt = switch (dtype.toLowerCase(Locale.ROOT)) {
                case "f32" -> Safetensors.DType.F32;
                case "f16" -> Safetensors.DType.F16;
                case "bf16" -> Safetensors.DType.BF16;
                default -> throw Failure.usage("--dtype must be f32, f16 or bf16");
            };
            if (maxTokens < 0) throw Failure.usage("--max-tokens must be >= 0");
            if (Files.exists(output) && !force) throw Failure.failed(output + ": already exists; use -f to overwrite");
            List<String> contents = new ArrayList<>();
            for (Path t : texts) {
                byte[] b = readInput(t);
                try {
                    contents.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(b)).toString());
                } catch (CharacterCodingException e) {
                    throw Failure.failed(t + ": not UTF-8 text");
                }
            }
            try (KvModel m = openModel(model, tokenizer)) {
                KvCache cache;
                try {
                    cache = KvCapture.capture(m, contents, dt, maxTokens, truncate);
                } catch (IOException e) {
                    throw Failure.failed(e.getMessage());
                }
                byte[] bytes = cache.toSafetensors().toBytes();
                writeAtomically(output, bytes, force, null);
                if (verbose) {
                    env.err.printf(Locale.ROOT, "occam: kv capture: %d sessions, %d positions, %s (%s) -> %s (%d bytes)%n", cache.sessions().size(),
                            cache.positions(), m, dt, output, bytes.length);
                }
            }
            return Occam.EXIT_OK;
        }
    }

    /** {@code occam kv compress}. */
    @Command(name = "compress", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Compress a safetensors KV cache to .okv.",
                    "exact (default): needs --model; the decoder recomputes K/V from the tokens, bit-exact.",
                    "predict: K/V predicted from earlier positions, residual within --error-bound (0 = lossless); --model optional (token prior)."})
    static final class Compress extends BaseCommand {
        @Parameters(index = "0", paramLabel = "IN.safetensors")
        Path input;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.okv", description = "Output file (default: IN.okv).")
        Path output;

        @Option(names = "--model", paramLabel = "DIR", description = "The ONNX model of the cache.")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: beside the model).")
        Path tokenizer;

        @Option(names = "--mode", defaultValue = "exact", paramLabel = "exact|predict", description = "Layer-2 mode (default ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--error-bound", defaultValue = "0", paramLabel = "E", description = "predict: max-abs error per component (default 0 = lossless).")
        double bound;

        @Option(names = "--rope-theta", defaultValue = "10000", paramLabel = "T", description = "predict: RoPE theta to de-rotate keys, 0 = off (default ${DEFAULT-VALUE}).")
        double theta;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        Compress(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kv compress";
        }

        @Override
        int execute() throws Exception {
            KvCodec.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
                case "exact" -> KvCodec.Mode.EXACT;
                case "predict" -> KvCodec.Mode.PREDICT;
                default -> throw Failure.usage("--mode must be exact or predict");
            };
            if (!(bound >= 0) || Double.isInfinite(bound)) throw Failure.usage("--error-bound must be a number >= 0");
            if (!(theta >= 0) || Double.isInfinite(theta)) throw Failure.usage("--rope-theta must be a number >= 0");
            if (m == KvCodec.Mode.EXACT && model == null) throw Failure.usage("exact mode needs the model: pass --model DIR (or use --mode predict)");
            Path out = output != null ? output : Path.of(input + ".okv");
            if (Files.exists(out) && !force) throw Failure.failed(out + ": already exists; use -f to overwrite");
            byte[] in = readInput(input);
            KvModel lm = model == null ? null : openModel(model, tokenizer);
            try {
                KvCodec.Result r;
                try {
                    r = KvCodec.compress(in, input.toString(), new KvCodec.Settings(m, bound, theta), lm);
                } catch (IOException e) {
                    throw Failure.failed(e.getMessage());
                }
                writeAtomically(out, r.file(), force, input);
                if (verbose) {
                    env.err.printf(Locale.ROOT, "occam: kv compress: %s: %d -> %d bytes (tokens %.1f B, K/V %.1f B)%n", input, in.length, r.file().length,
                            r.tokenBits() / 8, r.kvBits() / 8);
                }
            } finally {
                if (lm != null) lm.close();
            }
            return Occam.EXIT_OK;
        }
    }

    /** {@code occam kv decompress}. */
    @Command(name = "decompress", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = "Decompress .okv to safetensors (byte-identical to the original in lossless modes).")
    static final class Decompress extends BaseCommand {
        @Parameters(index = "0", paramLabel = "IN.okv")
        Path input;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.safetensors", description = "Output file (default: IN without .okv).")
        Path output;

        @Option(names = "--model", paramLabel = "DIR", description = "The ONNX model (needed when the file was compressed with one).")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: beside the model).")
        Path tokenizer;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        Decompress(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kv decompress";
        }

        @Override
        int execute() throws Exception {
            Path out = output;
            if (out == null) {
                String s = input.toString();
                if (!s.endsWith(".okv")) throw Failure.usage(input + ": unknown suffix (expected .okv); pass -o OUT");
                out = Path.of(s.substring(0, s.length() - 4));
            }
            if (Files.exists(out) && !force) throw Failure.failed(out + ": already exists; use -f to overwrite");
            byte[] in = readInput(input);
            KvCodec.Info info;
            try {
                info = KvCodec.info(in);
            } catch (IOException e) {
                throw Failure.failed(input + ": " + Errors.describe(e, false));
            }
            if (info.usesModel() && model == null) {
                throw Failure.failed(input + ": this file was compressed with a model prior; pass it with --model DIR");
            }
            KvModel lm = info.usesModel() ? openModel(model, tokenizer) : null;
            try {
                byte[] st;
                try {
                    st = KvCodec.decompress(in, input.toString(), lm);
                } catch (IOException e) {
                    String msg = Errors.describe(e, false);
                    throw Failure.failed(msg.startsWith(input.toString()) ? msg : input + ": " + msg);
                }
                writeAtomically(out, st, force, input);
            } finally {
                if (lm != null) lm.close();
            }
            return Occam.EXIT_OK;
        }
    }

    /** {@code occam kv bench}. */
    @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Every method on KV cache files: size, bits per position (all layers, K+V) and per component,",
                    "max-abs and RMS error, KL (bits) of the next-token distribution continuing from the reconstruction;",
                    "then the trie distances d_T(i, j) = -log2 P(longest common prefix) between sessions."})
    static final class Bench extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "FILE.safetensors")
        List<Path> inputs;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "The ONNX model of the caches.")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: beside the model).")
        Path tokenizer;

        @Option(names = "--kl-stride", defaultValue = "4", paramLabel = "N", description = "KL at every N-th position (0 = no KL; default ${DEFAULT-VALUE}).")
        int klStride;

        @Mixin
        FormatOption formatOption = new FormatOption();

        Bench(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "kv bench";
        }

        @Override
        int execute() throws Exception {
            if (klStride < 0) throw Failure.usage("--kl-stride must be >= 0");
            Table t = new Table(4, "file", "method", "bytes", "bits_per_position", "bits_per_component", "max_abs_error", "rms_error", "kl_bits", "note");
            Table d = new Table(2, "file", "session_i", "session_j", "d_T_bits");
            try (KvModel lm = openModel(model, tokenizer)) {
                for (Path in : inputs) {
                    byte[] b = readInput(in);
                    try {
                        for (KvBench.Row r : KvBench.run(b, in.toString(), lm, klStride)) {
                            t.add(in.toString(), r.method(), (long) Math.ceil(r.bytes()), r.bitsPerPosition(), r.bitsPerComponent(), r.maxAbs(), r.rms(), r.klBits(), r.note());
                        }
                        double[][] dt = KvBench.trieDistances(b, in.toString(), lm);
                        for (int i = 0; i < dt.length; i++) for (int j = i + 1; j < dt.length; j++) d.add(in.toString(), i, j, dt[i][j]);
                    } catch (IOException e) {
                        throw Failure.failed(Errors.describe(e, false));
                    }
                }
            }
            PrintStream out = new PrintStream(env.stdout, true, StandardCharsets.UTF_8);
            t.print(out, formatOption.format);
            if (formatOption.format == Table.Format.TABLE) {
                out.println();
                d.print(out, formatOption.format);
            } else if (verbose) {
                d.print(out, formatOption.format);
            }
            out.flush();
            return Occam.EXIT_OK;
        }
    }
}
