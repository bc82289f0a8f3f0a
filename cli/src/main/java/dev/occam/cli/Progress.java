package dev.occam.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on stderr: bytes in, bytes out, ratio, MB/s (10^6 bytes). Shown
 * only when enabled (stderr is a terminal and not -q), only after half a second, and refreshed
 * at most five times a second.
 */
final class Progress {
    private static final long FIRST_NANOS = 500_000_000L;
    private static final long PERIOD_NANOS = 200_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final String name;
    private final long total;
    private final boolean compressing;
    private final long start = System.nanoTime();
    private long next = start + FIRST_NANOS;
    private int shownWidth;

    /** {@code total} is the input size (-1 if unknown); the ratio shown is always compressed/raw. */
    Progress(PrintStream err, boolean enabled, String name, long total, boolean compressing) {
        this.err = err;
        this.compressing = compressing;
        this.enabled = enabled;
        this.name = name;
        this.total = total;
    }

    /** Called often; prints only when due. {@code in}/{@code out} are the byte counts so far. */
    void update(long in, long out) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now < next) return;
        next = now + PERIOD_NANOS;
        double secs = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" : ");
        if (total > 0) sb.append(String.format(Locale.ROOT, "%3d%% ", Math.min(100, in * 100 / total)));
        sb.append(Table.human(in)).append(" => ").append(Table.human(out));
        long raw = compressing ? in : out;
        long packed = compressing ? out : in;
        if (raw > 0) sb.append(String.format(Locale.ROOT, " (%.2f%%)", 100.0 * packed / raw));
        sb.append(String.format(Locale.ROOT, " %.1f MB/s", in / 1e6 / secs));
        String line = sb.toString();
        int pad = Math.max(0, shownWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        shownWidth = line.length();
    }

    /** Clears the line if anything was shown. */
    void finish() {
        if (shownWidth > 0) {
            err.print("\r" + " ".repeat(shownWidth) + "\r");
            err.flush();
            shownWidth = 0;
        }
    }
}
