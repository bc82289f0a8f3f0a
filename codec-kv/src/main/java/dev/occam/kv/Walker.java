package dev.occam.kv;

import dev.occam.core.model.AdaptiveFrequencyModel;
import dev.occam.core.model.CdfModel;
import dev.occam.core.model.Categorical;
import java.io.IOException;

/**
 * The token prior of the trie coder: a distribution over the vocabulary plus STOP (id = vocab)
 * at the current depth of a path, which can advance one token or go back to a shorter prefix.
 */
interface Walker {
    /** Distribution over vocab + 1 symbols (the last is STOP) for the next position. */
    CdfModel predict() throws IOException;

    /** Appends a token (after it was coded). */
    void push(int token) throws IOException;

    /** Called after every coded symbol (token or STOP), identically on both sides. */
    default void coded(int symbol) {
    }

    /** Goes back to the first {@code depth} tokens. */
    void truncate(int depth);

    /** Tokens on the path. */
    int depth();

    /** Vocabulary (without STOP). */
    int vocabulary();

    /** Longest path this prior can follow. */
    int maxDepth();

    /** log2 of the inverse STOP share: STOP gets 2^-12 of the mass. */
    int STOP_LOG2 = 12;
    /** CDF precision of the LM prior. */
    int PRECISION = 24;

    /** The LM as prior: softmax of the logits (StrictMath exp, double, index order) plus STOP; uniform at depth 0. */
    final class Lm implements Walker {
        final KvModel model;
        final KvModel.State state;
        private final float[][] logits;
        private final Categorical uniform;
        private int cachedDepth = -1;
        private Categorical cached;

        Lm(KvModel model, int capacity) {
            this.model = model;
            this.state = model.newState(capacity);
            this.logits = new float[capacity + 1][];
            this.uniform = Categorical.uniform(model.vocab + 1, PRECISION);
        }

        @Override
        public CdfModel predict() throws IOException {
            int d = state.length;
            if (d == 0) return uniform;
            if (cachedDepth != d) {
                cached = Categorical.fromProbabilities(weights(logits[d]), PRECISION);
                cachedDepth = d;
            }
            return cached;
        }

        /** w_i = exp(l_i - max l), w_STOP = 2^-12 sum w_i. */
        static double[] weights(float[] l) throws IOException {
            double max = Double.NEGATIVE_INFINITY;
            for (float x : l) {
                if (!Float.isFinite(x)) throw new IOException("the model produced a non-finite logit");
                max = Math.max(max, x);
            }
            double[] w = new double[l.length + 1];
            double sum = 0;
            for (int i = 0; i < l.length; i++) {
                w[i] = StrictMath.exp(l[i] - max);
                sum += w[i];
            }
            w[l.length] = sum / (1 << STOP_LOG2);
            return w;
        }

        @Override
        public void push(int token) throws IOException {
            int d = state.length;
            logits[d + 1] = model.step(state, token);
            if (cachedDepth == d + 1) cachedDepth = -1;
        }

        @Override
        public void truncate(int depth) {
            state.truncate(depth);
        }

        @Override
        public int depth() {
            return state.length;
        }

        @Override
        public int vocabulary() {
            return model.vocab;
        }

        @Override
        public int maxDepth() {
            return state.capacity;
        }
    }

    /** No model: one adaptive frequency model over vocab + STOP for every position. */
    final class Adaptive implements Walker {
        private final AdaptiveFrequencyModel m;
        private final int vocab;
        private final int maxDepth;
        private int depth;

        Adaptive(int vocab, int maxDepth) {
            this.vocab = vocab;
            this.maxDepth = maxDepth;
            this.m = new AdaptiveFrequencyModel(vocab + 1, PRECISION, 32, maxTotal(vocab + 1));
        }

        /**
         * The count ceiling for n symbols: 2^20 while that is at least 2n (every vocabulary up to
         * 2^19 - 1, as before), else 4n, so that the counts can still grow between halvings.
         */
        static int maxTotal(int n) {
            return 2L * n <= (1 << 20) ? 1 << 20 : 4 * n;
        }

        @Override
        public CdfModel predict() {
            return m;
        }

        @Override
        public void coded(int symbol) {
            m.update(symbol);
        }

        @Override
        public void push(int token) {
            depth++;
        }

        @Override
        public void truncate(int d) {
            depth = d;
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public int vocabulary() {
            return vocab;
        }

        @Override
        public int maxDepth() {
            return maxDepth;
        }
    }
}
