package dev.occam.core.model;

/**
 * A discrete distribution over symbols {@code 0..size()-1} as an integer CDF at a fixed
 * precision: symbol {@code s} owns the slots {@code [cumFreq(s), cumFreq(s) + freq(s))} of
 * {@code [0, 2^precisionBits())}. Every symbol that can occur has {@code freq >= 1} and the
 * frequencies sum to exactly {@code 2^precisionBits()}.
 *
 * <p>This is what the coders consume ({@code encode(symbol, model)}); models hold no coder state
 * and coders hold no model state.
 */
public interface CdfModel {
    /** Largest supported precision (bits) and alphabet size. */
    int MAX_PRECISION = 24;
    int MAX_SYMBOLS = 1 << 20;

    /** Number of symbols in the alphabet. */
    int size();

    /** log2 of the total frequency; 1..24. */
    int precisionBits();

    /** Start of the symbol's slot range: sum of freq over symbols below it. */
    int cumFreq(int symbol);

    /** Frequency of the symbol (0 only for symbols the model says never occur). */
    int freq(int symbol);

    /** The symbol s with cumFreq(s) <= slot < cumFreq(s) + freq(s); slot in [0, 2^precision). */
    int symbolForSlot(int slot);
}
