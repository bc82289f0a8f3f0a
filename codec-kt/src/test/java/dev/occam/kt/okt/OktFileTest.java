package dev.occam.kt.okt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.testing.Assets;
import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.dsl.Stmt;
import dev.occam.kt.eval.Evaluation;
import dev.occam.kt.solve.SearchSolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OktFileTest {
    /** Synthetic data: generated outputs padded/cut to whole 128-byte chunks, mixed with random chunks. */
    static byte[] mixed() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        SplittableRandom r = new SplittableRandom(3);
        for (int c = 0; c < 24; c++) {
            if (c % 3 == 2) {
                for (int i = 0; i < 128; i++) bos.write(r.nextInt(256));
            } else {
                for (int i = 0; i < 128; i++) bos.write((c * 7 + i * (c % 5 + 1)) & 255); // progressions
            }
        }
        for (int i = 0; i < 77; i++) bos.write(i % 3); // a short last chunk
        return bos.toByteArray();
    }

    static Evaluation.RealReport solve(byte[] data) throws Exception {
        // a node budget and a far deadline: the result does not depend on the machine's load
        return Evaluation.real("test", data, 128, new SearchSolver(2, 20_000), 2, Long.MAX_VALUE / 4, null);
    }

    @Test
    void roundTripWithSolvedAndUnsolvedChunks() throws Exception {
        byte[] data = mixed();
        Evaluation.RealReport r = solve(data);
        assertTrue(r.solved() >= 10, r.solved() + " chunks solved");
        assertTrue(r.solved() < r.chunks());
        assertArrayEquals(data, OktFile.decode(r.okt()));
        // the progressions cost little: far below the 8 bits per byte of the raw data
        assertTrue(r.oktBytes() < data.length / 2, r.oktBytes() + " bytes");
    }

    @Test
    void emptyAndTinyInputs() throws Exception {
        for (byte[] d : new byte[][] {new byte[0], {5}, {1, 2, 3}}) {
            Evaluation.RealReport r = solve(d);
            assertArrayEquals(d, OktFile.decode(r.okt()));
        }
    }

    @Test
    void explicitProgramsAndFallbacks() throws Exception {
        // chunk size 1: every byte is its own program or fallback
        byte[] data = {7, 7, 9, (byte) 200};
        Program seven = Program.ofTrusted(List.of(Stmt.of(Fn.REPEAT_NUM, 1, 7)));
        List<Program> programs = new ArrayList<>(Arrays.asList(seven, null, Program.ofTrusted(List.of(Stmt.setList(9))), null));
        byte[] f = OktFile.encode(data, 1, programs);
        assertArrayEquals(data, OktFile.decode(f));
        List<Program> wrong = new ArrayList<>(programs);
        wrong.set(3, seven); // outputs 7 for the chunk 200
        assertThrows(IllegalArgumentException.class, () -> OktFile.encode(data, 1, wrong));
        assertThrows(IllegalArgumentException.class, () -> OktFile.encode(data, 1, programs.subList(0, 3)));
    }

    @Test
    void corruptAndTruncatedFilesAreRejected() throws Exception {
        byte[] data = mixed();
        byte[] f = solve(data).okt();
        for (int cut = 0; cut < f.length; cut += Math.max(1, f.length / 40)) {
            byte[] t = Arrays.copyOf(f, cut);
            assertThrows(CorruptInputException.class, () -> OktFile.decode(t), "cut at " + cut);
        }
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            byte[] c = f.clone();
            int at = r.nextInt(c.length);
            c[at] ^= (byte) (1 + r.nextInt(255));
            CorruptInputException e = assertThrows(CorruptInputException.class, () -> OktFile.decode(c), "flip at " + at);
            assertTrue(e.reason() != null && !e.reason().isEmpty());
        }
        byte[] extra = Arrays.copyOf(f, f.length + 3);
        assertThrows(CorruptInputException.class, () -> OktFile.decode(extra));
        CorruptInputException magic = assertThrows(CorruptInputException.class, () -> OktFile.decode("hello world".getBytes()));
        assertEquals(0, magic.offset());
    }

    @Test
    void realFilesRoundTrip() throws Exception {
        for (String name : new String[] {"text/canterbury/alice29.txt", "audio/Front_Center.wav", "text/canterbury/ptt5"}) {
            byte[] all = Files.readAllBytes(Assets.require(name));
            byte[] data = Arrays.copyOfRange(all, 0, Math.min(all.length, 4096));
            Evaluation.RealReport r = Evaluation.real(name, data, 128, new SearchSolver(), 2, 20_000_000L, null);
            assertArrayEquals(data, OktFile.decode(r.okt()), name);
            assertTrue(r.ourRate() < r.gzipRate(), name + ": " + r.ourRate() + " vs gzip " + r.gzipRate());
        }
    }

    @Test
    void paperRateFormula() throws IOException {
        byte[] unsolved = "abcabcabc".getBytes();
        int gz = Baselines.gzipSize(unsolved);
        // ceil(100.5 + 8 gz + 3) / (8 * 20)
        assertEquals(Math.ceil(100.5 + 8.0 * gz + 3) / 160.0, Evaluation.paperRate(100.5, unsolved, 3, 20), 1e-12);
        assertEquals(Math.ceil(100.5 + 3) / 160.0, Evaluation.paperRate(100.5, new byte[0], 3, 20), 1e-12);
    }

    /** A file with the given header numbers and sections, with a correct file checksum. */
    static byte[] crafted(long chunkSize, long rawLength, byte[] programs, byte[] fallback) {
        return crafted(chunkSize, rawLength, 0, programs, fallback);
    }

    static byte[] crafted(long chunkSize, long rawLength, long dataCrc, byte[] programs, byte[] fallback) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(new byte[] {'O', 'K', 'T', 1});
        varint(f, chunkSize);
        varint(f, rawLength);
        f.writeBytes(new byte[] {(byte) (dataCrc >>> 24), (byte) (dataCrc >>> 16), (byte) (dataCrc >>> 8), (byte) dataCrc});
        varint(f, programs.length);
        f.writeBytes(programs);
        varint(f, fallback.length);
        f.writeBytes(fallback);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        byte[] body = f.toByteArray();
        c.update(body, 0, body.length);
        long v = c.getValue();
        f.writeBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        return f.toByteArray();
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    @Test
    void aHugeDeclaredLengthIsRejectedWithoutAllocatingIt() {
        long huge = Integer.MAX_VALUE - 17; // 2 GiB: the old decoder allocated this before running anything
        for (long chunk : new long[] {1, 128, 1 << 20}) {
            for (int fill : new int[] {0x00, 0xFF, 0x5A}) {
                byte[] prog = new byte[6], fb = new byte[4];
                Arrays.fill(prog, (byte) fill);
                Arrays.fill(fb, (byte) fill);
                byte[] file = crafted(chunk, huge, prog, fb);
                assertTrue(file.length <= 32, file.length + " bytes");
                long before = allocatedBytes();
                CorruptInputException e = assertThrows(CorruptInputException.class, () -> OktFile.decode(file), "chunk " + chunk + " fill " + fill);
                long used = allocatedBytes() - before;
                assertTrue(e.offset() >= -1 && e.offset() < file.length, e.getMessage());
                // what the 32 bytes can describe is bounded (about 3 KB of output per byte); the header is not trusted
                assertTrue(before < 0 || used < (64 << 20), used + " bytes allocated for a " + file.length + "-byte file");
            }
        }
    }

    @Test
    void aWrongDeclaredLengthOfARealFileIsCorruptInput() throws Exception {
        byte[] data = mixed();
        byte[] okt = OktFile.encode(data, 128, java.util.Collections.nCopies(OktFile.chunkCount(data.length, 128), null));
        byte[] fb = fallbackSection(okt);
        byte[] prog = programSection(okt);
        // the real sections with the right length decode; with another length they are corrupt input
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data, 0, data.length);
        assertArrayEquals(data, OktFile.decode(crafted(128, data.length, crc.getValue(), prog, fb)));
        for (long len : new long[] {data.length + 1, data.length + 128L * 1000, data.length * 3000L, Integer.MAX_VALUE - 17}) {
            assertThrows(CorruptInputException.class, () -> OktFile.decode(crafted(128, len, prog, fb)), "length " + len);
        }
    }

    @Test
    void theLengthBoundsHoldForHighlyCompressibleData() throws Exception {
        // 256 KiB of zeros: the fallback coder's best case (most bytes per coded byte); all chunks by the fallback,
        // then all chunks but the last as (tiny) programs: the bounds must never reject a real file
        byte[] zeros = new byte[1 << 18];
        int chunks = OktFile.chunkCount(zeros.length, 4096);
        byte[] okt = OktFile.encode(zeros, 4096, java.util.Collections.nCopies(chunks, null));
        assertTrue(fallbackSection(okt).length * 368L * 8 < zeros.length * 40L, "zeros compress well: " + fallbackSection(okt).length);
        assertArrayEquals(zeros, OktFile.decode(okt));
        byte[] small = new byte[1 << 14];
        List<Program> ps = new ArrayList<>();
        Program run = dev.occam.kt.dsl.Parser.parse("sequence_1 = repeat_num(16, 0)\nsequence_2 = repeat_list(16, sequence_1)\noutput = repeat_list(16, sequence_2)");
        for (int c = 0; c < 4; c++) ps.add(run);
        byte[] okt2 = OktFile.encode(small, 4096, ps);
        assertArrayEquals(small, OktFile.decode(okt2));
        // one-byte chunks: many flags from few bytes
        byte[] tiny = new byte[50_000];
        byte[] okt3 = OktFile.encode(tiny, 1, java.util.Collections.nCopies(tiny.length, null));
        assertArrayEquals(tiny, OktFile.decode(okt3));
    }

    /** The n bytes of the program section of a file written by encode. */
    static byte[] programSection(byte[] okt) {
        int[] pos = {4};
        readVarint(okt, pos);
        readVarint(okt, pos);
        pos[0] += 4;
        int n = (int) readVarint(okt, pos);
        return Arrays.copyOfRange(okt, pos[0], pos[0] + n);
    }

    static byte[] fallbackSection(byte[] okt) {
        int[] pos = {4};
        readVarint(okt, pos);
        readVarint(okt, pos);
        pos[0] += 4;
        int n = (int) readVarint(okt, pos);
        pos[0] += n;
        int m = (int) readVarint(okt, pos);
        return Arrays.copyOfRange(okt, pos[0], pos[0] + m);
    }

    static long readVarint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[pos[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) return v;
        }
    }

    /** Bytes allocated by this thread so far (HotSpot), or -1 when the JVM cannot tell. */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }
}
