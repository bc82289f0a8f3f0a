package dev.occam.kt.okt;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.container.FrameHeader;
import dev.occam.lm.cm.CmCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The coders KT results are compared with and fall back to: gzip -9 (java.util.zip) and
 * codec-lm's built-in context-mixing language model ({@link CmCodec}, level {@value #CM_LEVEL}),
 * coding a byte array as one block.
 */
public final class Baselines {
    /** The cm level used for fallback coding (tables are sized down to the input anyway). */
    public static final int CM_LEVEL = 2;

    private Baselines() {
    }

    /** gzip -9 size of {@code data} (header and trailer included). */
    public static int gzipSize(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.size();
    }

    /** {@code data} coded with the built-in language model (empty input gives an empty result). */
    public static byte[] cmEncode(byte[] data) throws IOException {
        if (data.length == 0) return new byte[0];
        BlockCodec.BlockEncoder enc = new CmCodec().newEncoder(CodecOptions.defaults().withLevel(CM_LEVEL));
        try {
            return enc.encode(data, 0, data.length);
        } finally {
            enc.close();
        }
    }

    /** Decodes {@link #cmEncode} output of {@code src[off, off+len)} into {@code length} bytes. */
    public static byte[] cmDecode(byte[] src, int off, int len, int length) throws IOException {
        byte[] out = new byte[length];
        if (length == 0) return out;
        FrameHeader h = new FrameHeader(1, "cm", new byte[] {1, CM_LEVEL}, null, length, length);
        BlockCodec.BlockDecoder dec = new CmCodec().newDecoder(h, CodecOptions.defaults());
        try {
            dec.decode(src, off, len, out, 0, length);
        } finally {
            dec.close();
        }
        return out;
    }
}
