package dev.occam.cli;

import java.io.IOException;

/** Test-only "testslow": the testxor format with its own magic, sleeping 20 ms after every 4 KiB chunk. */
public final class TestSlowCodec extends TestXorCodec {
    static final byte[] SLOW_MAGIC = {'T', 'S', 'L', '1'};

    @Override
    public String name() {
        return "testslow";
    }

    @Override
    public java.util.List<String> aliases() {
        return java.util.List.of();
    }

    @Override
    public String extension() {
        return ".slow";
    }

    @Override
    public String description() {
        return "test-only slow codec (for kill tests)";
    }

    @Override
    byte[] magic() {
        return SLOW_MAGIC;
    }

    @Override
    public boolean matches(byte[] head, int len) {
        if (len < 4) return false;
        for (int i = 0; i < 4; i++) if (head[i] != SLOW_MAGIC[i]) return false;
        return true;
    }

    @Override
    void afterChunk() throws IOException {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }
}
