package dev.occam.lm.onnx;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The files of an ONNX causal LM as the {@code lm} codec finds them (a directory with
 * {@code model.onnx} or another single .onnx file, or the file itself; {@code tokenizer.json}
 * beside it unless given), their fingerprint, the trained context length and the tokenizer, for
 * other modules (the KV-cache codec) that run the same model themselves.
 */
public final class OnnxModelFiles implements AutoCloseable {
    private final Path model;
    private final Path tokenizerFile;
    private final LmTokenizer tokenizer;
    private final byte[] fingerprint;
    private final int context;

    private OnnxModelFiles(Path model, Path tokenizerFile, LmTokenizer tokenizer, byte[] fingerprint, int context) {
        this.model = model;
        this.tokenizerFile = tokenizerFile;
        this.tokenizer = tokenizer;
        this.fingerprint = fingerprint;
        this.context = context;
    }

    /**
     * Resolves and loads the model's files.
     *
     * @param modelDirOrFile directory or .onnx file
     * @param tokenizer      the tokenizer.json, or null for the one beside the model
     * @throws IOException   naming the missing or unreadable file
     */
    public static OnnxModelFiles open(Path modelDirOrFile, Path tokenizer) throws IOException {
        CodecOptions o = CodecOptions.defaults().with("model", modelDirOrFile.toString());
        if (tokenizer != null) o = o.with("tokenizer", tokenizer.toString());
        OnnxLmCodec.Files2 f = OnnxLmCodec.files(o);
        byte[] fp = new OnnxLmCodec().modelFingerprint(o);
        int ctx = OnnxLmCodec.context(o, f.model());
        LmTokenizer t = LmTokenizer.load(f.tokenizer());
        return new OnnxModelFiles(f.model(), f.tokenizer(), t, fp, ctx);
    }

    /** The .onnx file. */
    public Path model() {
        return model;
    }

    /** The tokenizer.json file. */
    public Path tokenizerFile() {
        return tokenizerFile;
    }

    /** SHA-256 over a tag, SHA-256(model) and SHA-256(tokenizer): the {@code lm} codec's model fingerprint. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** The trained context (config.json beside the model), else 512. */
    public int contextLength() {
        return context;
    }

    /** Number of tokens the tokenizer defines. */
    public int tokenizerSize() {
        return tokenizer.size();
    }

    /** Tokens that start every sequence for a model of {@code modelVocab} tokens (BOS), as the lm codec uses them. */
    public int[] startTokens(int modelVocab) {
        return tokenizer.startTokens(modelVocab);
    }

    /** Token ids of {@code text}, without special tokens. */
    public int[] encode(String text) throws IOException {
        return tokenizer.encode(text);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
