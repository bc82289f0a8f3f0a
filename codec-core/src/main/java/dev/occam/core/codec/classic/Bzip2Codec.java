package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * bzip2 through Commons Compress's {@link BZip2CompressorOutputStream} and
 * {@link BZip2CompressorInputStream} (its own pure-Java coder). Level n = block size n x 100 kB (1-9, default 9 as in the bzip2
 * tool). Decoding reads concatenated streams like {@code bzip2 -d}, checks every block CRC and
 * the combined stream CRC, and rejects trailing bytes after the last stream.
 */
public final class Bzip2Codec extends ClassicCodec {
    /** "BZh" and a block-size digit; an input that ends inside the first three bytes is "truncated". */
    private static final int[] MAGIC = {'B', 'Z', 'h', '9'};

    /** The codec as found by ServiceLoader. */
    public Bzip2Codec() {
        super("bzip2", List.of("bz2"), ".bz2",
                "bzip2 (BWT + Huffman, block CRCs), levels 1-9 = 100-900 kB blocks", 1, 9, 9);
    }

    /** Magic "BZh" followed by the block-size digit 1-9. */
    @Override
    public boolean matches(byte[] head, int len) {
        return Math.min(len, head.length) >= 4 && startsWith(head, len, MAGIC[0], MAGIC[1], MAGIC[2])
                && head[3] >= '1' && head[3] <= '9';
    }

    @Override
    OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException {
        return new BZip2CompressorOutputStream(out, level);
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        return new DecodingInputStream(name(), in, MAGIC, src -> new BZip2CompressorInputStream(src, true));
    }
}
