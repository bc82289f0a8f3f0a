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
        byte[] data = new byte[len];
        boolean[] solved = new boolean[chunks];
        RangeDecoder dec = new RangeDecoder(file, progStart, (int) n);
        CodedPrior prior = new CodedPrior();
        int[] flagP = {32768};
        int fallbackLen = 0;
        for (int c = 0; c < chunks; c++) {
            int from = c * size, to = Math.min(len, from + size);
            int flag = dec.decodeBit(clamp(flagP[0]));
            flagP[0] = adapt(flagP[0], flag);
            solved[c] = flag == 1;
            if (!solved[c]) {
                fallbackLen += to - from;
                continue;
            }
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
            System.arraycopy(out, 0, data, from, out.length);
        }
        byte[] rest;
        try {
            rest = Baselines.cmDecode(file, fbStart, (int) m, fallbackLen);
        } catch (CorruptInputException e) {
            throw new CorruptInputException(e.offset() >= 0 ? fbStart + e.offset() : -1, "fallback section: " + e.reason());
        }
        int k = 0;
        for (int c = 0; c < chunks; c++) {
            if (solved[c]) continue;
            int from = c * size, to = Math.min(len, from + size);
            System.arraycopy(rest, k, data, from, to - from);
            k += to - from;
        }
        if (crc(data, 0, len) != dataCrc) throw new CorruptInputException(-1, "data checksum mismatch");
        return data;
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
