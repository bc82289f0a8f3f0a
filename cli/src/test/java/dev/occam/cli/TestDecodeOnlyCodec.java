package dev.occam.cli;

/** Test-only "testdeconly": decode-only (like brotli) with its own magic. */
public final class TestDecodeOnlyCodec extends TestXorCodec {
    @Override
    public String name() {
        return "testdeconly";
    }

    @Override
    public java.util.List<String> aliases() {
        return java.util.List.of();
    }

    @Override
    public String extension() {
        return ".tdo";
    }

    @Override
    public String description() {
        return "test-only decode-only codec";
    }

    @Override
    public boolean canCompress() {
        return false;
    }

    @Override
    public boolean matches(byte[] head, int len) {
        return false;
    }
}
