package dev.occam.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file (the Hugging Face format): an 8-byte little-endian header length {@code N},
 * {@code N} bytes of UTF-8 JSON (an object: tensor name -> {@code {"dtype", "shape",
 * "data_offsets": [begin, end)}} relative to the data section, plus an optional
 * {@code "__metadata__"} object of string -> string), then the data section, little-endian.
 *
 * <p>Reading is strict: the header must fit in the file and be at most {@value #MAX_HEADER}
 * bytes, start with '{', be valid UTF-8 JSON without duplicate keys; every tensor's byte length
 * must equal its element count times the dtype size; the tensors must cover the data section
 * exactly, without overlaps or holes, and the data section must end where the file ends. Every
 * violation is an IOException naming the file and the problem.
 *
 * <p>Writing ({@link #toBytes()}) reproduces the layout of {@code safetensors.torch.save_file}
 * (the Rust writer): tensors ordered by dtype (the larger in the Rust {@code Dtype} order first,
 * e.g. F32 before BF16 before F16) then by name, stored contiguously in that order; compact JSON
 * with {@code __metadata__} first and each tensor as {@code {"dtype":..,"shape":[..],
 * "data_offsets":[b,e]}} in data order; the header padded with spaces to a multiple of 8 bytes.
 * {@link #toBytes(byte[])} writes the data under a given header (e.g. the original one) instead.
 */
public final class Safetensors {
    /** Largest accepted header (the reference implementation's limit). */
    public static final int MAX_HEADER = 100_000_000;

    /** Element types; {@code rank} is the order of the Rust {@code Dtype} enum (the writer's sort key). */
    public enum DType {
        /** bool, 1 byte. */ BOOL(1, 0),
        /** uint8. */ U8(1, 1),
        /** int8. */ I8(1, 2),
        /** float8 e5m2. */ F8_E5M2(1, 3),
        /** float8 e4m3. */ F8_E4M3(1, 4),
        /** int16. */ I16(2, 5),
        /** uint16. */ U16(2, 6),
        /** IEEE half. */ F16(2, 7),
        /** bfloat16. */ BF16(2, 8),
        /** int32. */ I32(4, 9),
        /** uint32. */ U32(4, 10),
        /** IEEE single. */ F32(4, 11),
        /** IEEE double. */ F64(8, 12),
        /** int64. */ I64(8, 13),
        /** uint64. */ U64(8, 14);

        /** Bytes per element. */
        public final int size;
        final int rank;

        DType(int size, int rank) {
            this.size = size;
            this.rank = rank;
        }

        /** The dtype spelled as in the header, or null. */
        public static DType of(String s) {
            for (DType d : values()) if (d.name().equals(s)) return d;
            return null;
        }
    }

    /**
     * One tensor: name, dtype, shape and its little-endian bytes ({@code numel * dtype.size} of them).
     * The arrays are not copied.
     */
    public record Tensor(String name, DType dtype, long[] shape, byte[] data) {
        /** Checks that the data length matches the shape. */
        public Tensor {
            long n = Safetensors.numel(shape);
            if (n < 0 || n * dtype.size != data.length) {
                throw new IllegalArgumentException(name + ": " + data.length + " bytes for shape " + Arrays.toString(shape) + " " + dtype);
            }
        }

        /** Number of elements (product of the shape). */
        public long numel() {
            return Safetensors.numel(shape);
        }
    }

    private final Map<String, String> metadata;
    private final List<Tensor> tensors;
    private final Map<String, Tensor> byName = new HashMap<>();
    private final byte[] header;

    /**
     * Tensors (names unique, not "__metadata__") and metadata (null = no {@code __metadata__} entry).
     * The header is the one {@link #toBytes()} writes.
     */
    public Safetensors(List<Tensor> tensors, Map<String, String> metadata) {
        this(tensors, metadata, null);
    }

    private Safetensors(List<Tensor> tensors, Map<String, String> metadata, byte[] header) {
        this.tensors = List.copyOf(tensors);
        this.metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        for (Tensor t : this.tensors) {
            if (t.name().equals("__metadata__")) throw new IllegalArgumentException("a tensor cannot be named __metadata__");
            if (byName.put(t.name(), t) != null) throw new IllegalArgumentException("duplicate tensor name " + t.name());
        }
        this.header = header;
    }

    /** Tensors in data-section order (file order when read). */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The tensor of that name, or null. */
    public Tensor get(String name) {
        return byName.get(name);
    }

    /** The {@code __metadata__} map in header order, or null when the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The header bytes as read (JSON plus padding), or null for a file built in memory. */
    public byte[] originalHeader() {
        return header == null ? null : header.clone();
    }

    /** Reads and validates a file. */
    public static Safetensors read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses and validates file bytes; {@code what} names the file in error messages. */
    public static Safetensors parse(byte[] b, String what) throws IOException {
        if (b.length < 8) throw new IOException(what + ": truncated safetensors file (" + b.length + " bytes, no header length)");
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER) {
            throw new IOException(what + ": not a safetensors file: header length " + Long.toUnsignedString(n)
                    + (n > MAX_HEADER || n < 0 ? " is larger than the " + MAX_HEADER + "-byte limit" : " is too small"));
        }
        if (n > b.length - 8L) {
            throw new IOException(what + ": truncated safetensors file: header of " + n + " bytes but only " + (b.length - 8) + " bytes follow");
        }
        byte[] hb = Arrays.copyOfRange(b, 8, 8 + (int) n);
        if (hb[0] != '{') throw new IOException(what + ": not a safetensors file: the header does not start with '{'");
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(hb)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(what + ": the safetensors header is not valid UTF-8");
        }
        Object root = Json.parse(json, what);
        if (!(root instanceof Map<?, ?> m)) throw new IOException(what + ": the safetensors header is not a JSON object");
        long dataStart = 8 + n;
        long dataLen = b.length - dataStart;
        Map<String, String> meta = null;
        List<Tensor> list = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> mm)) throw new IOException(what + ": __metadata__ must be an object of strings");
                meta = new LinkedHashMap<>();
                for (Map.Entry<?, ?> me : mm.entrySet()) {
                    if (!(me.getValue() instanceof String sv)) {
                        throw new IOException(what + ": __metadata__ value of \"" + me.getKey() + "\" is not a string");
                    }
                    meta.put((String) me.getKey(), sv);
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw new IOException(what + ": tensor \"" + name + "\": entry is not an object");
            Object dt = info.get("dtype");
            DType dtype = dt instanceof String ds ? DType.of(ds) : null;
            if (dtype == null) throw new IOException(what + ": tensor \"" + name + "\": unsupported or missing dtype " + dt);
            long[] shape = longs(info.get("shape"), what, name, "shape", -1);
            long[] off = longs(info.get("data_offsets"), what, name, "data_offsets", 2);
            long numel = numel(shape);
            if (numel < 0 || numel > Long.MAX_VALUE / 8) throw new IOException(what + ": tensor \"" + name + "\": shape " + Arrays.toString(shape) + " is too large");
            if (off[0] > off[1]) throw new IOException(what + ": tensor \"" + name + "\": data_offsets " + Arrays.toString(off) + " end before they begin");
            if (off[1] > dataLen) {
                throw new IOException(what + ": tensor \"" + name + "\": data_offsets " + Arrays.toString(off) + " point past the end of the data ("
                        + dataLen + " bytes; truncated file?)");
            }
            if (off[1] - off[0] != numel * dtype.size) {
                throw new IOException(what + ": tensor \"" + name + "\": " + (off[1] - off[0]) + " bytes for shape " + Arrays.toString(shape)
                        + " " + dtype + " (needs " + numel * dtype.size + ")");
            }
            byte[] data = Arrays.copyOfRange(b, (int) (dataStart + off[0]), (int) (dataStart + off[1]));
            list.add(new Tensor(name, dtype, shape, data));
            ranges.add(new long[] {off[0], off[1], list.size() - 1});
        }
        // the tensors must tile [0, dataLen): sorted by begin (empty tensors first at equal begins)
        ranges.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
        long pos = 0;
        for (long[] r : ranges) {
            String name = list.get((int) r[2]).name();
            if (r[0] < pos) throw new IOException(what + ": tensor \"" + name + "\" overlaps another tensor (offset " + r[0] + " < " + pos + ")");
            if (r[0] > pos) throw new IOException(what + ": hole in the data section before tensor \"" + name + "\" (bytes " + pos + ".." + r[0] + ")");
            pos = r[1];
        }
        if (pos != dataLen) {
            throw new IOException(what + ": the data section has " + dataLen + " bytes but the tensors cover " + pos
                    + (pos < dataLen ? " (trailing bytes)" : ""));
        }
        List<Tensor> ordered = new ArrayList<>(list.size());
        for (long[] r : ranges) ordered.add(list.get((int) r[2]));
        return new Safetensors(ordered, meta, hb);
    }

    private static long[] longs(Object v, String what, String name, String field, int len) throws IOException {
        if (!(v instanceof List<?> l) || (len >= 0 && l.size() != len) || l.size() > 64) {
            throw new IOException(what + ": tensor \"" + name + "\": " + field + " must be an array" + (len >= 0 ? " of " + len + " integers" : " of integers"));
        }
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0) throw new IOException(what + ": tensor \"" + name + "\": " + field + " has a bad entry " + l.get(i));
            r[i] = x;
        }
        return r;
    }

    /** Product of the dimensions, or -1 on overflow. */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) return -1;
            if (d != 0 && n > Long.MAX_VALUE / d) return -1;
            n *= d;
        }
        return n;
    }

    /** Tensors in the order the Rust writer stores them: dtype rank descending, then name (UTF-8 bytes, i.e. code points). */
    static List<Tensor> writerOrder(List<Tensor> ts) {
        List<Tensor> s = new ArrayList<>(ts);
        s.sort((a, b) -> a.dtype().rank != b.dtype().rank ? Integer.compare(b.dtype().rank, a.dtype().rank)
                : compareUtf8(a.name(), b.name()));
        return s;
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The header {@code save_file} would write for these tensors and metadata (JSON + space padding to a multiple of 8). */
    public static byte[] canonicalHeader(List<Tensor> tensors, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        if (metadata != null) {
            sb.append("\"__metadata__\":{");
            boolean f2 = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!f2) sb.append(',');
                f2 = false;
                Json.quote(sb, e.getKey());
                sb.append(':');
                Json.quote(sb, e.getValue());
            }
            sb.append('}');
            first = false;
        }
        long off = 0;
        for (Tensor t : writerOrder(tensors)) {
            if (!first) sb.append(',');
            first = false;
            Json.quote(sb, t.name());
            sb.append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) sb.append(i > 0 ? "," : "").append(t.shape()[i]);
            sb.append("],\"data_offsets\":[").append(off).append(',').append(off + t.data().length).append("]}");
            off += t.data().length;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] h = Arrays.copyOf(json, padded);
        Arrays.fill(h, json.length, padded, (byte) ' ');
        return h;
    }

    /** The file with {@link #canonicalHeader} (the {@code save_file} layout). */
    public byte[] toBytes() throws IOException {
        return toBytes(canonicalHeader(tensors, metadata));
    }

    /**
     * The file with the given header, which must describe exactly these tensors (same names, dtypes,
     * shapes) with offsets that tile the data section; the data goes where the header says.
     *
     * @throws IOException if the header does not match the tensors
     */
    public byte[] toBytes(byte[] headerBytes) throws IOException {
        long total = 0;
        for (Tensor t : tensors) total += t.data().length;
        if (8L + headerBytes.length + total > Integer.MAX_VALUE - 16) throw new IOException("safetensors file larger than 2 GiB");
        byte[] out = new byte[8 + headerBytes.length + (int) total];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
        System.arraycopy(headerBytes, 0, out, 8, headerBytes.length);
        // parse our own result's header against a zero data section to get the offsets
        Safetensors layout = parse(out, "header");
        for (Tensor want : layout.tensors) {
            Tensor have = byName.get(want.name());
            if (have == null || have.dtype() != want.dtype() || !Arrays.equals(have.shape(), want.shape())) {
                throw new IOException("the header does not match tensor " + want.name());
            }
        }
        if (layout.tensors.size() != tensors.size()) throw new IOException("the header lists " + layout.tensors.size() + " tensors, not " + tensors.size());
        int pos = 8 + headerBytes.length;
        for (Tensor want : layout.tensors) {
            byte[] d = byName.get(want.name()).data();
            System.arraycopy(d, 0, out, pos, d.length);
            pos += d.length;
        }
        return out;
    }
}
