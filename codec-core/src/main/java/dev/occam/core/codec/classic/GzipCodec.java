package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * gzip (RFC 1952) through Commons Compress's {@link GzipCompressorOutputStream} and
 * {@link GzipCompressorInputStream} (java.util.zip's Deflater/Inflater underneath). Levels 1-9 (default 6) as in the gzip tool; the
 * header carries no name and modification time 0. Decoding reads concatenated members like
 * {@code gzip -d}, verifies each member's CRC32 and length, and (unlike gzip, which warns and
 * ignores them) rejects any trailing bytes after the last member, zeros included.
 */
public final class GzipCodec extends ClassicCodec {
    private static final int[] MAGIC = {0x1f, 0x8b};

    /** The codec as found by ServiceLoader. */
    public GzipCodec() {
        super("gzip", List.of("gz"), ".gz", "gzip (deflate + CRC32), levels 1-9; reads concatenated members", 1, 9, 6);
    }

    /** Magic 1f 8b. */
    @Override
    public boolean matches(byte[] head, int len) {
        return startsWith(head, len, MAGIC);
    }

    @Override
    OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException {
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(level);
        return new GzipCompressorOutputStream(out, p);
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        return new DecodingInputStream(name(), in, MAGIC,
                src -> GzipCompressorInputStream.builder().setInputStream(src).setDecompressConcatenated(true).get());
    }
}
