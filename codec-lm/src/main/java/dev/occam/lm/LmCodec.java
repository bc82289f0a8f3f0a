package dev.occam.lm;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.container.FrameHeader;
import dev.occam.lm.cm.CmCodec;
import dev.occam.lm.onnx.OnnxLmCodec;
import java.io.IOException;
import java.util.Arrays;

/**
 * {@code lm}: text compression with a language-model prior. The prior is the built-in
 * context-mixing model ({@link CmCodec}, no files needed) unless the options name an ONNX causal
 * LM ({@code --model DIR_OR_FILE}, optionally {@code --tokenizer}, {@code --context}), in which
 * case it is {@link OnnxLmCodec}.
 *
 * <p>Frame parameters: {@code [prior][the prior's own parameters]}, prior 0 = built-in, 1 = ONNX.
 * The decoder picks the prior from the frame, so a file made with the built-in prior decodes
 * without flags; one made with an ONNX model needs the same model (its fingerprint is in the
 * frame). Levels select the built-in model's memory; they do not apply to ONNX models.
 */
public final class LmCodec implements BlockCodec {
    static final byte PRIOR_BUILTIN = 0;
    static final byte PRIOR_ONNX = 1;

    private final CmCodec builtin = new CmCodec();
    private final OnnxLmCodec onnx = new OnnxLmCodec();

    @Override
    public String id() {
        return "lm";
    }

    @Override
    public String description() {
        return "Occam language-model prior: built-in context mixing, or an ONNX causal LM with --model";
    }

    private static boolean usesOnnx(CodecOptions options) {
        return options.extra("model") != null;
    }

    private BlockCodec prior(CodecOptions options) {
        return usesOnnx(options) ? onnx : builtin;
    }

    @Override
    public int minLevel() {
        return builtin.minLevel();
    }

    @Override
    public int maxLevel() {
        return builtin.maxLevel();
    }

    @Override
    public int defaultLevel() {
        return builtin.defaultLevel();
    }

    @Override
    public int defaultBlockSize() {
        return builtin.defaultBlockSize();
    }

    @Override
    public int defaultBlockSize(CodecOptions options) {
        return prior(options).defaultBlockSize(options);
    }

    @Override
    public byte[] parameters(CodecOptions options) throws IOException {
        if (usesOnnx(options) && options.level() != CodecOptions.DEFAULT_LEVEL) {
            throw new IOException("lm: levels apply to the built-in model only, not to --model");
        }
        byte[] own = prior(options).parameters(options);
        byte[] p = new byte[own.length + 1];
        p[0] = usesOnnx(options) ? PRIOR_ONNX : PRIOR_BUILTIN;
        System.arraycopy(own, 0, p, 1, own.length);
        return p;
    }

    @Override
    public byte[] modelFingerprint(CodecOptions options) throws IOException {
        return prior(options).modelFingerprint(options);
    }

    @Override
    public BlockEncoder newEncoder(CodecOptions options) throws IOException {
        return prior(options).newEncoder(options);
    }

    @Override
    public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException {
        byte[] p = header.parameters();
        if (p.length == 0 || (p[0] != PRIOR_BUILTIN && p[0] != PRIOR_ONNX)) {
            throw new CorruptInputException(-1, "lm: unknown prior " + (p.length == 0 ? "(none)" : p[0])
                    + " (this build knows 0 = built-in, 1 = ONNX)");
        }
        FrameHeader own = new FrameHeader(header.version(), header.codecId(), Arrays.copyOfRange(p, 1, p.length),
                header.modelFingerprint(), header.originalLength(), header.blockSize());
        if (p[0] == PRIOR_BUILTIN) return builtin.newDecoder(own, options);
        return onnx.newDecoder(own, options);
    }
}
