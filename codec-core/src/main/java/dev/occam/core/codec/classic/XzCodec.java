package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.MemoryLimitException;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;

/**
 * xz (LZMA2, CRC64 check) through Commons Compress's {@link XZCompressorOutputStream} and
 * {@link XZCompressorInputStream}, which run XZ for Java underneath. Levels 0-9 are the xz presets
 * (default 6); the "extreme" variants ({@code xz -e}) are not offered, and compression is
 * single-threaded (the threads option is ignored). Decoding reads concatenated streams and stream
 * padding like {@code xz -d} and verifies the integrity checks; other trailing bytes are an error.
 * A stream whose dictionary needs more memory than 3/4 of the JVM heap is refused with an
 * IOException saying so (Commons Compress's {@link MemoryLimitException}, reworded), rather than
 * running out of memory.
 *
 * <p>Commons Compress closes through {@code FilterOutputStream.close()}, which flushes the encoder
 * before finishing the stream. When the LZMA2 encoder still holds look-ahead input at that point
 * the flush ends a chunk early, so a large stream can be a few dozen bytes longer than
 * XZ for Java writes on close alone (28 bytes for 3 MB of text at preset 6); small streams are
 * byte-identical. The result is a standard stream.
 */
public final class XzCodec extends ClassicCodec {
    private static final int[] XZ_MAGIC = {0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00};

    /** The codec as found by ServiceLoader. */
    public XzCodec() {
        super("xz", List.of(), ".xz", "xz (LZMA2 + CRC64), presets 0-9; reads concatenated streams", 0, 9, 6);
    }

    /** Magic FD 37 7A 58 5A 00. */
    @Override
    public boolean matches(byte[] head, int len) {
        return startsWith(head, len, XZ_MAGIC);
    }

    @Override
    OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException {
        LZMA2Options preset;
        try {
            preset = new LZMA2Options(level);
        } catch (UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz: level " + level + ": " + e.getMessage(), e);
        }
        // XZOutputStream(out, options) writes the CRC64 check, as the xz tool does by default
        XZCompressorOutputStream xz = XZCompressorOutputStream.builder().setOutputStream(out).setLzma2Options(preset).get();
        return new FinishThenClose(xz, out);
    }

    /**
     * Closing finishes the xz stream and then closes the target. Commons Compress's own close()
     * goes through FilterOutputStream.close(), which flushes first, and a flush ends the LZMA2
     * chunk early (about a dozen bytes more on small inputs than the xz tool writes).
     */
    private static final class FinishThenClose extends java.io.FilterOutputStream {
        private final XZCompressorOutputStream xz;
        private final OutputStream target;

        FinishThenClose(XZCompressorOutputStream xz, OutputStream target) {
            super(xz);
            this.xz = xz;
            this.target = target;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            xz.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            try {
                xz.finish();
            } finally {
                target.close();
            }
        }
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        return decoder(in, memoryLimitKiB(Runtime.getRuntime().maxMemory()));
    }

    /** The decoding stream with an explicit memory limit in KiB (tests use a small one). */
    InputStream decoder(InputStream in, int limitKiB) {
        return new DecodingInputStream(name(), in, XZ_MAGIC, src -> new MemoryLimitReporting(
                XZCompressorInputStream.builder().setInputStream(src)
                        .setDecompressConcatenated(true).setMemoryLimitKiB(limitKiB).get()));
    }

    /** 3/4 of {@code maxHeapBytes}, in KiB, capped to an int (the library's unit and type). */
    static int memoryLimitKiB(long maxHeapBytes) {
        return (int) Math.min(Integer.MAX_VALUE, maxHeapBytes / 1024 * 3 / 4);
    }

    /** Turns Commons Compress's MemoryLimitException into an IOException that tells the user what to do. */
    private static final class MemoryLimitReporting extends FilterInputStream {
        MemoryLimitReporting(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (MemoryLimitException e) {
                throw tooBig(e);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (MemoryLimitException e) {
                throw tooBig(e);
            }
        }

        private static ResourceLimitException tooBig(MemoryLimitException e) {
            return new ResourceLimitException("xz: decoding this stream needs " + (e.getMemoryNeededInKb() + 1023) / 1024
                    + " MiB of memory; the limit is " + e.getMemoryLimitInKb() / 1024
                    + " MiB (3/4 of the JVM heap; raise -Xmx)", e);
        }
    }
}
