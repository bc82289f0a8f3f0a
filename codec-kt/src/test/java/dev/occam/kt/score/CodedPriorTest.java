package dev.occam.kt.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.kt.dsl.Fn;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.dsl.Stmt;
import dev.occam.kt.gen.Generator;
import dev.occam.kt.gen.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodedPriorTest {
    static byte[] encodeAll(List<Program> ps) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(bos);
        CodedPrior prior = new CodedPrior();
        for (Program p : ps) prior.encode(p, enc);
        enc.finish();
        return bos.toByteArray();
    }

    static List<Program> decodeAll(byte[] b, int n) throws IOException {
        RangeDecoder dec = new RangeDecoder(b, 0, b.length);
        CodedPrior prior = new CodedPrior();
        List<Program> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(prior.decode(dec));
        return out;
    }

    /** Random valid programs over every function, including edge values (0, 255, empty lists, max counts). */
    static Program random(SplittableRandom r) {
        int n = 1 + r.nextInt(8);
        List<Stmt> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Fn fn;
            do {
                fn = Fn.of(r.nextInt(Fn.count()));
            } while ((i == 0 && fn.args().contains(Fn.Arg.REF)) || (fn == Fn.IDENTITY && i != n - 1));
            if (fn == Fn.SET_LIST) {
                int[] v = new int[r.nextInt(4) == 0 ? 0 : r.nextInt(40)];
                for (int k = 0; k < v.length; k++) v[k] = r.nextInt(4) == 0 ? 255 : r.nextInt(256);
                lines.add(Stmt.setList(v));
                continue;
            }
            int[] a = new int[fn.arity()];
            for (int k = 0; k < a.length; k++) {
                a[k] = switch (fn.arg(k)) {
                    case VALUE -> r.nextInt(256);
                    case STEP -> 1 + r.nextInt(8);
                    case COUNT -> 1 + r.nextInt(20);
                    case REF -> r.nextInt(i);
                    case PRED -> r.nextInt(3);
                    default -> 0;
                };
            }
            lines.add(Stmt.of(fn, a));
        }
        return Program.ofTrusted(lines);
    }

    @Test
    void roundTripOfRandomAndGeneratedPrograms() throws IOException {
        SplittableRandom r = new SplittableRandom(42);
        List<Program> ps = new ArrayList<>();
        for (int i = 0; i < 1500; i++) ps.add(random(r));
        for (Task t : new Generator(5).tasks(500)) ps.add(t.program());
        byte[] b = encodeAll(ps);
        assertEquals(ps, decodeAll(b, ps.size()));
    }

    @Test
    void costMatchesTheRealCodeLength() throws IOException {
        List<Program> ps = new ArrayList<>();
        for (Task t : new Generator(9).tasks(300)) ps.add(t.program());
        CodedPrior meter = new CodedPrior();
        double ideal = 0;
        for (Program p : ps) ideal += meter.cost(p);
        int real = encodeAll(ps).length;
        // the range coder is within a few bytes of the ideal code length
        assertTrue(Math.abs(8.0 * real - ideal) < 64, real * 8 + " vs " + ideal);
    }

    @Test
    void smallerThanTheUniformPriorOnGeneratedTasks() throws IOException {
        List<Program> ps = new ArrayList<>();
        double uniform = 0;
        for (Task t : new Generator(3).tasks(1000)) {
            ps.add(t.program());
            uniform += UniformPrior.bits(t.program());
        }
        double coded = 8.0 * encodeAll(ps).length;
        assertTrue(coded < uniform, "coded " + coded / ps.size() + " vs uniform " + uniform / ps.size() + " bits per program");
    }

    @Test
    void garbageIsRejectedCleanly() {
        SplittableRandom r = new SplittableRandom(7);
        int rejected = 0;
        for (int i = 0; i < 300; i++) {
            byte[] g = new byte[1 + r.nextInt(64)];
            for (int k = 0; k < g.length; k++) g[k] = (byte) r.nextInt(256);
            try {
                decodeAll(g, 3);
            } catch (CorruptInputException e) {
                rejected++;
            } catch (IOException e) {
                throw new AssertionError("not a CorruptInputException: " + e, e);
            }
        }
        assertTrue(rejected > 0);
        assertThrows(CorruptInputException.class, () -> decodeAll(new byte[0], 50));
    }
}
