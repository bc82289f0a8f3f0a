/**
 * Entropy coders, separate from models: they take the model per call and hold no model state.
 *
 * <ul>
 *   <li>{@link dev.occam.core.coding.RangeEncoder} / {@link dev.occam.core.coding.RangeDecoder}:
 *       range coder (FIFO) for adaptive and autoregressive models, precision up to 24 bits,
 *       56-bit range with carry propagation; loss &lt; 1e-7 bits per symbol plus at most 8 bytes.</li>
 *   <li>{@link dev.occam.core.coding.RansEncoder} / {@link dev.occam.core.coding.RansDecoder}:
 *       streaming 4-way interleaved rANS (LIFO within chunks of up to 2^18 symbols) for static
 *       models, precision up to 24 bits.</li>
 *   <li>{@link dev.occam.core.coding.Rans}: the byte-array fast path (static model of at most 256
 *       symbols, precision up to 16 bits, division-free encode, table-driven decode).</li>
 *   <li>{@link dev.occam.core.coding.BinaryEncoder} / {@link dev.occam.core.coding.BinaryDecoder}:
 *       binary arithmetic coder with 16-bit probabilities for bitwise context mixing (same core as
 *       the range coder; {@code RangeEncoder.encodeBit} mixes both in one stream).</li>
 * </ul>
 * Bad compressed input always surfaces as {@link dev.occam.core.CorruptInputException}.
 */
package dev.occam.core.coding;
