package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * xz (LZMA2, CRC64 check) through XZ for Java. Levels 0-9 are the xz presets (default 6); the
 * "extreme" variants ({@code xz -e}) are not offered, and compression is single-threaded
 * (the threads option is ignored). Decoding reads concatenated streams and stream padding like
 * {@code xz -d} and verifies the integrity checks; other trailing bytes are an error. A stream
 * whose dictionary needs more memory than 3/4 of the JVM heap is refused with an IOException
 * saying so, rather than running out of memory.
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
        try {
            return new XZOutputStream(out, new LZMA2Options(level), XZ.CHECK_CRC64);
        } catch (UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz: level " + level + ": " + e.getMessage(), e);
        }
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        long limitKiB = Runtime.getRuntime().maxMemory() / 1024 * 3 / 4;
        int limit = (int) Math.min(Integer.MAX_VALUE, limitKiB);
        return new DecodingInputStream(name(), in, XZ_MAGIC,
                src -> new MemoryLimitReporting(new XZInputStream(src, limit)));
    }

    /** Turns XZ's MemoryLimitException into a plain IOException that tells the user what to do. */
    private static final class MemoryLimitReporting extends java.io.FilterInputStream {
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
            return new ResourceLimitException("xz: decoding this stream needs " + (e.getMemoryNeeded() + 1023) / 1024
                    + " MiB of memory; the limit is " + e.getMemoryLimit() / 1024
                    + " MiB (3/4 of the JVM heap; raise -Xmx)", e);
        }
    }
}
