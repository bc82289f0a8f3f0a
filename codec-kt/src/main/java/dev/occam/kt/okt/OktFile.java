package dev.occam.kt.okt;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.score.CodedPrior;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The {@code .okt} file: data cut into chunks, each chunk either the output of a program
 * ("solved") or coded by the fallback language model.
 *
 * <pre>
 * "OKT" 0x01                       magic and format version
 * varint chunkSize, varint rawLength, u32 CRC32C(raw data)
 * varint n, n bytes                programs: range-coded; per chunk one adaptive flag bit
 *                                  (1 = solved) and, when solved, the program with {@link CodedPrior}
 * varint m, m bytes                fallback: the unsolved chunks concatenated, coded with the
 *                                  built-in context-mixing model ({@link Baselines#cmEncode})
 * u32 CRC32C(every byte before)    file checksum
 * </pre>
 *
 * <p>Decoding checks the file checksum first, then runs every program under the interpreter's
 * default limits (a program that fails or whose output has the wrong length is corrupt input),
 * decodes the fallback bytes and checks the data checksum. Every problem is a
 * {@link CorruptInputException} with the byte offset (or -1 when it has none).
 */
public final class OktFile {
    /** Chunk size of the paper's real-data setting. */
    public static final int DEFAULT_CHUNK = 128;
    private static final byte[] MAGIC = {'O', 'K', 'T', 1};
    private static final int FLAG_SHIFT = 4;

    private OktFile() {
    }

    /** The byte layout's parts, for reports. */
    public record Sizes(int total, int programBytes, int fallbackBytes, int solvedChunks, int chunks) {
    }

    /**
     * Writes the file for {@code data} given a decision per chunk: {@code programs[i]} is the program
     * of chunk i (it must output exactly that chunk) or null for fallback coding.
     */
    public static byte[] encode(byte[] data, int chunkSize, List<Program> programs) throws IOException {
        int chunks = chunkCount(data.length, chunkSize);
        if (programs.size() != chunks) throw new IllegalArgumentException(programs.size() + " programs for " + chunks + " chunks");
        ByteArrayOutputStream prog = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(prog);
        CodedPrior prior = new CodedPrior();
        int[] flagP = {32768};
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        for (int c = 0; c < chunks; c++) {
            int from = c * chunkSize, to = Math.min(data.length, from + chunkSize);
            Program p = programs.get(c);
            int flag = p == null ? 0 : 1;
            enc.encodeBit(flag, clamp(flagP[0]));
            flagP[0] = adapt(flagP[0], flag);
            if (p != null) {
                byte[] out;
                try {
                    out = Interpreter.run(p);
                } catch (KtException e) {
                    throw new IllegalArgumentException("program of chunk " + c + " fails: " + e.getMessage());
                }
                if (!Arrays.equals(out, 0, out.length, data, from, to)) throw new IllegalArgumentException("program of chunk " + c + " does not output the chunk");
                prior.encode(p, enc);
            } else {
                rest.write(data, from, to - from);
            }
        }
        enc.finish();
        byte[] fallback = Baselines.cmEncode(rest.toByteArray());
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(MAGIC);
        varint(file, chunkSize);
        varint(file, data.length);
        u32(file, crc(data, 0, data.length));
        varint(file, prog.size());
        prog.writeTo(file);
        varint(file, fallback.length);
        file.write(fallback);
        byte[] body = file.toByteArray();
        u32(file, crc(body, 0, body.length));
        return file.toByteArray();
    }

    /** The sizes of the parts of an encoded file (it is not checked). */
    public static Sizes sizes(byte[] file, List<Program> programs) throws IOException {
        Reader r = new Reader(file);
        r.pos = MAGIC.length;
        r.varint();
        r.varint();
        r.pos += 4;
        int n = (int) r.varint();
        r.pos += n;
        int m = (int) r.varint();
        int solved = 0;
        for (Program p : programs) if (p != null) solved++;
        return new Sizes(file.length, n, m, solved, programs.size());
    }

    /** Number of chunks of {@code length} bytes. */
    public static int chunkCount(long length, int chunkSize) {
        return (int) ((length + chunkSize - 1) / chunkSize);
    }

    /**
     * The original data.
     *
     * @throws CorruptInputException when the file is truncated, corrupt or not an .okt file
     */
    public static byte[] decode(byte[] file) throws IOException {
        if (file.length < MAGIC.length || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            if (file.length >= 3 && file[0] == 'O' && file[1] == 'K' && file[2] == 'T') {
                throw new CorruptInputException(3, "unsupported .okt version " + (file.length > 3 ? file[3] : -1) + " (this build reads 1)");
            }
            throw new CorruptInputException(0, "not an .okt file (bad magic)");
        }
        if (file.length < MAGIC.length + 4 + 4 + 3) throw new CorruptInputException(file.length, "truncated .okt file");
        int bodyLen = file.length - 4;
        long stored = (file[bodyLen] & 0xFFL) << 24 | (file[bodyLen + 1] & 0xFF) << 16 | (file[bodyLen + 2] & 0xFF) << 8 | (file[bodyLen + 3] & 0xFF);
        Reader r = new Reader(file);
        r.limit = bodyLen;
        r.pos = MAGIC.length;
        long chunkSize = r.varint();
        long rawLength = r.varint();
        if (chunkSize < 1 || chunkSize > (1 << 20)) throw new CorruptInputException(MAGIC.length, "bad chunk size " + chunkSize);
        if (rawLength > Integer.MAX_VALUE - 16) throw new CorruptInputException(MAGIC.length, "raw length " + rawLength + " too large");
        long dataCrc = r.u32();
        int progAt = r.pos;
        long n = r.varint();
        if (n > r.limit - r.pos) throw new CorruptInputException(progAt, "truncated .okt file (program section of " + n + " bytes)");
        int progStart = r.pos;
        r.pos += (int) n;
        int fbAt = r.pos;
        long m = r.varint();
        if (m > r.limit - r.pos) throw new CorruptInputException(fbAt, "truncated .okt file (fallback section of " + m + " bytes)");
        int fbStart = r.pos;
        r.pos += (int) m;
        if (r.pos != bodyLen) throw new CorruptInputException(r.pos, "truncated or trailing bytes (" + (bodyLen - r.pos) + " bytes unaccounted for)");
        if (crc(file, 0, bodyLen) != stored) throw new CorruptInputException(bodyLen, "file checksum mismatch");

        int size = (int) chunkSize;
        int len = (int) rawLength;
        int chunks = chunkCount(len, size);
        // The declared length is never trusted for allocation: the flags cannot describe more chunks
        // than the program section's bits allow, the fallback no more bytes than its bits allow, and
        // the output grows only as chunks are actually produced.
        long maxChunks = maxFlags(n);
        if (chunks > maxChunks) {
            throw new CorruptInputException(MAGIC.length, "raw length " + rawLength + " (" + chunks + " chunks) is more than the "
                    + n + "-byte program section can describe (at most " + maxChunks + " chunks)");
        }
        Output data = new Output(len);
        java.util.BitSet solved = new java.util.BitSet();
        RangeDecoder dec = new RangeDecoder(file, progStart, (int) n);
        CodedPrior prior = new CodedPrior();
        int[] flagP = {32768};
        long fallbackLen = 0;
        long maxFallback = maxFallbackBytes(m);
        for (int c = 0; c < chunks; c++) {
            int from = c * size, to = Math.min(len, from + size);
            int flag = dec.decodeBit(clamp(flagP[0]));
            flagP[0] = adapt(flagP[0], flag);
            if (flag == 0) {
                fallbackLen += to - from;
                if (fallbackLen > maxFallback) {
                    throw new CorruptInputException(fbAt, "chunk " + c + ": " + fallbackLen + " bytes for the fallback, more than its "
                            + m + " bytes can describe (at most " + maxFallback + ")");
                }
                continue;
            }
            solved.set(c);
            Program p;
            try {
                p = prior.decode(dec);
            } catch (CorruptInputException e) {
                throw new CorruptInputException(progStart + dec.bytesRead(), "chunk " + c + ": " + e.reason());
            }
            byte[] out;
            try {
                out = Interpreter.run(p);
            } catch (KtException e) {
                throw new CorruptInputException(progStart + dec.bytesRead(), "chunk " + c + ": the program fails: " + e.getMessage());
            }
            if (out.length != to - from) {
                throw new CorruptInputException(progStart + dec.bytesRead(), "chunk " + c + ": the program outputs " + out.length + " bytes, not " + (to - from));
            }
            data.put(from, out, 0, out.length);
        }
        byte[] rest;
        try {
            rest = Baselines.cmDecode(file, fbStart, (int) m, (int) fallbackLen);
        } catch (CorruptInputException e) {
            throw new CorruptInputException(e.offset() >= 0 ? fbStart + e.offset() : -1, "fallback section: " + e.reason());
        }
        int k = 0;
        for (int c = 0; c < chunks; c++) {
            if (solved.get(c)) continue;
            int from = c * size, to = Math.min(len, from + size);
            data.put(from, rest, k, to - from);
            k += to - from;
        }
        byte[] result = data.toArray();
        if (crc(result, 0, len) != dataCrc) throw new CorruptInputException(-1, "data checksum mismatch");
        return result;
    }

    /**
     * Most flags an n-byte program section can hold. The range decoder reads at most n + 7 padding
     * bytes with a 56-bit state; a flag costs at least -log2(65472/65536) = 0.00141 bits (the
     * clamp), so flags <= (8 (n + 15) + 64) / 0.0014 (rounded down to be safe).
     */
    static long maxFlags(long n) {
        return (8 * (n + 15) + 64) * 715;
    }

    /**
     * Most bytes an m-byte cm section can decode to: the model's P(bit) is in [1, 4095]/4096
     * (16-bit coder probability 16..65520), so a bit costs at least -log2(4095/4096) = 3.52e-4
     * bits and a byte 2.8e-3; with the coder's at most 7 padding bytes and 56-bit state,
     * bytes <= (8 (m + 15) + 64) / 2.72e-3 (a margin for the coder's rounding).
     */
    static long maxFallbackBytes(long m) {
        return (8 * (m + 15) + 64) * 368;
    }

    /** The decoded data, grown as chunks are written (never allocated from the declared length alone). */
    private static final class Output {
        private final int length;
        private byte[] b = new byte[0];

        Output(int length) {
            this.length = length;
        }

        void put(int at, byte[] src, int off, int n) {
            int end = at + n;
            if (end > b.length) {
                int cap = (int) Math.min(length, Math.max(end, Math.min((long) Integer.MAX_VALUE - 16, 2L * b.length + 4096)));
                b = Arrays.copyOf(b, cap);
            }
            System.arraycopy(src, off, b, at, n);
        }

        byte[] toArray() {
            return b.length == length ? b : Arrays.copyOf(b, length);
        }
    }

    /** Probability clamp for the flag model. */
    private static int clamp(int p) {
        return Math.max(64, Math.min(65472, p));
    }

    /** p += (target - p) >> 4. */
    private static int adapt(int p, int bit) {
        return p + (bit != 0 ? (65536 - p) >> FLAG_SHIFT : -(p >> FLAG_SHIFT));
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    private static final class Reader {
        final byte[] b;
        int pos;
        int limit;

        Reader(byte[] b) {
            this.b = b;
            this.limit = b.length;
        }

        long varint() throws CorruptInputException {
            long v = 0;
            int start = pos;
            for (int shift = 0; shift < 63; shift += 7) {
                if (pos >= limit) throw new CorruptInputException(pos, "truncated .okt file");
                int x = b[pos++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if (x < 0x80) return v;
            }
            throw new CorruptInputException(start, "bad number");
        }

        long u32() throws CorruptInputException {
            if (pos + 4 > limit) throw new CorruptInputException(pos, "truncated .okt file");
            long v = (b[pos] & 0xFFL) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }
    }
}
