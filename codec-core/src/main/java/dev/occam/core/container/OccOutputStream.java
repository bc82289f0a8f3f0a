package dev.occam.core.container;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.OutputStream;

/** PLACEHOLDER: replaced by the frame implementation. */
public final class OccOutputStream extends OutputStream {
    public OccOutputStream(OutputStream out, BlockCodec codec, CodecOptions options, long originalLength)
            throws IOException {
        throw new IOException("frame writer missing");
    }

    @Override
    public void write(int b) throws IOException {
        throw new IOException("frame writer missing");
    }
}
