package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact mode on real stories260k caches: bit-exact, about the size of the tokens alone. */
class ExactModeTest {
    @Test
    void exactRoundTripIsBitExactAndCostsAboutTheTokens() throws Exception {
        KvModel m = Stories.model();
        List<String> texts = Stories.texts();
        for (Safetensors.DType dt : new Safetensors.DType[] {Safetensors.DType.F32, Safetensors.DType.F16}) {
            KvCache cache = KvCapture.capture(m, texts, dt, 0, false);
            byte[] st = cache.toSafetensors().toBytes();
            KvCodec.Result r = KvCodec.compress(st, "t", KvCodec.Settings.exact(), m);
            byte[] back = KvCodec.decompress(r.file(), "t.okv", m);
            assertArrayEquals(st, back, "exact mode must give the input file back byte for byte");
            // the residuals are zero: K/V cost almost nothing beyond the tokens
            System.out.printf("exact %s: %d positions, file %d bytes, token bits %.1f, kv bits %.2f, raw %d bytes%n", dt, cache.positions(),
                    r.file().length, r.tokenBits(), r.kvBits(), st.length);
            int n = cache.sessions().size();
            double orderBits = 1 + n * Math.ceil(Math.log(n) / Math.log(2));
            assertTrue(r.kvBits() < 2 * n + orderBits, "zero residuals cost a flag bit per session, got " + r.kvBits());
            assertEquals(cache.sessions().size(), KvCodec.info(r.file()).sessions());
        }
    }
}
