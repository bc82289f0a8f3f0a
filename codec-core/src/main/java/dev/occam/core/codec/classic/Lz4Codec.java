package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * LZ4 frame format (readable by the {@code lz4} tool) through lz4-java's native (JNI) block
 * coder, falling back to its pure-Java coder where no native library loads. Levels as in the lz4
 * tool: 1-2 are the fast coder, 3-12 are LZ4-HC at that level; default 1. Frames use independent
 * 4 MiB blocks (the lz4 tool's default) and the content checksum (XXH32). Decoding reads
 * concatenated and skippable frames and verifies the checksums; trailing bytes that are not a
 * frame are an error. lz4-java's frame decoder does not support linked blocks ({@code lz4 -BD}
 * with more than one block) or the legacy format ({@code lz4 -l}, not detected): both are
 * refused as "lz4: unsupported stream: ...".
 *
 * <p>Why not Commons Compress: its {@code FramedLZ4CompressorOutputStream} is a pure-Java LZ77
 * encoder tuned for ratio, several hundred times slower than gzip (a rough single run on
 * world192.txt: about 500x gzip -6, 3000x lz4-java's native coder), which defeats the purpose of
 * a fast format. lz4-java's frame streams write and read the same standard frame format.
 */
public final class Lz4Codec extends ClassicCodec {
    private static final int[] LZ4_MAGIC = {0x04, 0x22, 0x4D, 0x18};

    /** The codec as found by ServiceLoader. */
    public Lz4Codec() {
        super("lz4", List.of(), ".lz4", "LZ4 frame with content checksum, level 1-2 fast, 3-12 HC", 1, 12, 1);
    }

    /** Magic 04 22 4D 18 (a leading skippable frame is claimed by zstd, see {@link ZstdCodec#matches}). */
    @Override
    public boolean matches(byte[] head, int len) {
        return startsWith(head, len, LZ4_MAGIC);
    }

    @Override
    OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException {
        LZ4Factory f = LZ4Factory.fastestInstance();
        LZ4Compressor c = level < 3 ? f.fastCompressor() : f.highCompressor(level);
        return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB, -1L, c,
                XXHashFactory.fastestInstance().hash32(),
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        return new DecodingInputStream(name(), in, LZ4_MAGIC, src -> new LZ4FrameInputStream(src,
                LZ4Factory.fastestInstance().safeDecompressor(), XXHashFactory.fastestInstance().hash32(), false));
    }
}
