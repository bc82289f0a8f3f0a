package dev.occam.core.container;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/** PLACEHOLDER: replaced by the frame implementation. */
public final class OccInputStream extends InputStream {
    public OccInputStream(InputStream in, Function<String, BlockCodec> codecs, CodecOptions options)
            throws IOException {
        throw new IOException("frame reader missing");
    }

    /** Walks a frame's structure (header, block lengths, end marker) without decoding the blocks. */
    public static FrameInfo scan(InputStream in) throws IOException {
        throw new IOException("frame reader missing");
    }

    public static boolean matchesMagic(byte[] head, int len) {
        return false;
    }

    @Override
    public int read() throws IOException {
        throw new IOException("frame reader missing");
    }
}
