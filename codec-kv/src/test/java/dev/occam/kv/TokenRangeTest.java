package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.CorruptInputException;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Predict mode without a model: token ids up to 2^20 - 2 round-trip (the adaptive coder's alphabet is
 * the ids plus an end symbol, at most 2^20 symbols), larger ones are a clear error, never an internal one.
 */
class TokenRangeTest {
    /** One layer, one head, head_dim 2, F32 keys/values; the tokens include {@code big} twice. */
    static byte[] cache(int big) throws IOException {
        return cache(big, 1, 1, 2);
    }

    /** F32 keys/values of the given geometry; the tokens include {@code big} twice. */
    static byte[] cache(int big, int layers, int heads, int dim) throws IOException {
        int[] tokens = {1, big, 7, big, 0};
        Random r = new Random(big);
        int[][] k = new int[layers][heads * tokens.length * dim];
        int[][] v = new int[layers][heads * tokens.length * dim];
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < k[l].length; i++) {
                k[l][i] = Float.floatToIntBits((float) r.nextGaussian());
                v[l][i] = Float.floatToIntBits((float) r.nextGaussian());
            }
        }
        KvSession s = new KvSession(tokens, k, v);
        KvCache c = new KvCache(layers, heads, dim, Safetensors.DType.F32, Safetensors.DType.I32, List.of(s), null);
        return c.toSafetensors().toBytes();
    }

    @Test
    void idsUpTo2Pow20Minus2RoundTripWithoutAModel() throws IOException {
        for (int big : new int[] {(1 << 19) - 1, 1 << 19, (1 << 20) - 2}) {
            byte[] st = cache(big);
            byte[] f = KvCodec.compress(st, "t", KvCodec.Settings.predict(0), null).file();
            assertArrayEquals(st, KvCodec.decompress(f, "t", null), "largest id " + big);
        }
        // a wider geometry: the per-head predictor tables grow with the tokens seen, not with the largest id
        // (2 layers x 2 kinds x 4 heads of 2^20 x 64 doubles would be 8 GiB)
        byte[] st = cache((1 << 20) - 2, 2, 4, 64);
        for (double bound : new double[] {0, 0.01}) {
            KvCodec.Result r = KvCodec.compress(st, "t", KvCodec.Settings.predict(bound), null);
            byte[] back = KvCodec.decompress(r.file(), "t", null);
            if (bound == 0) assertArrayEquals(st, back);
            else assertTrue(KvBench.error(KvCache.fromSafetensors(Safetensors.parse(st, "t"), "t"),
                    KvCache.fromSafetensors(Safetensors.parse(back, "b"), "b"))[0] <= bound);
        }
    }

    @Test
    void idsFrom2Pow20Minus1AreAClearError() throws IOException {
        for (int big : new int[] {(1 << 20) - 1, 1 << 20}) {
            byte[] st = cache(big);
            IOException e = assertThrows(IOException.class, () -> KvCodec.compress(st, "t.safetensors", KvCodec.Settings.predict(0), null));
            assertTrue(e.getMessage().startsWith("t.safetensors: token ids up to " + big + ": without a model the token coder handles ids up to 1048574"),
                    e.getMessage());
        }
    }

    @Test
    void aHeaderWithATooLargeVocabularyIsCorruptInput() throws IOException {
        byte[] f = KvCodec.compress(cache(1000), "t", KvCodec.Settings.predict(0), null).file();
        // magic (4), version, mode 1, flags 2 (lossless, no fingerprint), varints layers 1, heads 1, head_dim 2, then vocab 1001 (2 bytes)
        assertTrue(f[5] == 1 && f[6] == 2 && f[7] == 1 && f[8] == 1 && f[9] == 2 && (f[10] & 0xff) == (0x80 | (1001 & 0x7f)) && f[11] == 1001 >> 7);
        byte[] g = new byte[f.length + 1];
        System.arraycopy(f, 0, g, 0, 10);
        g[10] = (byte) 0x80; // 2^20 as a varint
        g[11] = (byte) 0x80;
        g[12] = 0x40;
        System.arraycopy(f, 12, g, 13, f.length - 12);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> KvCodec.decompress(g, "t", null));
        assertTrue(e.getMessage().contains("vocabulary 1048576 too large without a model"), e.getMessage());
    }

    @Test
    void theCountCeilingKeepsOldVocabulariesAndFitsLargeOnes() {
        // below 2^19 symbols the ceiling is the old 2^20 (the format of existing files is unchanged)
        assertTrue(Walker.Adaptive.maxTotal(1 << 19) == 1 << 20);
        for (int n : new int[] {(1 << 19) + 1, (1 << 20) + 1}) assertTrue(Walker.Adaptive.maxTotal(n) >= 2 * n, "n=" + n);
    }
}
