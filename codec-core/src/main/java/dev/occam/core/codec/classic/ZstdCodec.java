package dev.occam.core.codec.classic;

import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Zstandard through Commons Compress's {@link ZstdCompressorOutputStream} and
 * {@link ZstdCompressorInputStream}, which run zstd-jni's native coder underneath. Levels 1-22
 * (default 3) as in the zstd tool; negative levels -1..-7 are its fast levels
 * ({@code zstd --fast=N} is level -N) and level 0 means the library default (3). Every frame
 * carries the content checksum (XXH64). With {@code effectiveThreads() > 1} the library's worker
 * threads compress in parallel (the output stays a standard single frame). Decoding reads
 * concatenated and skippable frames like {@code zstd -d}, with the library's default window limit
 * (128 MiB, as the zstd tool without {@code --memory}); trailing bytes that do not form a frame
 * are an error.
 *
 * <p>Native memory: Commons Compress builds zstd-jni's {@code ZstdOutputStream} and
 * {@code ZstdInputStream}, the variants with a finalizer, not the {@code NoFinalizer} ones, and
 * does not expose them to switch the finalizer off. The native context is still freed
 * deterministically: {@link EncodingOutputStream#close()} and {@link DecodingInputStream#close()}
 * close the library stream, which frees it; the finalizer is only a GC-time safety net (and a
 * small GC cost per stream). Closing goes through {@code FilterOutputStream.close()}, which
 * flushes before it ends the frame, so a frame with data ends with one empty last block (3 bytes)
 * more than zstd-jni's own stream writes on close alone; the frame is standard and the zstd tool
 * reads it. If a builder parameter is refused, the half-built native stream is left to that
 * finalizer (Commons Compress does not close it).
 */
public final class ZstdCodec extends ClassicCodec {
    private static final int[] ZSTD_MAGIC = {0x28, 0xB5, 0x2F, 0xFD};

    /** The codec as found by ServiceLoader. */
    public ZstdCodec() {
        super("zstd", List.of("zst"), ".zst",
                "Zstandard with content checksum, levels 1-22 (-1..-7 = --fast=N), multi-threaded with -T", -7, 22, 3);
    }

    /**
     * Magic 28 B5 2F FD, or a skippable frame (5? 2A 4D 18). The lz4 frame format shares the
     * skippable magic; a stream that starts with one is taken as zstd.
     */
    @Override
    public boolean matches(byte[] head, int len) {
        if (startsWith(head, len, ZSTD_MAGIC)) return true;
        return Math.min(len, head.length) >= 4 && (head[0] & 0xF0) == 0x50
                && (head[1] & 0xFF) == 0x2A && (head[2] & 0xFF) == 0x4D && (head[3] & 0xFF) == 0x18;
    }

    @Override
    OutputStream encoder(OutputStream out, int level, CodecOptions options) throws IOException {
        int threads = options.effectiveThreads();
        // workers 0 = compress in the calling thread (zstd's default); the builder sets every other
        // parameter to 0, which zstd reads as "derive from the level"
        return ZstdCompressorOutputStream.builder().setOutputStream(out)
                .setLevel(level).setChecksum(true).setWorkers(threads > 1 ? threads : 0).get();
    }

    @Override
    InputStream decoder(InputStream in, CodecOptions options) {
        return new DecodingInputStream(name(), in, ZSTD_MAGIC, ZstdCompressorInputStream::new);
    }
}
