package dev.occam.kv;

import dev.occam.core.container.Fingerprints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KV caches of several sessions of one model, as stored in a safetensors file.
 *
 * <p>Tensor names: {@code session.I.tokens} (I32 or I64, shape {@code [T]}) and
 * {@code session.I.layer.L.key} / {@code session.I.layer.L.value} (F32, F16 or BF16, shape
 * {@code [heads, T, head_dim]}), sessions numbered 0..N-1, layers 0..L-1; every session has every
 * layer, all K/V tensors share one dtype, and no other tensors are present. Values must be finite
 * (NaN and infinities are refused). Metadata written by {@code occam kv capture}:
 * {@link #META_FORMAT} = {@value #FORMAT}, {@link #META_MODEL} = the model fingerprint in hex,
 * {@link #META_PROCEDURE} = how the floats were computed.
 *
 * @param layers     number of layers
 * @param heads      KV heads per layer
 * @param headDim    dimension of one head
 * @param dtype      storage type of keys and values (F32, F16, BF16)
 * @param tokenType  storage type of the token ids (I32 or I64)
 * @param sessions   the sessions in file order
 * @param metadata   the {@code __metadata__} map or null
 */
public record KvCache(int layers, int heads, int headDim, Safetensors.DType dtype, Safetensors.DType tokenType,
                      List<KvSession> sessions, Map<String, String> metadata) {
    /** Metadata key: format tag. */
    public static final String META_FORMAT = "format";
    /** Metadata value of {@link #META_FORMAT}. */
    public static final String FORMAT = "occam-kv/1";
    /** Metadata key: model fingerprint (hex SHA-256 of model and tokenizer, as the lm codec computes it). */
    public static final String META_MODEL = "model_fingerprint";
    /** Metadata key: the procedure that produced the floats. */
    public static final String META_PROCEDURE = "procedure";
    /** The procedure of {@link KvCapture} (and of the exact-mode decoder). */
    public static final String PROCEDURE = "onnxruntime single-threaded; one token per call with the KV cache fed back;"
            + " K/V of position p from the call that fed token p";

    /** The metadata {@code occam kv capture} writes for a model fingerprint. */
    public static Map<String, String> captureMetadata(byte[] fingerprint) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(META_FORMAT, FORMAT);
        m.put(META_MODEL, Fingerprints.hex(fingerprint));
        m.put(META_PROCEDURE, PROCEDURE);
        return m;
    }

    /** Total positions over all sessions. */
    public long positions() {
        long n = 0;
        for (KvSession s : sessions) n += s.length();
        return n;
    }

    /** Number of K/V components over all sessions (positions * layers * 2 * heads * headDim). */
    public long components() {
        return positions() * layers * 2L * heads * headDim;
    }

    /** Tensor name of a session's tokens. */
    public static String tokensName(int session) {
        return "session." + session + ".tokens";
    }

    /** Tensor name of a session's keys ({@code value=false}) or values of one layer. */
    public static String kvName(int session, int layer, boolean value) {
        return "session." + session + ".layer." + layer + (value ? ".value" : ".key");
    }

    /**
     * Interprets a safetensors file as KV caches; {@code what} names the file in errors.
     *
     * @throws IOException naming the tensor when the names, shapes or dtypes do not follow the layout, or a value is NaN/infinite
     */
    public static KvCache fromSafetensors(Safetensors st, String what) throws IOException {
        int n = 0;
        while (st.get(tokensName(n)) != null) n++;
        if (n == 0) throw new IOException(what + ": no KV sessions (expected tensors session.0.tokens, session.0.layer.0.key, ...)");
        int layers = 0;
        while (st.get(kvName(0, layers, false)) != null) layers++;
        if (layers == 0) throw new IOException(what + ": session 0 has no layers (expected session.0.layer.0.key)");
        Safetensors.Tensor k0 = st.get(kvName(0, 0, false));
        if (k0.shape().length != 3) throw new IOException(what + ": " + k0.name() + " must have shape [heads, positions, head_dim]");
        int heads = (int) Math.min(Integer.MAX_VALUE, k0.shape()[0]);
        int dim = (int) Math.min(Integer.MAX_VALUE, k0.shape()[2]);
        Safetensors.DType dtype = k0.dtype();
        if (dtype != Safetensors.DType.F32 && dtype != Safetensors.DType.F16 && dtype != Safetensors.DType.BF16) {
            throw new IOException(what + ": " + k0.name() + " has dtype " + dtype + "; keys and values must be F32, F16 or BF16");
        }
        if (heads < 1 || dim < 1 || heads > 4096 || dim > 4096) throw new IOException(what + ": " + k0.name() + ": bad heads/head_dim " + heads + "/" + dim);
        Safetensors.DType tokenType = st.get(tokensName(0)).dtype();
        int expected = n * (1 + 2 * layers);
        if (st.tensors().size() != expected) {
            throw new IOException(what + ": " + st.tensors().size() + " tensors, expected " + expected + " (" + n + " sessions x (tokens + "
                    + layers + " layers x key/value)); unexpected or missing tensors");
        }
        List<KvSession> sessions = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            Safetensors.Tensor tt = st.get(tokensName(s));
            if (tt.dtype() != tokenType || (tokenType != Safetensors.DType.I32 && tokenType != Safetensors.DType.I64) || tt.shape().length != 1) {
                throw new IOException(what + ": " + tt.name() + " must be a 1-D I32 or I64 tensor like session.0.tokens");
            }
            int t = (int) Math.min(Integer.MAX_VALUE, tt.shape()[0]);
            if (t < 1) throw new IOException(what + ": " + tt.name() + ": a session needs at least one token");
            int[] tokens = new int[t];
            ByteBuffer bb = ByteBuffer.wrap(tt.data()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < t; i++) {
                long v = tokenType == Safetensors.DType.I32 ? bb.getInt() : bb.getLong();
                if (v < 0 || v >= (1 << 24)) throw new IOException(what + ": " + tt.name() + "[" + i + "] = " + v + " is not a token id");
                tokens[i] = (int) v;
            }
            int[][] keys = new int[layers][];
            int[][] values = new int[layers][];
            for (int l = 0; l < layers; l++) {
                for (int kind = 0; kind < 2; kind++) {
                    String name = kvName(s, l, kind == 1);
                    Safetensors.Tensor x = st.get(name);
                    if (x == null) throw new IOException(what + ": missing tensor " + name);
                    if (x.dtype() != dtype) throw new IOException(what + ": " + name + " has dtype " + x.dtype() + ", other K/V tensors " + dtype);
                    long[] sh = x.shape();
                    if (sh.length != 3 || sh[0] != heads || sh[1] != t || sh[2] != dim) {
                        throw new IOException(what + ": " + name + " has shape " + java.util.Arrays.toString(sh) + ", expected [" + heads + ", " + t + ", " + dim
                                + "] (heads, the session's " + t + " tokens, head_dim)");
                    }
                    int[] bits = bits(x.data(), dtype);
                    for (int i = 0; i < bits.length; i++) {
                        if (Floats.nonFinite(bits[i], dtype)) {
                            throw new IOException(what + ": " + name + " element " + i + " is " + (Float.isNaN(Floats.toFloat(bits[i], dtype)) ? "NaN" : "infinite")
                                    + "; KV caches must be finite");
                        }
                    }
                    if (kind == 0) keys[l] = bits;
                    else values[l] = bits;
                }
            }
            sessions.add(new KvSession(tokens, keys, values));
        }
        return new KvCache(layers, heads, dim, dtype, tokenType, List.copyOf(sessions), st.metadata());
    }

    /** Little-endian stored bits of a K/V tensor. */
    static int[] bits(byte[] data, Safetensors.DType dtype) {
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int[] r = new int[data.length / dtype.size];
        if (dtype == Safetensors.DType.F32) for (int i = 0; i < r.length; i++) r[i] = bb.getInt();
        else for (int i = 0; i < r.length; i++) r[i] = bb.getShort() & 0xFFFF;
        return r;
    }

    static byte[] bytes(int[] bits, Safetensors.DType dtype) {
        ByteBuffer bb = ByteBuffer.allocate(bits.length * dtype.size).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == Safetensors.DType.F32) for (int b : bits) bb.putInt(b);
        else for (int b : bits) bb.putShort((short) b);
        return bb.array();
    }

    /** The tensors of this cache (the layout above; order irrelevant: the writer sorts). */
    public List<Safetensors.Tensor> tensors() {
        List<Safetensors.Tensor> ts = new ArrayList<>();
        for (int s = 0; s < sessions.size(); s++) {
            KvSession x = sessions.get(s);
            int t = x.length();
            ByteBuffer bb = ByteBuffer.allocate(t * tokenType.size).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : x.tokens()) {
                if (tokenType == Safetensors.DType.I32) bb.putInt(v);
                else bb.putLong(v);
            }
            ts.add(new Safetensors.Tensor(tokensName(s), tokenType, new long[] {t}, bb.array()));
            for (int l = 0; l < layers; l++) {
                long[] shape = {heads, t, headDim};
                ts.add(new Safetensors.Tensor(kvName(s, l, false), dtype, shape, bytes(x.keys()[l], dtype)));
                ts.add(new Safetensors.Tensor(kvName(s, l, true), dtype, shape, bytes(x.values()[l], dtype)));
            }
        }
        return ts;
    }

    /** As a safetensors file in the {@code save_file} layout. */
    public Safetensors toSafetensors() {
        return new Safetensors(tensors(), metadata);
    }

    /** The same cache with keys and values converted (round to nearest even) to another float dtype. */
    public KvCache withDtype(Safetensors.DType to) {
        if (to == dtype) return this;
        List<KvSession> out = new ArrayList<>();
        for (KvSession s : sessions) {
            int[][] k = new int[layers][];
            int[][] v = new int[layers][];
            for (int l = 0; l < layers; l++) {
                k[l] = convert(s.keys()[l], dtype, to);
                v[l] = convert(s.values()[l], dtype, to);
            }
            out.add(new KvSession(s.tokens(), k, v));
        }
        return new KvCache(layers, heads, headDim, to, tokenType, out, metadata);
    }

    private static int[] convert(int[] bits, Safetensors.DType from, Safetensors.DType to) {
        int[] r = new int[bits.length];
        for (int i = 0; i < r.length; i++) r[i] = Floats.fromFloat(Floats.toFloat(bits[i], from), to);
        return r;
    }
}
