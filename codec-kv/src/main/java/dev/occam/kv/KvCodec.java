package dev.occam.kv;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.core.container.Fingerprints;
import dev.occam.core.model.AdaptiveFrequencyModel;
import dev.occam.core.model.CdfModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The compressed KV-cache file ({@code .okv}): sessions' tokens in a language trie (layer 1) and
 * their keys/values by predictive delta coding (layer 2).
 *
 * <p>Modes: {@link Mode#EXACT} (the decoder recomputes K/V from the decoded tokens with the same
 * ONNX model and applies a coded XOR residual of the stored bits, usually all zero: bit-exact at
 * about the cost of the tokens) and {@link Mode#PREDICT} (no model needed for the K/V: see
 * {@link PredictCoder}; error bound 0 = lossless). Tokens are coded with the model as prior when a
 * model is given (always in exact mode), else with an adaptive order-0 model.
 *
 * <p>Format (integers big-endian, varint = LEB128):
 * <pre>
 * "OCKV" version=1 mode(0 exact, 1 predict) flags(bit0: model prior + 32-byte fingerprint follows,
 *        bit1: lossless, the CRC of the decoded file follows the body CRC)
 * [fingerprint: SHA-256 of model and tokenizer as the lm codec computes it]
 * varint layers, heads, head_dim, vocab, sessions, longest session; byte K/V dtype, byte token dtype
 * predict only: float64 error bound, float64 RoPE theta
 * header kind: 0 save_file header + capture metadata of this fingerprint, 1 save_file header + metadata
 *   (varint count, then varint-length UTF-8 key/value pairs), 2 save_file header without metadata,
 *   3 other header (varint length + deflate of the exact header bytes)
 * varint body length, body (one range-coder stream: trie, per-session K/V in trie order, session order)
 * CRC32C of everything before; [CRC32C of the decoded safetensors file]
 * </pre>
 * A lossless file decodes to the input safetensors byte for byte.
 */
public final class KvCodec {
    static final byte[] MAGIC = {'O', 'C', 'K', 'V'};
    static final int VERSION = 1;
    /** Default RoPE theta of the predict mode (Llama). */
    public static final double DEFAULT_ROPE_THETA = 10000.0;
    /** Largest vocabulary (largest token id + 1) the adaptive token coder takes without a model: its alphabet is the ids plus STOP. */
    static final int MAX_ADAPTIVE_VOCAB = CdfModel.MAX_SYMBOLS - 1;

    private KvCodec() {
    }

    /** Layer-2 mode. */
    public enum Mode {
        /** Recompute K/V with the model, XOR residual: bit-exact. */
        EXACT,
        /** Linear prediction from earlier positions, quantised residual within an error bound. */
        PREDICT
    }

    /**
     * Settings of a compression.
     *
     * @param mode       exact or predict
     * @param errorBound predict: max-abs error per component (0 = lossless); ignored for exact
     * @param ropeTheta  predict: RoPE theta used to de-rotate keys (0 = off)
     */
    public record Settings(Mode mode, double errorBound, double ropeTheta) {
        /** Checks the values. */
        public Settings {
            if (!(errorBound >= 0) || Double.isInfinite(errorBound)) throw new IllegalArgumentException("error bound must be >= 0");
            if (!(ropeTheta >= 0) || Double.isInfinite(ropeTheta)) throw new IllegalArgumentException("RoPE theta must be >= 0");
        }

        /** Exact mode. */
        public static Settings exact() {
            return new Settings(Mode.EXACT, 0, 0);
        }

        /** Predict mode with a bound and the default RoPE theta. */
        public static Settings predict(double bound) {
            return new Settings(Mode.PREDICT, bound, DEFAULT_ROPE_THETA);
        }
    }

    /**
     * A compression's output and accounting.
     *
     * @param file        the .okv bytes
     * @param tokenBits   ideal bits of the trie (tokens, STOPs, counts)
     * @param kvBits      ideal bits of the K/V residuals and the session order
     * @param pathBits    per session (file order): cumulative token bits at each depth 0..length
     * @param decoded     the reconstruction (equal to the input in lossless modes)
     */
    public record Result(byte[] file, double tokenBits, double kvBits, double[][] pathBits, KvCache decoded) {
        /** d_T(i, j) = -log2 P_M(longest common prefix of sessions i and j) in bits (the trie distance). */
        public double trieDistance(KvCache cache, int i, int j) {
            int[] a = cache.sessions().get(i).tokens();
            int[] b = cache.sessions().get(j).tokens();
            int m = Arrays.mismatch(a, b);
            int lcp = m < 0 ? a.length : m;
            return pathBits[i][lcp];
        }
    }

    /**
     * Compresses a safetensors file of KV caches.
     *
     * @param safetensors the file bytes
     * @param what        name for messages
     * @param settings    mode and bound
     * @param model       the model (required for exact mode; in predict mode it becomes the token prior), or null
     * @throws IOException with a clear reason when the file is not a valid KV cache or does not match the model
     */
    public static Result compress(byte[] safetensors, String what, Settings settings, KvModel model) throws IOException {
        Safetensors st = Safetensors.parse(safetensors, what);
        KvCache cache = KvCache.fromSafetensors(st, what);
        if (settings.mode() == Mode.EXACT && model == null) throw new IOException("exact mode needs the model (--model DIR)");
        int maxLen = 0;
        int maxTok = 0;
        for (KvSession s : cache.sessions()) {
            maxLen = Math.max(maxLen, s.length());
            for (int t : s.tokens()) maxTok = Math.max(maxTok, t);
        }
        byte[] fp = null;
        int vocab = maxTok + 1;
        if (model == null && vocab > MAX_ADAPTIVE_VOCAB) {
            throw new IOException(what + ": token ids up to " + maxTok + ": without a model the token coder handles ids up to "
                    + (MAX_ADAPTIVE_VOCAB - 1) + " (below 2^20 - 1: the ids and an end symbol form its alphabet) only");
        }
        if (model != null) {
            fp = model.fingerprint();
            checkAgainstModel(cache, model, what);
            vocab = model.vocab;
        }
        // header kind
        byte[] canonical = Safetensors.canonicalHeader(cache.tensors(), cache.metadata());
        byte[] original = st.originalHeader();
        int headerKind;
        if (!Arrays.equals(canonical, original)) headerKind = 3;
        else if (cache.metadata() == null) headerKind = 2;
        else if (fp != null && cache.metadata().equals(KvCache.captureMetadata(fp))) headerKind = 0;
        else headerKind = 1;

        ByteArrayOutputStream bodyOut = new ByteArrayOutputStream();
        RangeEncoder re = new RangeEncoder(bodyOut);
        SymCoder c = SymCoder.encoder(re);
        int n = cache.sessions().size();
        int[][] seqs = new int[n][];
        for (int i = 0; i < n; i++) seqs[i] = cache.sessions().get(i).tokens();
        Walker w = model != null ? new Walker.Lm(model, maxLen) : new Walker.Adaptive(vocab, maxLen);
        double[][] pathBits = new double[n][];
        double[] kvBits = new double[1];
        Layer2 l2 = new Layer2(cache.layers(), cache.heads(), cache.headDim(), cache.dtype(), settings, vocab);
        List<KvSession> recon = new ArrayList<>(java.util.Collections.nCopies(n, (KvSession) null));
        int[] o = TrieCoder.lexicographicOrder(seqs); // the trie's DFS order: dfs index -> session
        double[] tokenBitsAcc = new double[1];
        TrieCoder.EndListener listener = (dfs, tokens, walker) -> {
            int s = o[dfs];
            double before = c.bits;
            recon.set(s, l2.code(c, tokens, cache.sessions().get(s), walker));
            kvBits[0] += c.bits - before;
        };
        int[] order = TrieCoder.encode(c, seqs, w, listener, pathBits);
        double before = c.bits;
        codeOrder(c, order);
        kvBits[0] += c.bits - before;
        tokenBitsAcc[0] = c.bits - kvBits[0];
        re.finish();
        byte[] body = bodyOut.toByteArray();

        boolean lossless = settings.mode() == Mode.EXACT || settings.errorBound() == 0;
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(MAGIC);
        f.write(VERSION);
        f.write(settings.mode().ordinal());
        f.write((fp != null ? 1 : 0) | (lossless ? 2 : 0));
        if (fp != null) f.write(fp);
        varint(f, cache.layers());
        varint(f, cache.heads());
        varint(f, cache.headDim());
        varint(f, vocab);
        varint(f, n);
        varint(f, maxLen);
        f.write(cache.dtype().ordinal());
        f.write(cache.tokenType().ordinal());
        if (settings.mode() == Mode.PREDICT) {
            f.write(ByteBuffer.allocate(16).putDouble(settings.errorBound()).putDouble(settings.ropeTheta()).array());
        }
        f.write(headerKind);
        if (headerKind == 1) {
            varint(f, cache.metadata().size());
            for (Map.Entry<String, String> e : cache.metadata().entrySet()) {
                bytes(f, e.getKey().getBytes(StandardCharsets.UTF_8));
                bytes(f, e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        } else if (headerKind == 3) {
            bytes(f, deflate(original));
        }
        varint(f, body.length);
        f.write(body);
        CRC32C crc = new CRC32C();
        byte[] sofar = f.toByteArray();
        crc.update(sofar);
        f.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        KvCache decoded = new KvCache(cache.layers(), cache.heads(), cache.headDim(), cache.dtype(), cache.tokenType(), List.copyOf(recon),
                cache.metadata());
        if (lossless) {
            CRC32C out = new CRC32C();
            out.update(safetensors);
            f.write(ByteBuffer.allocate(4).putInt((int) out.getValue()).array());
        }
        return new Result(f.toByteArray(), tokenBitsAcc[0], kvBits[0], pathBits, decoded);
    }

    private static void checkAgainstModel(KvCache cache, KvModel model, String what) throws IOException {
        if (cache.layers() != model.layers || cache.heads() != model.heads || cache.headDim() != model.headDim) {
            throw new IOException(what + ": shape mismatch: the cache has " + cache.layers() + " layers x " + cache.heads() + " KV heads x head_dim "
                    + cache.headDim() + ", the model " + model.layers + " x " + model.heads + " x " + model.headDim);
        }
        String fpHex = cache.metadata() == null ? null : cache.metadata().get(KvCache.META_MODEL);
        if (fpHex != null && !fpHex.equals(Fingerprints.hex(model.fingerprint()))) {
            throw new IOException(what + ": this cache was captured with model " + shortHex(fpHex) + "; the given model is "
                    + Fingerprints.shortHex(model.fingerprint()));
        }
        for (int i = 0; i < cache.sessions().size(); i++) {
            KvSession s = cache.sessions().get(i);
            if (s.length() > model.context) {
                throw new IOException(what + ": session " + i + " has " + s.length() + " positions; the model's context is " + model.context);
            }
            for (int t : s.tokens()) {
                if (t >= model.vocab) throw new IOException(what + ": session " + i + " has token " + t + " outside the model's vocabulary " + model.vocab);
            }
        }
    }

    private static String shortHex(String hex) {
        return hex.length() > 16 ? hex.substring(0, 16) : hex;
    }

    /** Session order: a flag for "file order = trie order", else each session's index among the remaining ones. */
    private static void codeOrder(SymCoder c, int[] order) throws IOException {
        int n = order == null ? 0 : order.length;
        boolean identity = true;
        for (int i = 0; i < n; i++) identity &= order[i] == i;
        int[] p = SymCoder.probs(1);
        if (c.bit(identity ? 1 : 0, p, 0) == 1) return;
        // order[dfs] = file index; code for each file index f in order its dfs position among the remaining
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < n; i++) remaining.add(i);
        int[] dfsOfFile = new int[n];
        for (int d = 0; d < n; d++) dfsOfFile[order[d]] = d;
        for (int fIdx = 0; fIdx < n; fIdx++) {
            int pos = remaining.indexOf(dfsOfFile[fIdx]);
            c.uniform(pos, remaining.size());
            remaining.remove(pos);
        }
    }

    /** Decoder of {@link #codeOrder}: fileIndex -> dfs index, for n sessions. */
    private static int[] decodeOrder(SymCoder c, int n) throws IOException {
        int[] p = SymCoder.probs(1);
        int[] dfsOfFile = new int[n];
        if (c.bit(0, p, 0) == 1) {
            for (int i = 0; i < n; i++) dfsOfFile[i] = i;
            return dfsOfFile;
        }
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < n; i++) remaining.add(i);
        for (int fIdx = 0; fIdx < n; fIdx++) {
            int pos = c.uniform(0, remaining.size());
            dfsOfFile[fIdx] = remaining.remove(pos);
        }
        return dfsOfFile;
    }

    /** Layer 2 of one session, shared by encoder and decoder. */
    private static final class Layer2 {
        final int layers;
        final int heads;
        final int dim;
        final Safetensors.DType dtype;
        final Settings settings;
        final PredictCoder predict;
        final int[] flags = SymCoder.probs(3);
        int[] lastTokens;
        KvSession lastOrig;
        int[][][] lastRecon;

        /** Whether positions below n of every K/V tensor hold the same stored bits in both sessions. */
        private boolean samePrefix(KvSession a, KvSession b, int n, int ta, int tb) {
            for (int kind = 0; kind < 2; kind++) {
                for (int l = 0; l < layers; l++) {
                    int[] x = kind == 0 ? a.keys()[l] : a.values()[l];
                    int[] y = kind == 0 ? b.keys()[l] : b.values()[l];
                    for (int h = 0; h < heads; h++) {
                        if (!Arrays.equals(x, h * ta * dim, (h * ta + n) * dim, y, h * tb * dim, (h * tb + n) * dim)) return false;
                    }
                }
            }
            return true;
        }
        final AdaptiveFrequencyModel[] lanes = new AdaptiveFrequencyModel[4];

        Layer2(int layers, int heads, int dim, Safetensors.DType dtype, Settings settings, int vocab) {
            this.layers = layers;
            this.heads = heads;
            this.dim = dim;
            this.dtype = dtype;
            this.settings = settings;
            this.predict = settings.mode() == Mode.PREDICT
                    ? new PredictCoder(layers, heads, dim, dtype, settings.errorBound(), settings.ropeTheta(), vocab) : null;
            for (int i = 0; i < 4; i++) lanes[i] = new AdaptiveFrequencyModel(256, 16);
        }

        /** Codes a session (orig = null when decoding) and returns its reconstruction. */
        KvSession code(SymCoder c, int[] tokens, KvSession orig, Walker w) throws IOException {
            if (predict != null) {
                // the trie's DFS order is lexicographic: the longest prefix shared with an earlier session is the previous one's
                int from = 0;
                if (lastTokens != null) {
                    int m = Arrays.mismatch(lastTokens, tokens);
                    int lcp = m < 0 ? Math.min(lastTokens.length, tokens.length) : m;
                    if (lcp > 0) {
                        boolean same = orig != null && samePrefix(orig, lastOrig, lcp, tokens.length, lastTokens.length);
                        if (c.bit(same ? 1 : 0, flags, 2) == 1) from = lcp;
                    }
                }
                int[][][] r = predict.code(c, tokens, orig, from, lastRecon, lastTokens == null ? 0 : lastTokens.length);
                lastTokens = tokens;
                lastOrig = orig;
                lastRecon = r;
                return new KvSession(tokens, r[0], r[1]);
            }
            KvModel.State st = ((Walker.Lm) w).state;
            int t = tokens.length;
            int[][][] rec = new int[2][layers][heads * t * dim];
            for (int kind = 0; kind < 2; kind++) {
                for (int l = 0; l < layers; l++) {
                    int[] r = rec[kind][l];
                    for (int h = 0; h < heads; h++) {
                        for (int p = 0; p < t; p++) {
                            for (int d = 0; d < dim; d++) r[(h * t + p) * dim + d] = Floats.fromFloat(st.get(kind == 1, l, h, p, d), dtype);
                        }
                    }
                }
            }
            boolean allZero = true;
            if (orig != null) {
                for (int kind = 0; kind < 2 && allZero; kind++) {
                    for (int l = 0; l < layers && allZero; l++) {
                        allZero = Arrays.equals(rec[kind][l], kind == 0 ? orig.keys()[l] : orig.values()[l]);
                    }
                }
            }
            if (c.bit(allZero ? 1 : 0, flags, 0) == 0) {
                int lanesN = dtype.size;
                for (int kind = 0; kind < 2; kind++) {
                    for (int l = 0; l < layers; l++) {
                        int[] r = rec[kind][l];
                        int[] o = orig == null ? null : (kind == 0 ? orig.keys()[l] : orig.values()[l]);
                        boolean same = o != null && Arrays.equals(r, o);
                        if (c.bit(same ? 1 : 0, flags, 1) == 1) continue;
                        for (int i = 0; i < r.length; i++) {
                            int x = o == null ? 0 : r[i] ^ o[i];
                            int v = 0;
                            for (int b = lanesN - 1; b >= 0; b--) {
                                int sym = c.symbol((x >>> (8 * b)) & 0xFF, lanes[b]);
                                lanes[b].update(sym);
                                v |= sym << (8 * b);
                            }
                            r[i] ^= v;
                        }
                    }
                }
            }
            return new KvSession(tokens, rec[0], rec[1]);
        }
    }

    /** What the header of a .okv file says. */
    public record Info(Mode mode, boolean usesModel, byte[] fingerprint, boolean lossless, int layers, int heads, int headDim,
                       int sessions, Safetensors.DType dtype, double errorBound) {
    }

    /**
     * Decompresses to the safetensors bytes.
     *
     * @param file  the .okv bytes
     * @param what  name for messages
     * @param model the model (needed when {@link #info} says {@code usesModel}), else may be null
     * @throws IOException          on a missing or different model
     * @throws CorruptInputException on damaged input, with the byte offset when known
     */
    public static byte[] decompress(byte[] file, String what, KvModel model) throws IOException {
        Reader r = new Reader(file);
        Info info = r.header();
        if (info.usesModel()) {
            if (model == null) throw new IOException(what + ": this file was compressed with a model prior (" + Fingerprints.shortHex(info.fingerprint())
                    + "); pass it with --model DIR");
            if (!Arrays.equals(model.fingerprint(), info.fingerprint())) {
                throw new IOException(what + ": this file was compressed with model " + Fingerprints.shortHex(info.fingerprint()) + "; you gave model "
                        + Fingerprints.shortHex(model.fingerprint()));
            }
            if (model.layers != info.layers() || model.heads != info.heads() || model.headDim != info.headDim()) {
                throw new IOException(what + ": shape mismatch between the file and the model");
            }
        }
        int n = info.sessions();
        Settings settings = new Settings(info.mode(), info.errorBound(), r.theta);
        Walker w = info.usesModel() ? new Walker.Lm(model, r.maxLen) : new Walker.Adaptive(r.vocab, r.maxLen);
        if (info.usesModel() && r.maxLen > model.context) throw new CorruptInputException(-1, "kv: sessions longer than the model's context");
        if (!info.usesModel() && info.mode() == Mode.EXACT) throw new CorruptInputException(6, "kv: exact mode without a model");
        Layer2 l2 = new Layer2(info.layers(), info.heads(), info.headDim(), info.dtype(), settings, r.vocab);
        RangeDecoder rd = new RangeDecoder(file, r.bodyStart, r.bodyLength);
        SymCoder c = SymCoder.decoder(rd);
        List<KvSession> dfsSessions = new ArrayList<>();
        long budget = (long) Integer.MAX_VALUE / 4;
        long[] used = new long[1];
        TrieCoder.EndListener listener = (dfs, tokens, walker) -> {
            used[0] += (long) tokens.length * info.layers() * 2L * info.heads() * info.headDim();
            if (used[0] > budget) throw new CorruptInputException(-1, "kv: decoded cache too large");
            dfsSessions.add(l2.code(c, tokens, null, walker));
        };
        TrieCoder.decode(c, n, w, listener);
        int[] dfsOfFile = decodeOrder(c, n);
        List<KvSession> sessions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) sessions.add(dfsSessions.get(dfsOfFile[i]));
        Map<String, String> meta = r.metadata(info.fingerprint());
        KvCache cache = new KvCache(info.layers(), info.heads(), info.headDim(), info.dtype(), r.tokenType, sessions, meta);
        Safetensors st = cache.toSafetensors();
        byte[] out;
        try {
            out = r.rawHeader != null ? st.toBytes(r.rawHeader) : st.toBytes();
        } catch (IOException e) {
            throw new CorruptInputException(-1, "kv: the stored header does not match the decoded tensors (" + e.getMessage() + ")");
        }
        if (info.lossless()) {
            CRC32C crc = new CRC32C();
            crc.update(out);
            if ((int) crc.getValue() != r.outputCrc) {
                throw new CorruptInputException(-1, "kv: the decoded cache does not match its checksum"
                        + (info.mode() == Mode.EXACT ? " (the model recomputed different floats? same ONNX Runtime build and CPU needed)" : ""));
            }
        }
        return out;
    }

    /** Reads the header of a .okv file. */
    public static Info info(byte[] file) throws IOException {
        return new Reader(file).header();
    }

    /** Header parser with offsets for errors. */
    private static final class Reader {
        final byte[] b;
        int pos;
        int vocab;
        int maxLen;
        double theta;
        Safetensors.DType tokenType;
        int headerKind;
        Map<String, String> explicitMeta;
        byte[] rawHeader;
        int bodyStart;
        int bodyLength;
        int outputCrc;

        Reader(byte[] b) {
            this.b = b;
        }

        int u8() throws CorruptInputException {
            if (pos >= b.length) throw new CorruptInputException(pos, "kv: truncated file");
            return b[pos++] & 0xFF;
        }

        int varint(int max) throws CorruptInputException {
            int at = pos;
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 35) throw new CorruptInputException(at, "kv: bad number");
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) break;
            }
            if (v > max) throw new CorruptInputException(at, "kv: value " + v + " out of range (max " + max + ")");
            return (int) v;
        }

        byte[] bytes(int n) throws CorruptInputException {
            if (n > b.length - pos) throw new CorruptInputException(b.length, "kv: truncated file");
            byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        Info header() throws IOException {
            if (b.length < 4 || !Arrays.equals(Arrays.copyOf(b, 4), MAGIC)) throw new CorruptInputException(0, "not an occam KV file (bad magic)");
            pos = 4;
            int version = u8();
            if (version != VERSION) throw new CorruptInputException(4, "kv: format version " + version + "; this build reads version " + VERSION);
            int m = u8();
            if (m > 1) throw new CorruptInputException(5, "kv: unknown mode " + m);
            Mode mode = Mode.values()[m];
            int flags = u8();
            if ((flags & ~3) != 0) throw new CorruptInputException(6, "kv: unknown flags " + flags);
            byte[] fp = (flags & 1) != 0 ? bytes(32) : null;
            int layers = varint(4096);
            int heads = varint(4096);
            int dim = varint(4096);
            int vocabAt = pos;
            vocab = varint(1 << 20);
            if (fp == null && vocab > MAX_ADAPTIVE_VOCAB) throw new CorruptInputException(vocabAt, "kv: vocabulary " + vocab + " too large without a model");
            int n = varint(1 << 24);
            maxLen = varint(1 << 24);
            if (layers < 1 || heads < 1 || dim < 1 || vocab < 1 || n < 1 || maxLen < 1) throw new CorruptInputException(pos, "kv: empty geometry");
            int dt = u8();
            int tt = u8();
            Safetensors.DType[] all = Safetensors.DType.values();
            if (dt >= all.length || (all[dt] != Safetensors.DType.F32 && all[dt] != Safetensors.DType.F16 && all[dt] != Safetensors.DType.BF16)) {
                throw new CorruptInputException(pos - 2, "kv: bad K/V dtype");
            }
            if (tt >= all.length || (all[tt] != Safetensors.DType.I32 && all[tt] != Safetensors.DType.I64)) throw new CorruptInputException(pos - 1, "kv: bad token dtype");
            tokenType = all[tt];
            double bound = 0;
            if (mode == Mode.PREDICT) {
                ByteBuffer bb = ByteBuffer.wrap(bytes(16));
                bound = bb.getDouble();
                theta = bb.getDouble();
                if (!(bound >= 0) || Double.isInfinite(bound) || !(theta >= 0) || Double.isInfinite(theta)) {
                    throw new CorruptInputException(pos - 16, "kv: bad error bound or RoPE theta");
                }
            }
            headerKind = u8();
            if (headerKind > 3 || (headerKind == 0 && fp == null)) throw new CorruptInputException(pos - 1, "kv: bad header kind " + headerKind);
            if (headerKind == 1) {
                int count = varint(1 << 16);
                explicitMeta = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    String k = new String(bytes(varint(1 << 24)), StandardCharsets.UTF_8);
                    String v = new String(bytes(varint(1 << 24)), StandardCharsets.UTF_8);
                    explicitMeta.put(k, v);
                }
            } else if (headerKind == 3) {
                int at = pos;
                rawHeader = inflate(bytes(varint(1 << 28)), at);
            }
            bodyLength = varint(Integer.MAX_VALUE);
            bodyStart = pos;
            bytes(bodyLength);
            CRC32C crc = new CRC32C();
            crc.update(b, 0, pos);
            int want = ByteBuffer.wrap(bytes(4)).getInt();
            if (want != (int) crc.getValue()) throw new CorruptInputException(pos - 4, "kv: checksum mismatch (damaged file)");
            boolean lossless = (flags & 2) != 0;
            if (lossless) outputCrc = ByteBuffer.wrap(bytes(4)).getInt();
            if (pos != b.length) throw new CorruptInputException(pos, "kv: " + (b.length - pos) + " trailing bytes");
            return new Info(mode, fp != null, fp, lossless, layers, heads, dim, n, all[dt], bound);
        }

        Map<String, String> metadata(byte[] fp) {
            return switch (headerKind) {
                case 0 -> KvCache.captureMetadata(fp);
                case 1 -> explicitMeta;
                default -> null;
            };
        }
    }

    private static void varint(ByteArrayOutputStream o, long v) {
        while (v >= 0x80) {
            o.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        o.write((int) v);
    }

    private static void bytes(ByteArrayOutputStream o, byte[] b) {
        varint(o, b.length);
        o.writeBytes(b);
    }

    private static byte[] deflate(byte[] b) {
        Deflater d = new Deflater(9, true);
        d.setInput(b);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) o.write(buf, 0, d.deflate(buf));
        d.end();
        return o.toByteArray();
    }

    private static byte[] inflate(byte[] b, int at) throws CorruptInputException {
        Inflater inf = new Inflater(true);
        inf.setInput(b);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (!inf.finished()) {
                int k = inf.inflate(buf);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) throw new CorruptInputException(at, "kv: truncated stored header");
                o.write(buf, 0, k);
                if (o.size() > Safetensors.MAX_HEADER) throw new CorruptInputException(at, "kv: stored header too large");
            }
        } catch (DataFormatException e) {
            throw new CorruptInputException(at, "kv: damaged stored header");
        } finally {
            inf.end();
        }
        return o.toByteArray();
    }
}
