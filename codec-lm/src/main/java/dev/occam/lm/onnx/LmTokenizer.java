package dev.occam.lm.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (DJL's native tokenizers, CPU build, nothing downloaded)
 * plus the exact bytes of every token, so a token stream can be turned back into bytes one token
 * at a time.
 *
 * <p>Token bytes come from the vocabulary and the decoder section of the file: byte-level BPE
 * (GPT-2: each character of the token stands for one byte through the fixed byte-to-unicode table),
 * SentencePiece-style ({@code ▁} is a space, {@code <0xNN>} with byte fallback is the byte NN), or
 * plain text; added tokens are their UTF-8 content. If the normaliser prepends {@code ▁} to the text
 * ({@link #prependsSpace()}), the first token of every span carries one extra leading space.
 * Nothing here trusts the tokenizer to round-trip: the coder checks every span and escapes to raw
 * bytes where it does not.
 */
final class LmTokenizer implements AutoCloseable {
    static {
        // DJL: the CPU build of the native library that ships in its jar, and never the network
        // (both read as environment variable or system property; a user's explicit setting wins)
        if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
            System.setProperty("RUST_FLAVOR", "cpu");
        }
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final byte[][] tokenBytes;
    private final int[] prefix;
    private final boolean prependsSpace;
    private final int firstSpecial;

    private LmTokenizer(Path file, HuggingFaceTokenizer tokenizer, byte[][] tokenBytes, int firstSpecial)
            throws IOException {
        this.file = file;
        this.firstSpecial = firstSpecial;
        this.tokenizer = tokenizer;
        this.tokenBytes = tokenBytes;
        int[] plain = encodeRaw("a", false);
        int[] special = encodeRaw("a", true);
        int extra = special.length - plain.length;
        boolean prefixed = extra > 0 && Arrays.equals(special, extra, special.length, plain, 0, plain.length);
        this.prefix = prefixed ? Arrays.copyOf(special, extra) : new int[0];
        byte[] a = concat(plain);
        this.prependsSpace = a != null && a.length == 2 && a[0] == ' ' && a[1] == 'a';
    }

    /** Loads {@code file}; a clear IOException names the file when it is missing or not a tokenizer.json. */
    static LmTokenizer load(Path file) throws IOException {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("tokenizer file not found: " + file, e);
        }
        byte[][] table;
        int firstSpecial;
        try {
            JsonObject root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
            table = tokenTable(root);
            firstSpecial = firstSpecial(root);
        } catch (RuntimeException e) {
            throw new IOException("not a Hugging Face tokenizer.json: " + file + " (" + e.getMessage() + ")", e);
        }
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
        try {
            return new LmTokenizer(file, t, table, firstSpecial);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e instanceof IOException io ? io : new IOException("cannot use tokenizer " + file + ": " + e, e);
        }
    }

    /** One more than the largest token id the file defines. */
    int size() {
        return tokenBytes.length;
    }

    /** Tokens the tokenizer puts before every text (e.g. BOS), possibly none. */
    int[] prefix() {
        return prefix.clone();
    }

    /**
     * Tokens that begin every sequence for a model with {@code modelVocab} tokens: the tokenizer's
     * prefix (BOS) when it has one, else its first special token (GPT-2's end-of-text), else token 0.
     */
    int[] startTokens(int modelVocab) {
        boolean ok = prefix.length > 0;
        for (int t : prefix) ok &= t >= 0 && t < modelVocab;
        if (ok) return prefix.clone();
        return new int[] {firstSpecial >= 0 && firstSpecial < modelVocab ? firstSpecial : 0};
    }

    private static int firstSpecial(JsonObject root) {
        int best = -1;
        JsonElement at = root.get("added_tokens");
        if (at != null && at.isJsonArray()) {
            for (JsonElement e : at.getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                boolean special = o.has("special") && o.get("special").getAsBoolean();
                int id = o.get("id").getAsInt();
                if (special && (best < 0 || id < best)) best = id;
            }
        }
        return best;
    }

    /** Whether the tokenizer adds one space before the text (SentencePiece "Prepend ▁"). */
    boolean prependsSpace() {
        return prependsSpace;
    }

    /** The bytes of a token, or null when it has none (unknown id, or not representable). */
    byte[] bytes(int id) {
        return id >= 0 && id < tokenBytes.length ? tokenBytes[id] : null;
    }

    /** Token ids of {@code text} without special tokens. */
    int[] encode(String text) throws IOException {
        return encodeRaw(text, false);
    }

    private int[] encodeRaw(String text, boolean special) throws IOException {
        long[] ids;
        try {
            ids = tokenizer.encode(text, special, false).getIds();
        } catch (RuntimeException e) {
            throw new IOException("tokenizer " + file + " failed: " + e.getMessage(), e);
        }
        int[] r = new int[ids.length];
        for (int i = 0; i < ids.length; i++) r[i] = ids[i] < 0 || ids[i] > Integer.MAX_VALUE ? -1 : (int) ids[i];
        return r;
    }

    /** Concatenated bytes of the tokens, or null when one of them has no bytes. */
    byte[] concat(int[] ids) {
        int n = 0;
        for (int id : ids) {
            byte[] b = bytes(id);
            if (b == null) return null;
            n += b.length;
        }
        byte[] out = new byte[n];
        int k = 0;
        for (int id : ids) {
            byte[] b = tokenBytes[id];
            System.arraycopy(b, 0, out, k, b.length);
            k += b.length;
        }
        return out;
    }

    // --- token bytes from tokenizer.json ------------------------------------------------------

    private static byte[][] tokenTable(JsonObject root) {
        JsonObject model = root.getAsJsonObject("model");
        if (model == null) throw new IllegalArgumentException("no \"model\" section");
        JsonElement decoder = root.get("decoder");
        boolean byteLevel = hasType(decoder, "ByteLevel");
        boolean byteFallback = hasType(decoder, "ByteFallback") || (model.has("byte_fallback") && model.get("byte_fallback").getAsBoolean());
        boolean metaspace = hasType(decoder, "Metaspace") || hasReplace(decoder, "\u2581", " ");
        String[] pieces = new String[0];
        JsonElement vocab = model.get("vocab");
        if (vocab != null && vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                pieces = put(pieces, e.getValue().getAsInt(), e.getKey());
            }
        } else if (vocab != null && vocab.isJsonArray()) { // Unigram: [[piece, score], ...]
            JsonArray a = vocab.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) pieces = put(pieces, i, a.get(i).getAsJsonArray().get(0).getAsString());
        } else {
            throw new IllegalArgumentException("no vocabulary in the model section");
        }
        boolean[] added = new boolean[0];
        JsonElement at = root.get("added_tokens");
        if (at != null && at.isJsonArray()) {
            for (JsonElement e : at.getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                int id = o.get("id").getAsInt();
                pieces = put(pieces, id, o.get("content").getAsString());
                if (added.length <= id) added = Arrays.copyOf(added, id + 1);
                added[id] = true;
            }
        }
        int n = pieces.length;
        while (n > 0 && pieces[n - 1] == null) n--;
        pieces = Arrays.copyOf(pieces, n);
        int[] unicodeToByte = byteLevel ? unicodeToByte() : null;
        byte[][] table = new byte[pieces.length][];
        for (int id = 0; id < pieces.length; id++) {
            String s = pieces[id];
            if (s == null) continue;
            if (id < added.length && added[id]) {
                table[id] = s.getBytes(StandardCharsets.UTF_8);
            } else if (byteLevel) {
                table[id] = byteLevelBytes(s, unicodeToByte);
            } else if (byteFallback && s.length() == 6 && s.startsWith("<0x") && s.endsWith(">")) {
                table[id] = new byte[] {(byte) Integer.parseInt(s.substring(3, 5), 16)};
            } else {
                table[id] = (metaspace ? s.replace('\u2581', ' ') : s).getBytes(StandardCharsets.UTF_8);
            }
        }
        return table;
    }

    private static String[] put(String[] a, int id, String s) {
        if (id < 0 || id >= (1 << 20)) throw new IllegalArgumentException("token id " + id + " out of range");
        if (id >= a.length) a = Arrays.copyOf(a, Math.max(id + 1, a.length * 2));
        a[id] = s;
        return a;
    }

    /** Whether a decoder (or one in a Sequence) has the given type. */
    private static boolean hasType(JsonElement e, String type) {
        if (e == null || !e.isJsonObject()) return false;
        JsonObject o = e.getAsJsonObject();
        if (o.has("type") && type.equals(o.get("type").getAsString())) return true;
        JsonElement seq = o.get("decoders");
        if (seq != null && seq.isJsonArray()) {
            for (JsonElement d : seq.getAsJsonArray()) if (hasType(d, type)) return true;
        }
        return false;
    }

    private static boolean hasReplace(JsonElement e, String from, String to) {
        if (e == null || !e.isJsonObject()) return false;
        JsonObject o = e.getAsJsonObject();
        if (o.has("type") && "Replace".equals(o.get("type").getAsString())) {
            JsonObject p = o.getAsJsonObject("pattern");
            if (p != null && p.has("String") && from.equals(p.get("String").getAsString())
                    && o.has("content") && to.equals(o.get("content").getAsString())) {
                return true;
            }
        }
        JsonElement seq = o.get("decoders");
        if (seq != null && seq.isJsonArray()) {
            for (JsonElement d : seq.getAsJsonArray()) if (hasReplace(d, from, to)) return true;
        }
        return false;
    }

    /**
     * Inverse of the GPT-2 byte-to-unicode table: printable bytes 33..126, 161..172 and 174..255 stand
     * for themselves; the other 68 bytes, in increasing order, map to U+0100, U+0101, ...
     */
    private static int[] unicodeToByte() {
        int[] inv = new int[512];
        Arrays.fill(inv, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            inv[printable ? b : next++] = b;
        }
        return inv;
    }

    private static byte[] byteLevelBytes(String s, int[] inv) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= inv.length || inv[c] < 0) return null;
            out[i] = (byte) inv[c];
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
