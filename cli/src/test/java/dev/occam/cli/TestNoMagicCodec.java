package dev.occam.cli;

/** Test-only "testnomagic": the testxor format without magic detection (like brotli): needs --format. */
public final class TestNoMagicCodec extends TestXorCodec {
    static final byte[] NM_MAGIC = {'N', 'M', 'G', '1'};

    @Override
    public String name() {
        return "testnomagic";
    }

    @Override
    public java.util.List<String> aliases() {
        return java.util.List.of();
    }

    @Override
    public String extension() {
        return ".nmg";
    }

    @Override
    public String description() {
        return "test-only codec that is not detected by magic";
    }

    @Override
    public int minLevel() {
        return 0;
    }

    @Override
    public int maxLevel() {
        return 0;
    }

    @Override
    public int defaultLevel() {
        return 0;
    }

    @Override
    byte[] magic() {
        return NM_MAGIC;
    }

    @Override
    public boolean matches(byte[] head, int len) {
        return false;
    }
}
