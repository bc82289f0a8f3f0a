package dev.occam.lm.onnx;

import dev.occam.core.container.Fingerprints;
import dev.occam.core.model.CdfModel;
import dev.occam.core.model.Categorical;
import dev.occam.lm.TokenPredictor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A {@link TokenPredictor} backed by an ONNX causal LM with a KV cache (see {@link LmSession} for
 * the model layouts it runs).
 *
 * <p>Vocabulary: the model's {@code V} tokens plus one <em>escape</em> token, id {@code V}
 * ({@link #escapeToken()}), with probability {@code 2^-}{@value #ESCAPE_LOG2} of the model's mass;
 * the text codec uses it to switch to raw bytes. Accepting the escape token leaves the context as
 * it is.
 *
 * <p>Context: after {@link #reset()} the context is the start tokens (e.g. BOS). Tokens are fed to
 * the model incrementally through the KV cache. When the context is full ({@code contextLength}
 * tokens) and another token arrives, the window slides deterministically: the context becomes the
 * start tokens, the last {@code contextLength/2 - starts} tokens and the new one, the cache is
 * dropped and the whole window is prefilled again at positions 0.. in one model call. Encoder and
 * decoder make exactly the same calls.
 *
 * <p>Determinism: single-threaded session by default; logits become probabilities by a softmax in
 * double precision with {@link StrictMath#exp} in index order, then
 * {@link Categorical#fromProbabilities(double[], int)} (bit-reproducible) at {@code precisionBits}.
 * The same ONNX Runtime build on the same kind of CPU gives the same logits; other builds or
 * instruction sets may round differently, and a file must then be decoded where such logits match.
 */
public final class OnnxPredictor implements TokenPredictor {
    /** log2 of the inverse escape probability: the escape token gets 2^-12 of the model's mass. */
    public static final int ESCAPE_LOG2 = 12;
    private static final double ESCAPE_WEIGHT = 1.0 / (1 << ESCAPE_LOG2);

    private final LmSession session;
    private final int vocab;
    private final int[] start;
    private final int contextLength;
    private final int precision;
    private final byte[] fingerprint;
    private final int[] history;
    private int length;
    private CdfModel current;
    private float[] lastLogits;
    private double[] lastProbabilities;

    private OnnxPredictor(LmSession session, int[] start, int contextLength, int precision, byte[] modelSha) {
        this.session = session;
        this.vocab = session.vocabulary();
        this.start = start.clone();
        this.contextLength = contextLength;
        this.precision = precision;
        this.history = new int[contextLength];
        this.fingerprint = settingsFingerprint(modelSha, start, contextLength, precision);
    }

    /**
     * Opens a model.
     *
     * @param model          the .onnx file
     * @param start          tokens that begin every sequence (BOS), at least one, all below the model's vocabulary
     * @param contextLength  window in tokens (>= 2 * start.length + 2)
     * @param precisionBits  CDF precision: 2^precisionBits must exceed the vocabulary + 1; at most 24
     * @param threads        ONNX Runtime intra-op threads (1 for the deterministic codec)
     * @throws IOException   naming the file when it is missing or not a model this class can run
     */
    public static OnnxPredictor open(Path model, int[] start, int contextLength, int precisionBits, int threads)
            throws IOException {
        LmSession s = LmSession.open(model, threads);
        try {
            return wrap(s, start, contextLength, precisionBits, Fingerprints.sha256(model));
        } catch (RuntimeException | IOException e) {
            s.close();
            throw e;
        }
    }

    /** A predictor over an open session (which it then owns); checks the arguments as {@link #open} documents. */
    static OnnxPredictor wrap(LmSession s, int[] start, int contextLength, int precisionBits, byte[] modelSha) {
        int v = s.vocabulary();
        if (start.length == 0) throw new IllegalArgumentException("need at least one start token");
        for (int t : start) {
            if (t < 0 || t >= v) throw new IllegalArgumentException("start token " + t + " outside the model's vocabulary " + v);
        }
        if (contextLength < 2 * start.length + 2) throw new IllegalArgumentException("context length " + contextLength + " too small");
        if (precisionBits > CdfModel.MAX_PRECISION || (1L << precisionBits) <= v + 1L) {
            throw new IllegalArgumentException("precision " + precisionBits + " bits cannot hold " + (v + 1) + " tokens");
        }
        OnnxPredictor p = new OnnxPredictor(s, start, contextLength, precisionBits, modelSha);
        p.reset();
        return p;
    }

    /** The model's vocabulary plus the escape token. */
    @Override
    public int vocabularySize() {
        return vocab + 1;
    }

    /** The escape token id: the model's vocabulary size. */
    public int escapeToken() {
        return vocab;
    }

    /** The model's own vocabulary (logits per position). */
    public int modelVocabulary() {
        return vocab;
    }

    /** Context window in tokens. */
    public int contextLength() {
        return contextLength;
    }

    /** CDF precision in bits. */
    public int precisionBits() {
        return precision;
    }

    @Override
    public void reset() {
        session.reset();
        System.arraycopy(start, 0, history, 0, start.length);
        length = start.length;
        current = null;
    }

    @Override
    public CdfModel predict() throws IOException {
        if (current == null) {
            int cached = session.cachedLength();
            float[] logits = session.run(history, cached, length - cached);
            lastLogits = logits;
            lastProbabilities = softmaxWithEscape(logits);
            current = Categorical.fromProbabilities(lastProbabilities, precision);
        }
        return current;
    }

    @Override
    public void accept(int token) throws IOException {
        if (token == vocab) return; // escape: the context does not change
        if (token < 0 || token > vocab) throw new IllegalArgumentException("token " + token + " outside 0.." + vocab);
        if (length == contextLength) slide();
        history[length++] = token;
        current = null;
    }

    /** Context := start tokens + the last contextLength/2 - start.length tokens; the cache is rebuilt on the next predict. */
    private void slide() {
        int keep = contextLength / 2 - start.length;
        System.arraycopy(history, length - keep, history, start.length, keep);
        length = start.length + keep;
        session.reset();
    }

    /** Logits of the last prediction (model vocabulary), for tests. */
    float[] lastLogits() {
        return lastLogits;
    }

    /** Probabilities (unnormalised weights, escape last) behind the last prediction, for measurements. */
    double[] lastProbabilities() {
        return lastProbabilities;
    }

    /**
     * w_i = exp(l_i - max l) in index order (StrictMath, double), and w_V = 2^-12 * sum w_i for the escape.
     *
     * @throws IOException if the model produced a non-finite logit
     */
    static double[] softmaxWithEscape(float[] logits) throws IOException {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float l = logits[i];
            if (!Float.isFinite(l)) throw new IOException("the model produced a non-finite logit (" + l + ") for token " + i);
            if (l > max) max = l;
        }
        double[] w = new double[logits.length + 1];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            w[i] = StrictMath.exp(logits[i] - max);
            sum += w[i];
        }
        w[logits.length] = sum * ESCAPE_WEIGHT;
        return w;
    }

    private static byte[] settingsFingerprint(byte[] modelSha, int[] start, int contextLength, int precision) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("occam-lm-onnx-predictor/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            md.update(modelSha);
            ByteBuffer b = ByteBuffer.allocate(12 + 4 * start.length);
            b.putInt(contextLength).putInt(precision).putInt(start.length);
            for (int t : start) b.putInt(t);
            md.update(b.array());
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** SHA-256 of the model file, the start tokens, the context length and the precision. */
    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    @Override
    public void close() throws IOException {
        session.close();
    }

    @Override
    public String toString() {
        return "OnnxPredictor[vocab=" + vocab + "+escape, context=" + contextLength + ", precision=" + precision
                + ", start=" + Arrays.toString(start) + "]";
    }
}
