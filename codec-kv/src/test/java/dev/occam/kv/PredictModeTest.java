package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Predict mode: every component within the bound, lossless at bound 0, decodable without a model; damaged files refused. */
class PredictModeTest {
    static KvCache cache(Safetensors.DType dt) throws IOException {
        return KvCapture.capture(Stories.model(), Stories.texts().subList(1, 2), dt, 0, false);
    }

    @Test
    void everyComponentIsWithinTheBound() throws Exception {
        for (Safetensors.DType dt : new Safetensors.DType[] {Safetensors.DType.F32, Safetensors.DType.F16, Safetensors.DType.BF16}) {
            KvCache c = cache(dt);
            byte[] st = c.toSafetensors().toBytes();
            for (double bound : new double[] {0.002, 0.3}) {
                KvCodec.Result r = KvCodec.compress(st, "t", KvCodec.Settings.predict(bound), null);
                byte[] back = KvCodec.decompress(r.file(), "t", null);
                KvCache d = KvCache.fromSafetensors(Safetensors.parse(back, "back"), "back");
                double[] e = KvBench.error(c, d);
                assertTrue(e[0] <= bound, dt + " bound " + bound + ": max error " + e[0]);
                double[] e2 = KvBench.error(c, r.decoded());
                assertTrue(e2[0] == e[0], "the encoder's reconstruction is the decoder's");
                assertTrue(e[0] > 0 || bound < 0.01);
            }
        }
    }

    @Test
    void boundZeroIsLosslessWithAndWithoutTheModelPrior() throws Exception {
        KvCache c = cache(Safetensors.DType.F16);
        byte[] st = c.toSafetensors().toBytes();
        byte[] a = KvCodec.compress(st, "t", KvCodec.Settings.predict(0), null).file();
        assertArrayEquals(st, KvCodec.decompress(a, "t", null));
        byte[] b = KvCodec.compress(st, "t", KvCodec.Settings.predict(0), Stories.model()).file();
        assertArrayEquals(st, KvCodec.decompress(b, "t", Stories.model()));
        assertTrue(b.length < 0.9 * st.length, "fp16 K/V losslessly: " + b.length + " of " + st.length);
        IOException e = assertThrows(IOException.class, () -> KvCodec.decompress(b, "t.okv", null));
        assertTrue(e.getMessage().contains("--model"), e.getMessage());
    }

    @Test
    void keysAndValuesOfASharedPrefixAreStoredOnce() throws Exception {
        String prefix = Stories.texts().get(2);
        KvCache one = KvCapture.capture(Stories.model(), List.of(prefix + " The end."), Safetensors.DType.F16, 0, false);
        KvCache three = KvCapture.capture(Stories.model(), List.of(prefix + " The end.", prefix + " The cat slept.", prefix + " Then the bird sang."),
                Safetensors.DType.F16, 0, false);
        for (double bound : new double[] {0, 0.1}) {
            int a = KvCodec.compress(one.toSafetensors().toBytes(), "one", KvCodec.Settings.predict(bound), null).file().length;
            byte[] st3 = three.toSafetensors().toBytes();
            byte[] f3 = KvCodec.compress(st3, "three", KvCodec.Settings.predict(bound), null).file();
            int b = f3.length;
            assertTrue(b < 1.35 * a, "bound " + bound + ": three sessions sharing a prefix " + b + " bytes, one alone " + a);
            if (bound == 0) assertArrayEquals(st3, KvCodec.decompress(f3, "three", null));
        }
    }

    @Test
    void damagedFilesAreRefused() throws Exception {
        KvCache c = cache(Safetensors.DType.F32);
        byte[] st = c.toSafetensors().toBytes();
        List<byte[]> files = List.of(KvCodec.compress(st, "t", KvCodec.Settings.predict(0.1), null).file(),
                KvCodec.compress(st, "t", KvCodec.Settings.exact(), Stories.model()).file());
        Random r = new Random(9);
        for (byte[] f : files) {
            for (int cut : new int[] {0, 3, 10, f.length / 2, f.length - 1}) {
                byte[] t = Arrays.copyOf(f, cut);
                assertThrows(CorruptInputException.class, () -> KvCodec.decompress(t, "t", Stories.model()));
            }
            for (int i = 0; i < 40; i++) {
                byte[] g = f.clone();
                int at = r.nextInt(g.length);
                g[at] ^= (byte) (1 + r.nextInt(255));
                assertThrows(IOException.class, () -> KvCodec.decompress(g, "t", Stories.model()), "flip at " + at);
            }
        }
    }
}
