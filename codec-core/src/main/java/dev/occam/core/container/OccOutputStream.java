package dev.occam.core.container;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * Writes a {@code .occ} frame (layout in docs/FORMAT.md): the header at once, then the bytes
 * written to this stream cut into blocks of {@code blockSize} raw bytes, each coded by the
 * {@link BlockCodec} (or stored raw when coding does not make it smaller), and on
 * {@link #finish()}/{@link #close()} the end marker with the total length and the CRC32C of the
 * whole content.
 *
 * <p>With {@link CodecOptions#effectiveThreads()} &gt; 1 blocks are coded on a pool of daemon
 * threads, at most {@code 2 x threads} blocks in flight (memory O(threads x blockSize)), and
 * written in order. A worker's failure is rethrown as an IOException by the next write, flush,
 * finish or close; the pool is shut down on close, on finish and on failure.
 *
 * <p>{@link #flush()} writes the blocks that are already complete and flushes the underlying
 * stream; it does not cut the current partial block (that would cost compression). Not thread-safe.
 */
public final class OccOutputStream extends OutputStream {
    /** The largest block size a frame allows (64 MiB raw bytes per block). */
    public static final int MAX_BLOCK_SIZE = FrameFormat.MAX_BLOCK_SIZE;

    private final OutputStream out;
    private final BlockCodec codec;
    private final CodecOptions options;
    private final FrameHeader header;
    private final int blockSize;
    private final long originalLength;
    /** First buffer size when the original length is unknown. */
    private static final int FIRST_BUFFER = 1 << 16;
    private final ConcurrentLinkedQueue<BlockCodec.BlockEncoder> encoders = new ConcurrentLinkedQueue<>();
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<Coded>> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>();
    private final CRC32C contentCrc = new CRC32C();
    private byte[] buf;
    private int bufLen;
    private long total;
    private long written;
    private long blocks;
    private boolean finished;
    private boolean closed;
    private IOException failure;

    /** A coded block ready to be written. */
    private record Coded(byte[] raw, byte[] blockHeader, byte[] payload, int payloadLen) {
    }

    /**
     * Starts a frame on {@code out} and writes its header.
     *
     * @param out            where the frame goes; closed by {@link #close()}
     * @param codec          the block codec
     * @param options        level, threads, block size (0 = the codec's default) and codec extras
     * @param originalLength the number of bytes that will be written, or -1 when unknown; when
     *                       known it is stored in the header and {@link #close()} fails if the
     *                       actual count differs
     * @throws IOException when the header cannot be written or the codec refuses the options
     */
    public OccOutputStream(OutputStream out, BlockCodec codec, CodecOptions options, long originalLength)
            throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.options = Objects.requireNonNull(options, "options");
        if (originalLength < -1) throw new IllegalArgumentException("originalLength must be >= -1: " + originalLength);
        this.originalLength = originalLength;
        String id = codec.id();
        if (!FrameFormat.validCodecId(id)) {
            throw new IOException("invalid block codec id \"" + id + "\": 1.." + FrameFormat.MAX_CODEC_ID
                    + " printable ASCII characters");
        }
        int bs = options.blockSize() > 0 ? options.blockSize() : codec.defaultBlockSize(options);
        if (bs < 1 || bs > FrameFormat.MAX_BLOCK_SIZE) {
            throw new IOException("block size " + bs + " is outside 1.." + FrameFormat.MAX_BLOCK_SIZE);
        }
        this.blockSize = bs;
        byte[] params = codec.parameters(options);
        if (params != null && params.length > FrameFormat.MAX_PARAMETERS) {
            throw new IOException("codec parameters too long: " + params.length + " bytes");
        }
        byte[] fp = codec.modelFingerprint(options);
        if (fp != null && fp.length != 32) throw new IOException("model fingerprint must be 32 bytes (SHA-256)");
        this.header = new FrameHeader(FrameFormat.VERSION, id, params, fp, originalLength, bs);
        encoders.add(codec.newEncoder(options)); // fail early on bad options
        int threads = options.effectiveThreads();
        this.maxInFlight = threads > 1 ? 2 * threads : 1;
        byte[] head = FrameFormat.encodeHeader(header);
        out.write(head);
        written = head.length;
        this.pool = threads > 1 ? Workers.newPool(threads, "encoder") : null;
    }

    /** Compressed bytes written to the underlying stream so far (blocks still being coded not included). */
    public long compressedBytesWritten() {
        return written;
    }

    /** The header this stream wrote. */
    public FrameHeader header() {
        return header;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (buf == null) buf = takeBuffer();
        if (bufLen == buf.length) buf = grow(buf);
        buf[bufLen++] = (byte) b;
        count(1);
        if (bufLen == blockSize) submitBuffer();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (buf == null) buf = takeBuffer();
            if (bufLen == buf.length) buf = grow(buf);
            int n = Math.min(len, buf.length - bufLen);
            count(n);
            System.arraycopy(b, off, buf, bufLen, n);
            bufLen += n;
            off += n;
            len -= n;
            if (bufLen == blockSize) submitBuffer();
        }
    }

    /** Writes the blocks already coded and flushes the underlying stream (the partial block stays buffered). */
    @Override
    public void flush() throws IOException {
        if (closed || finished) return;
        ensureOpen();
        try {
            while (!pending.isEmpty() && pending.peek().isDone()) writeBlock(Workers.await(pending.poll()));
            out.flush();
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Codes the last block, writes the end marker and flushes, without closing the underlying
     * stream (more frames may follow: readers decode concatenated frames as one stream).
     *
     * @throws IOException when a block could not be coded or written, or the byte count differs
     *                     from the original length given to the constructor
     */
    public void finish() throws IOException {
        if (finished) return;
        ensureOpen();
        try {
            if (bufLen > 0) submitBuffer();
            while (!pending.isEmpty()) writeBlock(Workers.await(pending.poll()));
            if (originalLength >= 0 && total != originalLength) {
                throw new IOException("the original length was declared as " + originalLength + " bytes but "
                        + total + " were written");
            }
            byte[] end = FrameFormat.encodeEndMarker(total, (int) contentCrc.getValue());
            out.write(end);
            written += end.length;
            out.flush();
            finished = true;
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        } finally {
            if (pool != null && (finished || failure != null)) pool.shutdownNow();
        }
    }

    /**
     * {@link #finish() Finishes} the frame and closes the underlying stream. After an earlier
     * failure the frame stays incomplete: the underlying stream is closed and an IOException says so.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        try {
            if (failure == null) finish();
        } finally {
            closed = true;
            if (pool != null) pool.shutdownNow();
            closeIdleEncoders();
            out.close();
        }
        if (!finished) throw new IOException("the .occ frame is incomplete: " + failure.getMessage(), failure);
    }

    private void count(int n) throws IOException {
        if (originalLength >= 0 && total + n > originalLength) {
            throw fail(new IOException("more bytes written than the declared original length " + originalLength));
        }
        total += n;
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("stream closed");
        if (failure != null) throw new IOException("the .occ stream failed earlier: " + failure.getMessage(), failure);
        if (finished) throw new IOException("the .occ frame is already finished");
    }

    /**
     * A block buffer: a recycled one, or a new one sized to the bytes still expected (when the
     * original length is known) or to {@value #FIRST_BUFFER} bytes, growing up to the block size as
     * data arrives, so a small input never pays for a multi-megabyte block.
     */
    private byte[] takeBuffer() {
        byte[] b = freeBuffers.poll();
        if (b != null) return b;
        long want = originalLength >= 0 ? originalLength - total : FIRST_BUFFER;
        return new byte[(int) Math.max(1, Math.min(blockSize, want))];
    }

    /** The buffer with twice the room (at most the block size), contents kept. */
    private byte[] grow(byte[] b) {
        return Arrays.copyOf(b, (int) Math.min(blockSize, 2L * b.length));
    }

    /** Hands the full (or last) buffer to the coder and writes whatever is ready, keeping at most maxInFlight blocks pending. */
    private void submitBuffer() throws IOException {
        byte[] raw = buf;
        int len = bufLen;
        buf = null;
        bufLen = 0;
        contentCrc.update(raw, 0, len);
        long index = ++blocks;
        try {
            while (pending.size() >= maxInFlight) writeBlock(Workers.await(pending.poll()));
            pending.add(Workers.submit(pool, () -> encode(raw, len, index)));
            while (!pending.isEmpty() && pending.peek().isDone()) writeBlock(Workers.await(pending.poll()));
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    /** Runs on a worker: codes one block, or stores it when coding does not shrink it. */
    private Coded encode(byte[] raw, int len, long index) throws IOException {
        BlockCodec.BlockEncoder enc = encoders.poll();
        if (enc == null) enc = codec.newEncoder(options);
        byte[] coded;
        try {
            coded = enc.encode(raw, 0, len);
        } catch (IOException e) {
            throw new IOException("codec " + codec.id() + " failed on block " + index + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("codec " + codec.id() + " failed on block " + index + ": " + e, e);
        }
        encoders.add(enc); // only an encoder that did not fail is reused
        int rawCrc = FrameFormat.crc32c(raw, 0, len);
        if (coded == null || coded.length >= len) {
            return new Coded(raw, FrameFormat.encodeBlockHeader(false, len, len, 0, rawCrc), raw, len);
        }
        int codedCrc = FrameFormat.crc32c(coded, 0, coded.length);
        return new Coded(raw, FrameFormat.encodeBlockHeader(true, len, coded.length, codedCrc, rawCrc), coded,
                coded.length);
    }

    private void writeBlock(Coded c) throws IOException {
        out.write(c.blockHeader());
        out.write(c.payload(), 0, c.payloadLen());
        written += c.blockHeader().length + c.payloadLen();
        if (freeBuffers.size() < maxInFlight) freeBuffers.add(c.raw());
    }

    /** Records the first failure, stops the workers and returns the exception to throw. */
    /** Releases the idle encoders (one still running on a cancelled worker is left to its own cleanup). */
    private void closeIdleEncoders() {
        for (BlockCodec.BlockEncoder e; (e = encoders.poll()) != null; ) {
            try {
                e.close();
            } catch (IOException | RuntimeException ignored) {
                // releasing resources on the way out
            }
        }
    }

    private IOException fail(Exception e) {
        IOException io = e instanceof IOException x ? x : new IOException("frame writer failed: " + e, e);
        if (failure == null) failure = io;
        for (Future<Coded> f : pending) f.cancel(true);
        pending.clear();
        if (pool != null) pool.shutdownNow();
        return io;
    }
}
