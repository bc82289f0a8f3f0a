package dev.occam.kv;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.occam.lm.onnx.OnnxModelFiles;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX causal LM in Hugging Face Optimum's merged-decoder layout ({@code input_ids},
 * {@code attention_mask}, {@code position_ids}, {@code past_key_values.L.key/value} [1, H, P, D]
 * in; {@code logits}, {@code present.L.key/value} out), run one token per call with the cache held
 * in Java arrays, so a caller can go back to any earlier position (trie traversal) and read every
 * position's keys and values.
 *
 * <p>Determinism: the session is created as the lm codec's (intra-op 1, inter-op 1, sequential);
 * a call's inputs are exactly the arrays of earlier calls, so the same token sequence gives the
 * same floats whatever path led to it.
 */
public final class KvModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxModelFiles files;
    final int layers;
    final int heads;
    final int headDim;
    final int vocab;
    final int context;

    private KvModel(OrtEnvironment env, OrtSession session, OnnxModelFiles files) throws IOException {
        this.env = env;
        this.session = session;
        this.files = files;
        Path f = files.model();
        try {
            Map<String, NodeInfo> in = session.getInputInfo();
            Map<String, NodeInfo> out = session.getOutputInfo();
            int l = 0;
            while (in.containsKey("past_key_values." + l + ".key")) l++;
            if (l == 0) throw new IOException(f + ": not an Optimum merged decoder with KV cache (no past_key_values.0.key input)");
            layers = l;
            for (String name : new String[] {"input_ids", "attention_mask", "position_ids"}) {
                TensorInfo t = info(in, name);
                if (t == null || t.type != OnnxJavaType.INT64) throw new IOException(f + ": input " + name + " must be an int64 tensor");
            }
            if (in.size() != 3 + 2 * layers) throw new IOException(f + ": unexpected inputs " + in.keySet());
            long[] ks = info(in, "past_key_values.0.key").getShape();
            if (ks.length != 4 || ks[1] <= 0 || ks[3] <= 0) throw new IOException(f + ": past keys must be [batch, heads, past, head_dim] with fixed heads and head_dim");
            heads = (int) ks[1];
            headDim = (int) ks[3];
            for (int i = 0; i < layers; i++) {
                if (!out.containsKey("present." + i + ".key") || !out.containsKey("present." + i + ".value")) {
                    throw new IOException(f + ": missing output present." + i + ".key/value");
                }
            }
            long[] ls = info(out, "logits").getShape();
            if (ls.length != 3 || ls[2] <= 0) throw new IOException(f + ": logits must be [batch, sequence, vocabulary]");
            vocab = (int) ls[2];
            context = files.contextLength();
        } catch (OrtException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    private static TensorInfo info(Map<String, NodeInfo> m, String name) {
        NodeInfo n = m.get(name);
        return n != null && n.getInfo() instanceof TensorInfo t ? t : null;
    }

    /**
     * Opens the model (directory or .onnx file) and its tokenizer (null = beside the model).
     *
     * @throws IOException naming the file when it is missing or not an Optimum decoder with KV cache
     */
    public static KvModel open(Path model, Path tokenizer) throws IOException {
        OnnxModelFiles files = OnnxModelFiles.open(model, tokenizer);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession s = null;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            s = env.createSession(files.model().toString(), so);
            return new KvModel(env, s, files);
        } catch (OrtException e) {
            close(s);
            files.close();
            throw new IOException("cannot load ONNX model " + files.model() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            close(s);
            files.close();
            throw e;
        }
    }

    private static void close(OrtSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (OrtException ignored) {
            // already failing
        }
    }

    /** Model + tokenizer fingerprint (the lm codec's). */
    public byte[] fingerprint() {
        return files.fingerprint();
    }

    /** BOS (the tokens that start every sequence). */
    int[] startTokens() {
        return files.startTokens(vocab);
    }

    /** Token ids of a text (no special tokens). */
    int[] encode(String text) throws IOException {
        return files.encode(text);
    }

    /** A cache for up to {@code capacity} positions. */
    State newState(int capacity) {
        return new State(layers, heads, headDim, capacity);
    }

    /**
     * The cache of one sequence: keys/values [layer][head][position][dim] as floats, of the first
     * {@link #length} positions. Truncating ({@link #truncate}) returns to an earlier prefix.
     */
    static final class State {
        final int heads;
        final int dim;
        final int capacity;
        final float[][] k;
        final float[][] v;
        int length;

        State(int layers, int heads, int dim, int capacity) {
            this.heads = heads;
            this.dim = dim;
            this.capacity = capacity;
            k = new float[layers][heads * capacity * dim];
            v = new float[layers][heads * capacity * dim];
        }

        /** Back to the first {@code n} positions. */
        void truncate(int n) {
            if (n > length) throw new IllegalArgumentException("truncate " + n + " > " + length);
            length = n;
        }

        /** Element (head, pos, d) of a layer's keys or values. */
        float get(boolean value, int layer, int head, int pos, int d) {
            return (value ? v : k)[layer][(head * capacity + pos) * dim + d];
        }
    }

    /**
     * Feeds {@code token} at position {@code st.length} after the cached positions, stores its keys
     * and values in the state and returns the logits for the next token.
     */
    float[] step(State st, int token) throws IOException {
        if (st.length >= st.capacity) throw new IOException("sequence longer than " + st.capacity + " positions");
        if (token < 0 || token >= vocab) throw new IOException("token " + token + " outside the model's vocabulary " + vocab);
        int p = st.length;
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input_ids", own(OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {token}), new long[] {1, 1}), owned));
            long[] mask = new long[p + 1];
            java.util.Arrays.fill(mask, 1);
            in.put("attention_mask", own(OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, p + 1}), owned));
            in.put("position_ids", own(OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {p}), new long[] {1, 1}), owned));
            long[] shape = {1, heads, p, headDim};
            float[] buf = new float[heads * p * headDim];
            for (int l = 0; l < layers; l++) {
                for (int kind = 0; kind < 2; kind++) {
                    float[] src = kind == 0 ? st.k[l] : st.v[l];
                    for (int h = 0; h < heads; h++) System.arraycopy(src, h * st.capacity * headDim, buf, h * p * headDim, p * headDim);
                    in.put("past_key_values." + l + (kind == 0 ? ".key" : ".value"),
                            own(OnnxTensor.createTensor(env, FloatBuffer.wrap(buf), shape), owned));
                }
            }
            try (OrtSession.Result r = session.run(in)) {
                FloatBuffer lb = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
                float[] logits = new float[vocab];
                lb.get(logits);
                for (int l = 0; l < layers; l++) {
                    for (int kind = 0; kind < 2; kind++) {
                        FloatBuffer fb = ((OnnxTensor) r.get("present." + l + (kind == 0 ? ".key" : ".value")).orElseThrow()).getFloatBuffer();
                        float[] dst = kind == 0 ? st.k[l] : st.v[l];
                        for (int h = 0; h < heads; h++) {
                            fb.position((h * (p + 1) + p) * headDim);
                            fb.get(dst, (h * st.capacity + p) * headDim, headDim);
                        }
                    }
                }
                st.length = p + 1;
                return logits;
            }
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime failed on " + files.model() + ": " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : owned) t.close();
        }
    }

    /**
     * Runs token {@code token} at position {@code p} after a past given as arrays (e.g. a
     * reconstructed cache) [layer][head][pos][dim] with row stride {@code capacity}; returns the logits.
     */
    float[] stepWithPast(float[][] pk, float[][] pv, int capacity, int p, int token) throws IOException {
        State st = new State(layers, heads, headDim, p + 1);
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                System.arraycopy(pk[l], h * capacity * headDim, st.k[l], h * (p + 1) * headDim, p * headDim);
                System.arraycopy(pv[l], h * capacity * headDim, st.v[l], h * (p + 1) * headDim, p * headDim);
            }
        }
        st.length = p;
        return step(st, token);
    }

    private static OnnxTensor own(OnnxTensor t, List<OnnxTensor> owned) {
        owned.add(t);
        return t;
    }

    /** Number of layers, KV heads, head dimension, vocabulary and context, e.g. "5 layers x 4 heads x 8, vocab 512, context 512". */
    @Override
    public String toString() {
        return layers + " layers x " + heads + " heads x " + headDim + ", vocab " + vocab + ", context " + context;
    }

    @Override
    public void close() throws IOException {
        files.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
