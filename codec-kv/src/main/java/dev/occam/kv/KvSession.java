package dev.occam.kv;

/**
 * One session of a KV cache: the token ids the model saw (BOS included) and, per layer, the keys
 * and values of every position as raw stored bits (float bits for F32, the 16-bit pattern for
 * F16/BF16), laid out {@code [head][position][dim]}: element {@code (h, p, d)} is at
 * {@code (h * tokens.length + p) * headDim + d}. Arrays are not copied.
 *
 * @param tokens token ids, one per position
 * @param keys   keys[layer], heads * positions * headDim stored bit patterns
 * @param values values[layer], same layout
 */
public record KvSession(int[] tokens, int[][] keys, int[][] values) {
    /** Number of positions. */
    public int length() {
        return tokens.length;
    }
}
