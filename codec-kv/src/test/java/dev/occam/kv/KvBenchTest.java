package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench harness on real stories260k caches: every method's error properties. */
class KvBenchTest {
    @Test
    void methodsHaveTheirErrorProperties() throws Exception {
        KvModel m = Stories.model();
        KvCache cache = KvCapture.capture(m, Stories.texts().subList(0, 2), Safetensors.DType.F32, 72, true);
        byte[] st = cache.toSafetensors().toBytes();
        List<KvBench.Row> rows = KvBench.run(st, "t", m, 8);
        Map<String, KvBench.Row> by = new HashMap<>();
        for (KvBench.Row r : rows) {
            by.put(r.method(), r);
            System.out.printf("%-34s %9.1f B %8.2f b/pos %6.3f b/comp maxabs %.3g rms %.3g KL %.4g %s%n", r.method(), r.bytes(), r.bitsPerPosition(),
                    r.bitsPerComponent(), r.maxAbs(), r.rms(), r.klBits(), r.note());
        }
        assertEquals(0, by.get("occam-exact").maxAbs());
        assertTrue(by.get("occam-exact").note().contains("bit-exact"));
        assertEquals(0, by.get("occam-predict(b=0)").maxAbs());
        // fp16 error is at most half an fp16 ulp of the largest value: tiny but nonzero
        assertTrue(by.get("fp16").maxAbs() > 0 && by.get("fp16").maxAbs() < 0.01);
        assertEquals(16.0, by.get("fp16").bitsPerComponent(), 1e-9);
        // 2-bit quantisers are much coarser than fp16, 4-bit TurboQuant finer than 3-bit
        assertTrue(by.get("kivi-2").rms() > 10 * by.get("fp16").rms());
        assertTrue(by.get("turboquant-4").rms() < by.get("turboquant-3").rms());
        assertTrue(by.get("turboquant-3").bitsPerComponent() > 3 && by.get("turboquant-3").bitsPerComponent() < 4);
        assertTrue(by.get("kivi-2").klBits() > by.get("fp16").klBits());
        // the matched rows meet their targets
        assertTrue(by.get("occam-predict(kl=kivi-2)").klBits() <= by.get("kivi-2").klBits());
        assertTrue(Math.abs(by.get("occam-predict(rms=kivi-2)").rms() / by.get("kivi-2").rms() - 1) < 0.15);
        for (double b : KvBench.FIXED_BOUNDS) assertTrue(by.get("occam-predict(b=" + b + ")").maxAbs() <= b);
    }
}
