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
        return Evaluation.real("test", data, 128, new SearchSolver(2), 2, 200_000_000L, null);
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
}
