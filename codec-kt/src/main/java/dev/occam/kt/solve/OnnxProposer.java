package dev.occam.kt.solve;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.occam.core.model.CdfModel;
import dev.occam.lm.onnx.OnnxPredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A causal language model in ONNX (through codec-lm's {@link OnnxPredictor}) as proposer: it is
 * prompted with {@link Proposer#prompt(byte[])} and continues it token by token, the first
 * candidate greedily, the others by sampling (seeded, so runs are reproducible), up to
 * {@code maxTokens} tokens, a blank line after an output line, or the deadline. The model
 * directory must hold {@code model.onnx} and {@code tokenizer.json}. Not thread-safe.
 */
public final class OnnxProposer implements Proposer {
    static {
        if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) System.setProperty("RUST_FLAVOR", "cpu");
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    }

    private final OnnxPredictor predictor;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final SplittableRandom random = new SplittableRandom(1);

    private OnnxProposer(OnnxPredictor predictor, HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.predictor = predictor;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /**
     * Opens the model in {@code dir} (model.onnx, tokenizer.json).
     *
     * @throws IOException naming the missing file or the model that cannot be run
     */
    public static OnnxProposer open(Path dir, int maxTokens) throws IOException {
        Path model = Files.isDirectory(dir) ? dir.resolve("model.onnx") : dir;
        Path tok = (Files.isDirectory(dir) ? dir : dir.toAbsolutePath().getParent()).resolve("tokenizer.json");
        if (!Files.isRegularFile(model)) throw new IOException(model + ": no such model file");
        if (!Files.isRegularFile(tok)) throw new IOException(tok + ": no such tokenizer file");
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(tok, Map.of("truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IOException(tok + ": cannot load tokenizer: " + e.getMessage(), e);
        }
        try {
            long[] ids = t.encode("a", true, false).getIds();
            int bos = ids.length > 1 ? (int) ids[0] : 1;
            OnnxPredictor p = OnnxPredictor.open(model, new int[] {bos}, 512, 16, 1);
            return new OnnxProposer(p, t, maxTokens);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e instanceof IOException io ? io : new IOException(model + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public List<String> propose(byte[] target, int count, long deadlineNanos) throws IOException {
        long[] prompt = tokenizer.encode(Proposer.prompt(target), false, false).getIds();
        List<String> out = new ArrayList<>();
        int budget = 512 - 2;
        int keep = Math.max(0, Math.min(prompt.length, budget - maxTokens));
        for (int c = 0; c < count && System.nanoTime() < deadlineNanos; c++) {
            predictor.reset();
            for (int i = prompt.length - keep; i < prompt.length; i++) {
                predictor.predict();
                predictor.accept((int) prompt[i]);
            }
            List<Long> gen = new ArrayList<>();
            for (int k = 0; k < maxTokens && System.nanoTime() < deadlineNanos; k++) {
                CdfModel m = predictor.predict();
                int tok = c == 0 ? argmax(m) : sample(m);
                if (tok >= predictor.modelVocabulary()) break;
                predictor.accept(tok);
                gen.add((long) tok);
                if (k % 8 == 7 && decode(gen).contains("output") && decode(gen).endsWith("\n")) break;
            }
            out.add(Proposer.programPart(decode(gen)));
        }
        return out;
    }

    private String decode(List<Long> ids) {
        long[] a = new long[ids.size()];
        for (int i = 0; i < a.length; i++) a[i] = ids.get(i);
        return tokenizer.decode(a, true);
    }

    private int argmax(CdfModel m) {
        int best = 0;
        for (int s = 1; s < predictor.modelVocabulary(); s++) if (m.freq(s) > m.freq(best)) best = s;
        return best;
    }

    private int sample(CdfModel m) {
        int slot = random.nextInt(1 << m.precisionBits());
        return m.symbolForSlot(slot);
    }

    @Override
    public void close() throws IOException {
        try {
            predictor.close();
        } finally {
            tokenizer.close();
        }
    }
}
