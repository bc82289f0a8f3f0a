package dev.occam.cli;

import dev.occam.core.codec.CodecOptions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Test-only "testbroken": decodes one byte wrong (the byte at offset 10), so bench must report a failed round trip. */
public final class TestBrokenCodec extends TestXorCodec {
    @Override
    public String name() {
        return "testbroken";
    }

    @Override
    public java.util.List<String> aliases() {
        return java.util.List.of();
    }

    @Override
    public String extension() {
        return ".tbr";
    }

    @Override
    public String description() {
        return "test-only codec with a wrong decoder";
    }

    @Override
    public boolean matches(byte[] head, int len) {
        return false;
    }

    @Override
    public InputStream decompress(InputStream in, CodecOptions options) throws IOException {
        return new FilterInputStream(super.decompress(in, options)) {
            long pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && pos <= 10 && pos + n > 10) b[off + (int) (10 - pos)] ^= 1;
                if (n > 0) pos += n;
                return n;
            }
        };
    }
}
