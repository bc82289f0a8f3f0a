package dev.occam.core.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 model fingerprints. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** SHA-256 of the bytes. */
    public static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    /** SHA-256 of a file's bytes, streamed. */
    public static byte[] sha256(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return md.digest();
    }

    /** Lower-case hex. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The first 12 hex digits: how fingerprints are shown to users. */
    public static String shortHex(byte[] bytes) {
        return hex(bytes).substring(0, 12);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required by every JRE", e);
        }
    }
}
