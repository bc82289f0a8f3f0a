package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exact mode on real stories260k caches: bit-exact, about the size of the tokens alone. */
class ExactModeTest {
    @Test
    void exactRoundTripIsBitExactAndCostsAboutTheTokens() throws Exception {
        KvModel m = Stories.model();
        List<String> texts = Stories.texts();
        KvCache f32 = KvCapture.capture(m, texts, Safetensors.DType.F32, 0, false);
        for (Safetensors.DType dt : new Safetensors.DType[] {Safetensors.DType.F32, Safetensors.DType.F16, Safetensors.DType.BF16}) {
            KvCache cache = f32.withDtype(dt); // what capture --dtype stores: the floats rounded to nearest even
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

    @Test
    void floatsTheModelDoesNotRecomputeGoThroughTheResidual() throws Exception {
        KvModel m = Stories.model();
        KvCache cache = KvCapture.capture(m, Stories.texts().subList(0, 2), Safetensors.DType.F32, 0, false);
        // as if another ONNX Runtime build had rounded a few values differently: low mantissa bits flipped
        Random r = new Random(21);
        List<KvSession> changed = new ArrayList<>();
        for (KvSession s : cache.sessions()) {
            int[][] v = s.values().clone();
            for (int k = 0; k < 5; k++) {
                int l = r.nextInt(v.length);
                v[l] = v[l].clone();
                v[l][r.nextInt(v[l].length)] ^= 1 << r.nextInt(3);
            }
            changed.add(new KvSession(s.tokens(), s.keys(), v));
        }
        KvCache c2 = new KvCache(cache.layers(), cache.heads(), cache.headDim(), cache.dtype(), cache.tokenType(), changed, cache.metadata());
        byte[] st = c2.toSafetensors().toBytes();
        KvCodec.Result res = KvCodec.compress(st, "t", KvCodec.Settings.exact(), m);
        assertArrayEquals(st, KvCodec.decompress(res.file(), "t", m));
        assertTrue(res.kvBits() > 10 * 8, "the residual carries the differences: " + res.kvBits() + " bits");
    }
}
