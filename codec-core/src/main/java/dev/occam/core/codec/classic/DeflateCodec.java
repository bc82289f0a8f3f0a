package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorOutputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;

/**
 * The zlib format (RFC 1950: two-byte header, deflate data, Adler-32), as written by
 * {@code pigz -z} and zlib's {@code compress()}; extension {@code .zz}. Levels 1-9, default 6.
 * Detected by its header check: compression method 8, window CINFO &lt;= 7 and
 * (CMF * 256 + FLG) % 31 == 0. That check passes for about 1 in 31 random byte pairs with CM 8,
 * so {@link dev.occam.core.codec.CodecRegistry#detect} tries it after every format with a real
 * magic number (its place in the service file); none of those magics passes it. Decoding
 * verifies the Adler-32, gives exact offsets, and rejects truncation and trailing bytes.
 *
 * <p>Compression goes through Commons Compress's {@link DeflateCompressorOutputStream} (zlib
 * header on). Decompression does not use its {@code DeflateCompressorInputStream}: that is an
 * {@code InflaterInputStream}, which silently drops trailing bytes already in its read buffer,
 * returns an empty result for a stream that needs a preset dictionary, and can only place a
 * failure to within its read-ahead buffer; {@link ZlibInputStream} feeds {@link java.util.zip.Inflater} itself to refuse both with exact
 * offsets.
 */
public final class DeflateCodec extends ClassicCodec {
    /** The codec as found by ServiceLoader. */
    public DeflateCodec() {
        super("deflate", List.of("zlib"), ".zz", "zlib stream (deflate + Adler-32, RFC 1950), levels 1-9", 1, 9, 6);
    }

    /** The zlib header check: CM == 8, CINFO &lt;= 7, (CMF * 256 + FLG) % 31 == 0. */
    @Override
    public boolean matches(byte[] head, int len) {
        if (Math.min(len, head.length) < 2) return false;
        int cmf = head[0] & 0xFF;
        int flg = head[1] & 0xFF;
        return (cmf & 0x0F) == 8 && (cmf >>> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
    }

    @Override
    OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException {
        DeflateParameters p = new DeflateParameters();
        p.setCompressionLevel(level);
        p.setWithZlibHeader(true);
        return new DeflateCompressorOutputStream(out, p);
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        return new DecodingInputStream(name(), in, new int[0], ZlibInputStream::new);
    }
}
