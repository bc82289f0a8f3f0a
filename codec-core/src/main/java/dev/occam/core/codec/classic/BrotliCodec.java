package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.brotli.BrotliCompressorInputStream;

/**
 * Brotli (RFC 7932), decode only, through Commons Compress's {@link BrotliCompressorInputStream},
 * which runs the reference Java decoder (org.brotli:dec) underneath; Commons Compress has no brotli
 * encoder, so neither do we. Brotli has no magic
 * number, so {@link #matches} is always false and this codec is used only when named explicitly
 * ({@code --format brotli}). Brotli has no checksum: truncation is detected (the last
 * meta-block is missing), but a corrupted byte may decode to different bytes without an error.
 * The decoder reads zeros past the end of its input, so a cut stream may fail with a decoding
 * error; such failures after the end of the input read "brotli: truncated or corrupt input".
 * Trailing data is detected by the decoder when it has read to the end of the input and by a
 * check of the source afterwards; bytes the decoder read ahead past a stream end that was not the
 * end of its input are not always noticed.
 */
public final class BrotliCodec extends ClassicCodec {
    /** The codec as found by ServiceLoader. */
    public BrotliCodec() {
        super("brotli", List.of("br"), ".br",
                "Brotli, decode only; no magic number, so only with --format brotli", 0, 0, 0);
    }

    /** Always false: brotli streams have no magic number. */
    @Override
    public boolean matches(byte[] head, int len) {
        return false;
    }

    /** False: only the decoder is available. */
    @Override
    public boolean canCompress() {
        return false;
    }

    @Override
    OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException {
        throw new IOException("brotli: compression is not supported (decode only)");
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        return new DecodingInputStream(name(), in, new int[0], true, BrotliCompressorInputStream::new);
    }
}
