package dev.occam.kv;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Captures real KV caches: runs the ONNX model over texts, one token per call with the cache fed
 * back (the procedure {@link KvCache#PROCEDURE} names, the same the exact-mode decoder uses), and
 * keeps every position's keys and values.
 */
public final class KvCapture {
    private KvCapture() {
    }

    /**
     * One session per text: BOS + the text's tokens (at most {@code maxTokens} positions, 0 = the
     * model's context; a longer text is refused unless {@code truncate}).
     *
     * @param dtype F32, F16 or BF16 (stored values rounded to nearest even)
     * @throws IOException when a text is too long, empty, or the model fails
     */
    public static KvCache capture(KvModel model, List<String> texts, Safetensors.DType dtype, int maxTokens, boolean truncate) throws IOException {
        if (dtype != Safetensors.DType.F32 && dtype != Safetensors.DType.F16 && dtype != Safetensors.DType.BF16) {
            throw new IllegalArgumentException("dtype must be F32, F16 or BF16");
        }
        int limit = maxTokens <= 0 ? model.context : Math.min(maxTokens, model.context);
        List<KvSession> sessions = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] start = model.startTokens();
            int[] body = model.encode(texts.get(i));
            int[] tokens = new int[start.length + body.length];
            System.arraycopy(start, 0, tokens, 0, start.length);
            System.arraycopy(body, 0, tokens, start.length, body.length);
            for (int t : tokens) {
                if (t < 0 || t >= model.vocab) throw new IOException("text " + (i + 1) + ": token " + t + " outside the model's vocabulary");
            }
            if (tokens.length > limit) {
                if (!truncate) {
                    throw new IOException("text " + (i + 1) + " has " + tokens.length + " tokens with BOS; the limit is " + limit
                            + " (the model's context or --max-tokens): shorten it or pass --truncate");
                }
                tokens = Arrays.copyOf(tokens, limit);
            }
            sessions.add(run(model, tokens, dtype));
        }
        return new KvCache(model.layers, model.heads, model.headDim, dtype, Safetensors.DType.I32, sessions,
                KvCache.captureMetadata(model.fingerprint()));
    }

    /** Runs one session token by token and returns its tokens and K/V in stored bits. */
    static KvSession run(KvModel model, int[] tokens, Safetensors.DType dtype) throws IOException {
        KvModel.State st = model.newState(tokens.length);
        for (int t : tokens) model.step(st, t);
        return fromState(st, tokens, model.layers, model.heads, model.headDim, dtype);
    }

    static KvSession fromState(KvModel.State st, int[] tokens, int layers, int heads, int dim, Safetensors.DType dtype) {
        int t = tokens.length;
        int[][] k = new int[layers][heads * t * dim];
        int[][] v = new int[layers][heads * t * dim];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                for (int p = 0; p < t; p++) {
                    for (int d = 0; d < dim; d++) {
                        k[l][(h * t + p) * dim + d] = Floats.fromFloat(st.get(false, l, h, p, d), dtype);
                        v[l][(h * t + p) * dim + d] = Floats.fromFloat(st.get(true, l, h, p, d), dtype);
                    }
                }
            }
        }
        return new KvSession(tokens.clone(), k, v);
    }
}
