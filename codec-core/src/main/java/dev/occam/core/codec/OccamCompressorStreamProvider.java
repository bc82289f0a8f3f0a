package dev.occam.core.codec;

import dev.occam.core.container.OccInputStream;
import dev.occam.core.container.OccOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorInputStream;
import org.apache.commons.compress.compressors.CompressorOutputStream;
import org.apache.commons.compress.compressors.CompressorStreamProvider;

/**
 * Makes Occam's frame codecs available through Commons Compress's
 * {@link org.apache.commons.compress.compressors.CompressorStreamFactory} (registered in
 * {@code META-INF/services}).
 *
 * <p>Input name {@value #INPUT_NAME} reads any {@code .occ} frame, whatever its codec (looked up in
 * {@link CodecRegistry#getDefault()} by the id in the frame header). Output names are the ids of
 * the registered {@link BlockCodec}s ("o2", ...); output uses the codec's default options.
 * IOExceptions while opening a stream are reported as {@link CompressorException}.
 */
public final class OccamCompressorStreamProvider implements CompressorStreamProvider {
    /** The input stream name: any .occ frame. */
    public static final String INPUT_NAME = "occ";

    /** Called by {@link java.util.ServiceLoader}. */
    public OccamCompressorStreamProvider() {
    }

    /**
     * A stream decoding the {@code .occ} frame(s) in {@code in}. With {@code decompressUntilEOF}
     * false only the first frame is decoded and {@code in} is left just after it.
     */
    @Override
    public CompressorInputStream createCompressorInputStream(String name, InputStream in, boolean decompressUntilEOF)
            throws CompressorException {
        if (name == null || !INPUT_NAME.equalsIgnoreCase(name)) {
            throw new CompressorException("compressor " + name + " is not provided by Occam (input name: occ)");
        }
        try {
            return new Input(new OccInputStream(in, CodecRegistry.getDefault()::blockCodec, CodecOptions.defaults(),
                    decompressUntilEOF));
        } catch (IOException e) {
            throw new CompressorException("cannot read the .occ stream: " + e.getMessage(), e);
        }
    }

    /** A stream writing one {@code .occ} frame with the block codec {@code name} to {@code out}. */
    @Override
    public <T extends OutputStream> CompressorOutputStream<T> createCompressorOutputStream(String name, T out)
            throws CompressorException {
        BlockCodec codec = blockCodec(name);
        if (codec == null) throw new CompressorException("compressor " + name + " is not an Occam block codec");
        try {
            return new Output<>(out, new OccOutputStream(out, codec, CodecOptions.defaults(), -1));
        } catch (IOException e) {
            throw new CompressorException("cannot start the .occ stream: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> getInputStreamCompressorNames() {
        return Set.of(INPUT_NAME);
    }

    @Override
    public Set<String> getOutputStreamCompressorNames() {
        Set<String> names = new TreeSet<>();
        for (Codec c : CodecRegistry.getDefault().all()) {
            if (c instanceof OccCodec o) names.add(o.blockCodec().id());
        }
        return Collections.unmodifiableSet(names);
    }

    /** The block codec with this name (case-insensitive, aliases included), or null. */
    private static BlockCodec blockCodec(String name) {
        if (name == null) return null;
        return CodecRegistry.getDefault().get(name) instanceof OccCodec o ? o.blockCodec() : null;
    }

    /** Adapts {@link OccInputStream} to {@link CompressorInputStream} (counts the bytes it yields). */
    private static final class Input extends CompressorInputStream {
        private final OccInputStream delegate;

        Input(OccInputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = delegate.read(b, off, len);
            if (n > 0) count(n);
            return n;
        }

        @Override
        public int available() {
            return delegate.available();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    /** Adapts {@link OccOutputStream} to {@link CompressorOutputStream}. */
    private static final class Output<T extends OutputStream> extends CompressorOutputStream<T> {
        private final OccOutputStream delegate;
        private boolean done;

        Output(T out, OccOutputStream delegate) {
            super(out);
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!done) delegate.flush();
        }

        /** Writes the end marker without closing the underlying stream. */
        @Override
        public void finish() throws IOException {
            delegate.finish();
            super.finish();
        }

        @Override
        public void close() throws IOException {
            if (done) return;
            done = true;
            try {
                delegate.close();
            } finally {
                super.close();
            }
        }
    }
}
