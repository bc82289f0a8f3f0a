package dev.occam.lm.onnx;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.container.FrameHeader;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lm}: text coded as tokens of an ONNX causal language model (Hugging Face Optimum export,
 * with its {@code tokenizer.json}), with the range coder.
 *
 * <p>Options (CodecOptions extras): {@code model} (required): the .onnx file, or a directory with
 * {@code model.onnx} (or {@code decoder_model_merged.onnx}); {@code tokenizer}: the tokenizer.json
 * (default: {@code tokenizer.json} beside the model); {@code context}: window in tokens (default:
 * {@code max_position_embeddings} / {@code n_positions} from a {@code config.json} beside the model,
 * else 512); {@code precision}: CDF bits (default 24); {@code ort.threads}: ONNX Runtime intra-op
 * threads (default 1; predictions are meant not to depend on it, a test checks this).
 *
 * <p>Stream per block (blocks are independent; the context restarts at the tokenizer's start
 * tokens): a sequence of symbols over the model's vocabulary plus the escape token {@code E = V}
 * (see {@link OnnxPredictor}), each coded with the model's prediction. A text token stands for its
 * bytes (the first token of each span loses the one space a SentencePiece tokenizer prepends). The
 * escape is followed by a length L (Elias gamma of L+1 in fair binary decisions) and, when L > 0, L
 * raw bytes coded with an adaptive order-0 byte model (fresh per block); either way a new span
 * starts. L = 0 only separates two text spans. The decoder stops when it has produced the block's
 * length. So ANY bytes round-trip: malformed UTF-8, text the tokenizer normalises, binary.
 *
 * <p>Frame parameters: {@code [version=1][context: 4 bytes big-endian][precision]}. Model
 * fingerprint: SHA-256 over a format tag, SHA-256(model file) and SHA-256(tokenizer file); a
 * different model or tokenizer at decode time is refused by the frame.
 */
public final class OnnxLmCodec implements BlockCodec {
    static final int PARAMS_VERSION = 1;
    static final int DEFAULT_CONTEXT = 512;
    static final int DEFAULT_PRECISION = 24;
    static final int MAX_CONTEXT = 1 << 20;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Map<String, byte[]> FILE_SHA = new ConcurrentHashMap<>();

    @Override
    public String id() {
        return "lm";
    }

    @Override
    public String description() {
        return "ONNX causal language model + tokenizer.json as the prior (--model DIR_OR_FILE), range coder";
    }

    @Override
    public int defaultBlockSize() {
        return 1 << 20;
    }

    /** The model and tokenizer files the options select. */
    record Files2(Path model, Path tokenizer) {
    }

    /** The directory's single *.onnx file, or an error naming what was looked for. */
    private static Path onlyOnnxFile(Path dir) throws IOException {
        java.util.List<Path> found;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            found = s.filter(f -> f.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(f)).sorted().toList();
        }
        if (found.size() == 1) return found.get(0);
        throw new IOException("no model.onnx, decoder_model_merged.onnx or decoder_with_past_model.onnx in the model "
                + "directory " + dir + (found.isEmpty() ? ", and no other .onnx file"
                : ", and " + found.size() + " other .onnx files: pass the file itself with --model"));
    }

    static Files2 files(CodecOptions options) throws IOException {
        String m = options.extra("model");
        if (m == null || m.isBlank()) {
            throw new IOException("the ONNX prior needs a language model: pass --model DIR_OR_FILE (an ONNX causal LM"
                    + " exported by Hugging Face Optimum, with its tokenizer.json)");
        }
        Path p = Path.of(m);
        Path model;
        if (Files.isDirectory(p)) {
            model = null;
            for (String name : new String[] {"model.onnx", "decoder_model_merged.onnx", "decoder_with_past_model.onnx"}) {
                if (Files.isRegularFile(p.resolve(name))) {
                    model = p.resolve(name);
                    break;
                }
            }
            if (model == null) model = onlyOnnxFile(p);
        } else if (Files.isRegularFile(p)) {
            model = p;
        } else {
            throw new IOException("model file not found: " + p);
        }
        String t = options.extra("tokenizer");
        Path tok = t != null && !t.isBlank() ? Path.of(t) : siblingOf(model, "tokenizer.json");
        if (!Files.isRegularFile(tok)) {
            throw new IOException("tokenizer file not found: " + tok + (t == null ? " (pass --tokenizer FILE)" : ""));
        }
        return new Files2(model, tok);
    }

    private static Path siblingOf(Path file, String name) {
        Path dir = file.toAbsolutePath().getParent();
        return dir == null ? Path.of(name) : dir.resolve(name);
    }

    static int context(CodecOptions options, Path model) throws IOException {
        int trained = trainedContext(model);
        String c = options.extra("context");
        if (c != null && !c.isBlank()) {
            int v;
            try {
                v = Integer.parseInt(c.trim());
            } catch (NumberFormatException e) {
                throw new IOException("context must be a number of tokens, got \"" + c + "\"");
            }
            if (v < 8 || v > MAX_CONTEXT) throw new IOException("context must be 8.." + MAX_CONTEXT + " tokens, got " + v);
            if (trained > 0 && v > trained) {
                throw new IOException("context " + v + " exceeds the " + trained + " positions the model was trained for"
                        + " (config.json beside " + model + ")");
            }
            return v;
        }
        return trained > 0 ? trained : DEFAULT_CONTEXT;
    }

    /** max_position_embeddings / n_positions / n_ctx from a config.json beside the model, clamped to 8..2^20, or 0. */
    private static int trainedContext(Path model) throws IOException {
        Path config = siblingOf(model, "config.json");
        if (!Files.isRegularFile(config)) return 0;
        String json = Files.readString(config, StandardCharsets.UTF_8);
        Matcher mm = Pattern.compile("\"(max_position_embeddings|n_positions|n_ctx)\"\\s*:\\s*(\\d{1,7})").matcher(json);
        return mm.find() ? Math.max(8, Math.min(MAX_CONTEXT, Integer.parseInt(mm.group(2)))) : 0;
    }

    static int precision(CodecOptions options) throws IOException {
        String p = options.extra("precision");
        if (p == null || p.isBlank()) return DEFAULT_PRECISION;
        try {
            int v = Integer.parseInt(p.trim());
            if (v >= 8 && v <= 24) return v;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IOException("precision must be 8..24 bits, got \"" + p + "\"");
    }

    static int ortThreads(CodecOptions options) throws IOException {
        String p = options.extra("ort.threads");
        if (p == null || p.isBlank()) return 1;
        try {
            int v = Integer.parseInt(p.trim());
            if (v >= 1 && v <= 256) return v;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IOException("ort.threads must be 1..256, got \"" + p + "\"");
    }

    @Override
    public byte[] parameters(CodecOptions options) throws IOException {
        Files2 f = files(options);
        int ctx = context(options, f.model());
        return new byte[] {PARAMS_VERSION, (byte) (ctx >>> 24), (byte) (ctx >>> 16), (byte) (ctx >>> 8), (byte) ctx,
                (byte) precision(options)};
    }

    @Override
    public byte[] modelFingerprint(CodecOptions options) throws IOException {
        Files2 f = files(options);
        return fingerprint(fileSha(f.model()), fileSha(f.tokenizer()));
    }

    /** SHA-256("occam-lm-onnx/1" || SHA-256(model) || SHA-256(tokenizer)). */
    static byte[] fingerprint(byte[] modelSha, byte[] tokenizerSha) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("occam-lm-onnx/1".getBytes(StandardCharsets.US_ASCII));
            md.update(modelSha);
            md.update(tokenizerSha);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** SHA-256 of a file, cached by path, size and modification time. */
    private static byte[] fileSha(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        String key = file.toAbsolutePath().normalize() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
        byte[] sha = FILE_SHA.get(key);
        if (sha == null) {
            sha = dev.occam.core.container.Fingerprints.sha256(file);
            FILE_SHA.put(key, sha);
        }
        return sha.clone();
    }

    /** Loads the model and tokenizer and checks that they belong together. */
    static LmBlockCoder open(CodecOptions options, int context, int precision) throws IOException {
        Files2 f = files(options);
        LmTokenizer tok = LmTokenizer.load(f.tokenizer());
        LmSession s = null;
        try {
            s = LmSession.open(f.model(), ortThreads(options));
            int v = s.vocabulary();
            if (tok.size() > v) {
                throw new IOException("tokenizer " + f.tokenizer() + " defines " + tok.size() + " tokens but model "
                        + f.model() + " predicts only " + v + ": they do not belong together");
            }
            OnnxPredictor p = OnnxPredictor.wrap(s, tok.startTokens(v), context, precision, fileSha(f.model()));
            return new LmBlockCoder(p, tok);
        } catch (IllegalArgumentException e) {
            closeQuietly(s);
            tok.close();
            throw new IOException("lm: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            tok.close();
            throw e;
        }
    }

    private static void closeQuietly(LmSession p) {
        if (p == null) return;
        try {
            p.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public BlockEncoder newEncoder(CodecOptions options) throws IOException {
        Files2 f = files(options);
        LmBlockCoder coder = open(options, context(options, f.model()), precision(options));
        Encoder e = new Encoder(coder);
        CLEANER.register(e, () -> closeQuietly(coder));
        return e;
    }

    @Override
    public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException {
        byte[] p = header.parameters();
        if (p.length != 6 || p[0] != PARAMS_VERSION) {
            throw new CorruptInputException(-1, "lm: unsupported parameters (version " + (p.length > 0 ? p[0] : -1)
                    + "; this build reads version " + PARAMS_VERSION + ")");
        }
        int ctx = (p[1] & 0xFF) << 24 | (p[2] & 0xFF) << 16 | (p[3] & 0xFF) << 8 | (p[4] & 0xFF);
        int precision = p[5];
        if (ctx < 8 || ctx > MAX_CONTEXT) throw new CorruptInputException(-1, "lm: context " + ctx + " out of range");
        if (precision < 8 || precision > 24) throw new CorruptInputException(-1, "lm: precision " + precision + " out of range");
        LmBlockCoder coder = open(options, ctx, precision);
        Decoder d = new Decoder(coder);
        CLEANER.register(d, () -> closeQuietly(coder));
        return d;
    }

    private static void closeQuietly(LmBlockCoder c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // native resources of an unreachable coder
        }
    }

    /** Holds the coder; the cleaner closes it once the encoder is unreachable. */
    static final class Encoder implements BlockEncoder {
        final LmBlockCoder coder;

        Encoder(LmBlockCoder coder) {
            this.coder = coder;
        }

        @Override
        public byte[] encode(byte[] src, int off, int len) throws IOException {
            return coder.encode(src, off, len);
        }

        @Override
        public void close() {
            closeQuietly(coder);
        }
    }

    /** Holds the coder; the cleaner closes it once the decoder is unreachable. */
    static final class Decoder implements BlockDecoder {
        final LmBlockCoder coder;

        Decoder(LmBlockCoder coder) {
            this.coder = coder;
        }

        @Override
        public void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException {
            coder.decode(src, off, len, dst, dstOff, dstLen);
        }

        @Override
        public void close() {
            closeQuietly(coder);
        }
    }
}
