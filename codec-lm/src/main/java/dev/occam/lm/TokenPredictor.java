package dev.occam.lm;

import dev.occam.core.model.CdfModel;
import java.io.IOException;

/**
 * A sequence model seen from a coder: the distribution of the next token given every token
 * accepted since the last {@link #reset()}. The text codec codes tokens with it; the KV-cache
 * codec and the KT harness reuse it as their language-model prior.
 *
 * <p>Contract for lossless coding: an encoder and a decoder that feed the same tokens must get
 * bit-identical CDFs from {@link #predict()}, on any JVM and CPU (integer or StrictMath
 * arithmetic in a fixed order, deterministic inference). Every token of the vocabulary must have
 * nonzero frequency so that any token can be coded.
 *
 * <p>Use: {@code reset(); for each token t: cdf = predict(); code t with cdf; accept(t);}
 * Instances are not thread-safe.
 */
public interface TokenPredictor extends AutoCloseable {
    /** Number of tokens; tokens are 0..vocabularySize()-1. */
    int vocabularySize();

    /** Forgets the context: the next prediction is for the first token of a sequence. */
    void reset() throws IOException;

    /** The distribution of the next token, as an integer CDF over the whole vocabulary. */
    CdfModel predict() throws IOException;

    /** Appends the token that occurred (after {@link #predict()} for it). */
    void accept(int token) throws IOException;

    /** SHA-256 of everything that determines the predictions (weights, tokenizer, settings), or null. */
    byte[] fingerprint();

    @Override
    void close() throws IOException;
}
