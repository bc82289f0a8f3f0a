package dev.occam.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared test assets ({@code ../shared/assets} beside the project root). Tests that need them
 * call {@link #require(String)}, which skips the test with a message when they are absent.
 */
public final class Assets {
    private Assets() {
    }

    /** The assets folder: system property {@code occam.shared.assets}, else ../shared/assets from the working dir. */
    public static Path root() {
        String prop = System.getProperty("occam.shared.assets");
        if (prop != null) return Path.of(prop).toAbsolutePath().normalize();
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/assets").normalize();
            if (Files.isDirectory(candidate)) return candidate;
        }
        return dir.resolve("../shared/assets").normalize();
    }

    /** The asset at {@code relative}; skips the calling test (with the reason) when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), () -> "skipped: shared asset " + p + " is absent (../shared/assets not beside the project)");
        return p;
    }
}
