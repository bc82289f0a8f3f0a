package dev.occam.cli;

import dev.occam.core.codec.CodecOptions;
import picocli.CommandLine.Option;

/**
 * {@code --model --tokenizer --context}: the model a model-driven codec uses (e.g. {@code lm}
 * with an ONNX causal LM). They reach the codec as the options {@code model}, {@code tokenizer}
 * and {@code context}; decoding needs the same model (its fingerprint is in the frame).
 */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR_OR_FILE",
            description = "Model for model-driven codecs (e.g. an ONNX LM directory or model.onnx).")
    String model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Tokenizer (tokenizer.json) when it is not beside the model.")
    String tokenizer;

    @Option(names = "--context", paramLabel = "N", description = "Context length in tokens for LM codecs.")
    Integer context;

    /** The options with these settings added. */
    CodecOptions applyTo(CodecOptions o) throws Failure {
        if (model != null) o = o.with("model", model);
        if (tokenizer != null) o = o.with("tokenizer", tokenizer);
        if (context != null) {
            if (context < 1) throw Failure.usage("--context must be at least 1, got " + context);
            o = o.with("context", Integer.toString(context));
        }
        return o;
    }
}
