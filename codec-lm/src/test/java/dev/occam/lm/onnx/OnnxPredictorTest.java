package dev.occam.lm.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.model.CdfModel;
import dev.occam.core.testing.Assets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxPredictorTest {
    private static final float LOGIT_TOLERANCE = 2e-3f;

    @Test
    void incrementalLogitsMatchTheReferenceImplementation() throws IOException {
        Golden g = Golden.load();
        try (OnnxPredictor p = OnnxPredictor.open(Golden.modelDir().resolve("model.onnx"), new int[] {1}, 512, 24, 1)) {
            assertEquals(512, p.modelVocabulary());
            assertEquals(513, p.vocabularySize());
            for (Golden.Generation gen : g.gen) {
                p.reset();
                assertEquals(1, gen.greedyIds()[0], "golden sequences start with BOS");
                for (int i = 0; i < gen.logits().length; i++) {
                    CdfModel cdf = p.predict();
                    float[] got = p.lastLogits();
                    float[] want = gen.logits()[i];
                    for (int v = 0; v < want.length; v++) {
                        assertEquals(want[v], got[v], LOGIT_TOLERANCE, gen.prompt() + ": position " + i + ", token " + v);
                    }
                    // after the prompt, the greedy continuation is the most probable token under the quantised CDF too
                    int next = gen.greedyIds()[i + 1];
                    if (i + 1 >= gen.promptIds().length) {
                        assertEquals(next, argmaxFreq(cdf, p.modelVocabulary()), gen.prompt() + ": position " + i);
                    }
                    p.accept(next);
                }
            }
        }
    }

    private static int argmaxFreq(CdfModel m, int n) {
        int best = 0;
        for (int s = 1; s < n; s++) if (m.freq(s) > m.freq(best)) best = s;
        return best;
    }

    @Test
    void everyTokenAndTheEscapeAreCodable() throws IOException {
        try (OnnxPredictor p = OnnxPredictor.open(Golden.modelDir().resolve("model.onnx"), new int[] {1}, 512, 20, 1)) {
            CdfModel m = p.predict();
            assertEquals(513, m.size());
            assertEquals(20, m.precisionBits());
            long sum = 0;
            for (int s = 0; s < m.size(); s++) {
                assertTrue(m.freq(s) >= 1, "token " + s);
                sum += m.freq(s);
            }
            assertEquals(1L << 20, sum);
            // the escape gets 2^-12 of the mass, within quantisation error
            assertEquals(1.0 / 4096, m.freq(p.escapeToken()) / (double) (1 << 20), 1e-5);
            // accepting the escape leaves the prediction unchanged
            p.accept(p.escapeToken());
            assertEquals(m, p.predict());
        }
    }

    /**
     * With a small window the predictor slides: after it, the prediction must be that of a fresh
     * sequence made of the start token and the last contextLength/2 - 1 tokens (computed here
     * independently with one prefill call), and decoding continues from it.
     */
    @Test
    void slidingWindowRePrefillsTheKeptTokens() throws IOException {
        Path model = Golden.modelDir().resolve("model.onnx");
        int ctx = 16;
        int[] text = Golden.load().gen.get(0).greedyIds(); // 41 tokens, BOS first
        try (OnnxPredictor p = OnnxPredictor.open(model, new int[] {1}, ctx, 24, 1);
             LmSession ref = LmSession.open(model, 1)) {
            int[] window = new int[ctx];
            int len = 1;
            window[0] = 1;
            for (int i = 1; i < text.length; i++) {
                p.predict();
                p.accept(text[i]);
                if (len == ctx) { // what the predictor must do: keep BOS + the last ctx/2 - 1 tokens
                    int keep = ctx / 2 - 1;
                    System.arraycopy(window, len - keep, window, 1, keep);
                    len = 1 + keep;
                }
                window[len++] = text[i];
                p.predict();
                ref.reset();
                float[] want = ref.run(window, 0, len);
                assertArrayEquals(want, p.lastLogits(), 1e-4f, "after token " + i + " (window of " + len + ")");
            }
        }
    }

    /** The path for models exported without a KV cache: the whole sequence every step. */
    @Test
    void withoutTheCacheEveryStepRecomputesTheSequenceAndStillMatchesTheReference() throws IOException {
        Golden.Generation gen = Golden.load().gen.get(1);
        try (LmSession s = LmSession.open(Golden.modelDir().resolve("model.onnx"), 1)) {
            s.forceRecompute();
            assertTrue(s.recomputes());
            int[] ids = gen.greedyIds();
            for (int i = 0; i < gen.logits().length; i++) {
                float[] got = s.run(ids, i, 1);
                assertEquals(i + 1, s.cachedLength());
                assertArrayEquals(gen.logits()[i], got, LOGIT_TOLERANCE, "position " + i);
            }
        }
    }

    @Test
    void stackedPastLayoutRunsIncrementallyLikeAFullPrefill() throws IOException {
        Path model = Assets.require("lm/tiny-random-gpt2/past.onnx");
        int[] tokens = {98, 5, 17, 300, 42, 999, 7, 0, 64};
        try (LmSession inc = LmSession.open(model, 1); LmSession full = LmSession.open(model, 1)) {
            assertEquals(1000, inc.vocabulary());
            float[] last = null;
            for (int i = 0; i < tokens.length; i++) last = inc.run(tokens, i, 1);
            assertEquals(tokens.length, inc.cachedLength());
            float[] want = full.run(tokens, 0, tokens.length);
            assertArrayEquals(want, last, 1e-3f);
        }
    }

    @Test
    void softmaxIsReproducibleAndRejectsNonFiniteLogits() throws IOException {
        float[] l = {1.5f, -3f, 0f, 7.25f};
        double[] a = OnnxPredictor.softmaxWithEscape(l);
        double[] b = OnnxPredictor.softmaxWithEscape(l.clone());
        assertArrayEquals(a, b);
        assertEquals(1.0, a[3]); // exp(max - max)
        assertEquals(StrictMath.exp(1.5 - 7.25), a[0]);
        double sum = a[0] + a[1] + a[2] + a[3];
        assertEquals(sum / 4096, a[4]);
        IOException e = assertThrows(IOException.class, () -> OnnxPredictor.softmaxWithEscape(new float[] {0f, Float.NaN}));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }

    @Test
    void missingAndCorruptModelsGiveAnIoExceptionNamingTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.onnx");
        IOException e1 = assertThrows(IOException.class, () -> OnnxPredictor.open(missing, new int[] {1}, 64, 24, 1));
        assertTrue(e1.getMessage().contains(missing.toString()), e1.getMessage());
        Path corrupt = dir.resolve("corrupt.onnx");
        byte[] real = Files.readAllBytes(Golden.modelDir().resolve("model.onnx"));
        Files.write(corrupt, Arrays.copyOf(real, real.length / 3)); // truncated protobuf
        IOException e2 = assertThrows(IOException.class, () -> OnnxPredictor.open(corrupt, new int[] {1}, 64, 24, 1));
        assertTrue(e2.getMessage().contains(corrupt.toString()), e2.getMessage());
    }
}
