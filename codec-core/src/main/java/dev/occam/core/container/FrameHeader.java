package dev.occam.core.container;

import java.util.Arrays;
import java.util.Objects;

/**
 * The header of a {@code .occ} frame.
 *
 * @param version          format version (readers refuse newer versions)
 * @param codecId          the {@link dev.occam.core.codec.BlockCodec#id()} that coded the blocks
 * @param parameters       codec parameters, opaque to the frame (may be empty)
 * @param modelFingerprint SHA-256 of the model bytes (32 bytes), or null when the codec has no model
 * @param originalLength   total raw length when known at compression time, else -1
 * @param blockSize        raw bytes per block (the last block may be shorter)
 */
public record FrameHeader(int version, String codecId, byte[] parameters, byte[] modelFingerprint,
                          long originalLength, int blockSize) {
    public FrameHeader {
        Objects.requireNonNull(codecId);
        parameters = parameters == null ? new byte[0] : parameters.clone();
        modelFingerprint = modelFingerprint == null ? null : modelFingerprint.clone();
        if (modelFingerprint != null && modelFingerprint.length != 32) {
            throw new IllegalArgumentException("model fingerprint must be 32 bytes (SHA-256)");
        }
    }

    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    @Override
    public byte[] modelFingerprint() {
        return modelFingerprint == null ? null : modelFingerprint.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameHeader h && version == h.version && codecId.equals(h.codecId)
                && Arrays.equals(parameters, h.parameters) && Arrays.equals(modelFingerprint, h.modelFingerprint)
                && originalLength == h.originalLength && blockSize == h.blockSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, codecId, Arrays.hashCode(parameters), Arrays.hashCode(modelFingerprint),
                originalLength, blockSize);
    }

    @Override
    public String toString() {
        return "FrameHeader[v" + version + ", codec=" + codecId + ", params=" + parameters.length + " bytes, model="
                + (modelFingerprint == null ? "none" : Fingerprints.hex(modelFingerprint)) + ", length="
                + originalLength + ", blockSize=" + blockSize + "]";
    }
}
