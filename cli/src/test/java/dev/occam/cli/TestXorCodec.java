package dev.occam.cli;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Test-only stream codec "testxor" (suffix .txr, levels 1..9, default 5, alias "txr"):
 * {@code "TXR1"}, then chunks {@code [u16 length][bytes XOR key]} ending with a zero length, then
 * the CRC32 of the raw bytes and the raw length as u64 (big-endian). The key depends on the level
 * (it is stored after the magic). Bad input: CorruptInputException with the offset.
 */
public class TestXorCodec implements Codec {
    static final byte[] MAGIC = {'T', 'X', 'R', '1'};

    @Override
    public String name() {
        return "testxor";
    }

    @Override
    public List<String> aliases() {
        return List.of("txr");
    }

    @Override
    public String extension() {
        return ".txr";
    }

    @Override
    public String description() {
        return "test-only XOR codec with CRC32 trailer";
    }

    @Override
    public int minLevel() {
        return 1;
    }

    @Override
    public int maxLevel() {
        return 9;
    }

    @Override
    public int defaultLevel() {
        return 5;
    }

    @Override
    public boolean matches(byte[] head, int len) {
        if (len < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) if (head[i] != MAGIC[i]) return false;
        return true;
    }

    /** A test's action, run once (then cleared) after the next chunk any testxor stream writes. */
    static volatile Runnable onNextChunk;

    /** Hook for the slow subclass: called after each chunk is written. */
    void afterChunk() throws IOException {
        Runnable r = onNextChunk;
        if (r != null) {
            onNextChunk = null;
            r.run();
        }
    }

    byte[] magic() {
        return MAGIC;
    }

    @Override
    public OutputStream compress(OutputStream out, CodecOptions options) throws IOException {
        int key = 0x40 + options.levelOr(defaultLevel());
        out.write(magic());
        out.write(key);
        return new OutputStream() {
            final byte[] chunk = new byte[4096];
            int n;
            long total;
            final CRC32 crc = new CRC32();
            boolean closed;

            @Override
            public void write(int b) throws IOException {
                chunk[n++] = (byte) b;
                if (n == chunk.length) flushChunk();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) write(b[off + i]);
            }

            private void flushChunk() throws IOException {
                if (n == 0) return;
                crc.update(chunk, 0, n);
                total += n;
                out.write(n >>> 8);
                out.write(n);
                for (int i = 0; i < n; i++) out.write(chunk[i] ^ key);
                n = 0;
                afterChunk();
            }

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                flushChunk();
                out.write(0);
                out.write(0);
                writeLong(out, crc.getValue(), 4);
                writeLong(out, total, 8);
                out.close();
            }
        };
    }

    private static void writeLong(OutputStream out, long v, int bytes) throws IOException {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)));
    }

    @Override
    public InputStream decompress(InputStream in, CodecOptions options) throws IOException {
        return new InputStream() {
            long pos;
            int key = -1;
            int remaining;
            boolean finished;
            final CRC32 crc = new CRC32();
            long total;

            private int next() throws IOException {
                int b = in.read();
                if (b < 0) throw new CorruptInputException(pos, "truncated input");
                pos++;
                return b;
            }

            private void header() throws IOException {
                byte[] m = magic();
                for (byte mb : m) {
                    long at = pos;
                    if (next() != (mb & 0xFF)) throw new CorruptInputException(at, "bad magic");
                }
                key = next();
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (key < 0) header();
                if (finished) return -1;
                while (remaining == 0) {
                    remaining = (next() << 8) | next();
                    if (remaining == 0) {
                        trailer();
                        return -1;
                    }
                }
                int n = 0;
                while (n < len && remaining > 0) {
                    b[off + n] = (byte) (next() ^ key);
                    n++;
                    remaining--;
                }
                crc.update(b, off, n);
                total += n;
                return n;
            }

            private void trailer() throws IOException {
                long at = pos;
                long c = 0;
                for (int i = 0; i < 4; i++) c = (c << 8) | next();
                long t = 0;
                for (int i = 0; i < 8; i++) t = (t << 8) | next();
                if (c != crc.getValue()) throw new CorruptInputException(at, "CRC32 mismatch");
                if (t != total) throw new CorruptInputException(at + 4, "length mismatch");
                if (in.read() >= 0) throw new CorruptInputException(pos, "trailing garbage");
                finished = true;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
