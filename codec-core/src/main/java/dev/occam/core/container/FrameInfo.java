package dev.occam.core.container;

/**
 * What {@code occam list} shows about a {@code .occ} frame, found by walking the block lengths
 * without decoding.
 *
 * @param header           the frame header
 * @param blocks           number of blocks
 * @param rawLength        total decoded length (from the end marker)
 * @param compressedLength total frame length in bytes, header and end marker included
 */
public record FrameInfo(FrameHeader header, long blocks, long rawLength, long compressedLength) {
}
