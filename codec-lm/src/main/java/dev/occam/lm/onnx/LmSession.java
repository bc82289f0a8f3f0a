package dev.occam.lm.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session over a causal LM with a KV cache, batch 1. Two cache layouts are
 * recognised from the input names: Hugging Face Optimum's merged decoder
 * ({@code past_key_values.N.key/value} in, {@code present.N.key/value} out) and the older stacked
 * layout ({@code past_N} in, {@code present_N} out, one tensor per layer). A decoder exported
 * without cache (no past inputs) also runs: each step then feeds the whole window again (quadratic,
 * but exact). Other inputs: {@code input_ids} (required),
 * {@code attention_mask} and {@code position_ids} (optional), int64 or int32. Output {@code logits}
 * [1, S, V].
 *
 * <p>The session is single-threaded by default (intra-op and inter-op 1, sequential execution):
 * with the same ONNX Runtime build on the same CPU, the same calls give bit-identical logits.
 */
final class LmSession implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path file;
    private final boolean ids64;
    private final boolean hasMask;
    private final boolean hasPositions;
    private final boolean mask64;
    private final boolean positions64;
    private final List<String> pastNames = new ArrayList<>();
    private final List<String> presentNames = new ArrayList<>();
    private final List<long[]> emptyPastShapes = new ArrayList<>();
    private final int vocab;
    /** True when the model has no KV cache (or {@link #forceRecompute()}): each run feeds all tokens from 0. */
    private boolean recompute;
    /** Cached keys/values from the last run (owned; closed on the next run or reset), or null. */
    private OrtSession.Result cache;
    private int cachedLength;

    private LmSession(OrtEnvironment env, OrtSession session, Path file) throws IOException, OrtException {
        this.env = env;
        this.session = session;
        this.file = file;
        Map<String, NodeInfo> in = session.getInputInfo();
        Map<String, NodeInfo> out = session.getOutputInfo();
        TensorInfo ids = tensor(in, "input_ids");
        if (ids == null) throw new IOException(file + ": not a causal LM this codec can run (no input_ids input)");
        ids64 = ids.type == OnnxJavaType.INT64;
        TensorInfo mask = tensor(in, "attention_mask");
        hasMask = mask != null;
        mask64 = mask == null || mask.type == OnnxJavaType.INT64;
        TensorInfo pos = tensor(in, "position_ids");
        hasPositions = pos != null;
        positions64 = pos == null || pos.type == OnnxJavaType.INT64;
        TensorInfo logits = tensor(out, "logits");
        if (logits == null) throw new IOException(file + ": the model has no \"logits\" output");
        long[] ls = logits.getShape();
        if (ls.length != 3 || ls[2] <= 0) {
            throw new IOException(file + ": logits must be [batch, sequence, vocabulary] with a fixed vocabulary, got "
                    + java.util.Arrays.toString(ls));
        }
        vocab = Math.toIntExact(ls[2]);
        for (int layer = 0; ; layer++) {
            String k = "past_key_values." + layer + ".key";
            String stacked = "past_" + layer;
            if (in.containsKey(k)) {
                addPast(in, out, k, "present." + layer + ".key");
                addPast(in, out, "past_key_values." + layer + ".value", "present." + layer + ".value");
            } else if (in.containsKey(stacked)) {
                addPast(in, out, stacked, "present_" + layer);
            } else {
                break;
            }
        }
        recompute = pastNames.isEmpty(); // a decoder without cache: every step runs the whole window
        int known = 1 + (hasMask ? 1 : 0) + (hasPositions ? 1 : 0) + pastNames.size();
        if (known != in.size()) {
            throw new IOException(file + ": unexpected model inputs " + in.keySet()
                    + " (this codec feeds input_ids, attention_mask, position_ids and the KV cache)");
        }
    }

    /** Opens the model file with {@code threads} intra-op threads (1 for deterministic coding). */
    static LmSession open(Path file, int threads) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) throw new IOException("model file not found: " + file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try {
            env.setTelemetry(false); // a no-op except on Windows builds; also ORT_DISABLE_TELEMETRY=1 in the launcher
        } catch (OrtException ignored) {
            // telemetry switch unavailable: nothing is sent on Linux anyway
        }
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            session = env.createSession(file.toString(), so);
            return new LmSession(env, session, file);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new IOException("cannot load ONNX model " + file + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (OrtException ignored) {
            // closing after a failed load
        }
    }

    private static TensorInfo tensor(Map<String, NodeInfo> m, String name) {
        NodeInfo n = m.get(name);
        return n != null && n.getInfo() instanceof TensorInfo t ? t : null;
    }

    private void addPast(Map<String, NodeInfo> in, Map<String, NodeInfo> out, String past, String present) throws IOException {
        TensorInfo t = tensor(in, past);
        if (t == null || t.type != OnnxJavaType.FLOAT) throw new IOException(file + ": input " + past + " must be a float tensor");
        if (!out.containsKey(present)) throw new IOException(file + ": input " + past + " has no matching output " + present);
        long[] shape = t.getShape().clone();
        String[] names = t.getDimensionNames();
        // batch dimension -> 1, past-length dimension -> 0: by name when named, else first/last symbolic dim
        int firstSym = -1;
        int lastSym = -1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                if (firstSym < 0) firstSym = d;
                lastSym = d;
            }
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] >= 0) continue;
            String n = names != null && d < names.length ? names[d] : "";
            boolean batch = n.contains("batch") || (!n.contains("seq") && !n.contains("len") && d == firstSym && d != lastSym);
            shape[d] = batch ? 1 : 0;
        }
        pastNames.add(past);
        presentNames.add(present);
        emptyPastShapes.add(shape);
    }

    /** Size of the model's output vocabulary (last dimension of the logits). */
    int vocabulary() {
        return vocab;
    }

    /**
     * Stops using the KV cache: every run then feeds the whole sequence from position 0, as for a
     * model exported without cache. Same predictions up to float rounding; for tests.
     */
    void forceRecompute() {
        reset();
        recompute = true;
    }

    /** Whether each run recomputes the whole sequence (no KV cache). */
    boolean recomputes() {
        return recompute;
    }

    /** Tokens whose keys/values are in the cache. */
    int cachedLength() {
        return cachedLength;
    }

    /** Drops the cache: the next {@link #run} starts a sequence at position 0. */
    void reset() {
        if (cache != null) cache.close();
        cache = null;
        cachedLength = 0;
    }

    /**
     * Runs {@code tokens[off..off+n)} after the cached ones (positions cachedLength..) and returns
     * the logits of the last of them; the cache then holds all of them. {@code tokens[0..off)} must be
     * the cached tokens (a model without cache runs {@code tokens[0..off+n)} again).
     */
    float[] run(int[] tokens, int off, int n) throws IOException {
        if (recompute) {
            n += off;
            off = 0;
            reset();
        }
        int past = cachedLength;
        int total = past + n;
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            long[] shape = {1, n};
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) ids[i] = tokens[off + i];
            inputs.put("input_ids", ints(ids, shape, ids64, owned));
            if (hasMask) {
                long[] m = new long[total];
                java.util.Arrays.fill(m, 1);
                inputs.put("attention_mask", ints(m, new long[] {1, total}, mask64, owned));
            }
            if (hasPositions) {
                long[] p = new long[n];
                for (int i = 0; i < n; i++) p[i] = past + i;
                inputs.put("position_ids", ints(p, shape, positions64, owned));
            }
            for (int i = 0; i < pastNames.size(); i++) {
                OnnxTensor t;
                if (cache == null) {
                    t = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), emptyPastShapes.get(i));
                    owned.add(t);
                } else {
                    t = (OnnxTensor) cache.get(presentNames.get(i)).orElseThrow();
                }
                inputs.put(pastNames.get(i), t);
            }
            OrtSession.Result result = session.run(inputs);
            OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
            FloatBuffer fb = logits.getFloatBuffer();
            float[] last = new float[vocab];
            fb.position((n - 1) * vocab);
            fb.get(last);
            if (recompute) {
                result.close();
            } else {
                if (cache != null) cache.close();
                cache = result;
            }
            cachedLength = total;
            return last;
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime failed on model " + file + ": " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : owned) t.close();
        }
    }

    private OnnxTensor ints(long[] v, long[] shape, boolean int64, List<OnnxTensor> owned) throws OrtException {
        OnnxTensor t;
        if (int64) {
            t = OnnxTensor.createTensor(env, LongBuffer.wrap(v), shape);
        } else {
            int[] w = new int[v.length];
            for (int i = 0; i < v.length; i++) w[i] = (int) v[i];
            t = OnnxTensor.createTensor(env, IntBuffer.wrap(w), shape);
        }
        owned.add(t);
        return t;
    }

    @Override
    public void close() throws IOException {
        reset();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IOException("closing model " + file + ": " + e.getMessage(), e);
        }
    }
}
