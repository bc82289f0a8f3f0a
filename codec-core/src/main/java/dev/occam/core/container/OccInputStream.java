package dev.occam.core.container;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Reads {@code .occ} frames (layout in docs/FORMAT.md) and yields the decoded bytes.
 *
 * <p>The header is read and checked in the constructor, so wrong magic, a newer format version,
 * an unknown codec or a model fingerprint mismatch are reported before any output is produced.
 * Every block's decoded bytes are checked against their CRC32C before they are released; at the
 * end of each frame the end marker (total length, CRC32C of the whole content, original length
 * when the header has one) is verified. Concatenated frames decode as the concatenation of their
 * contents; any other bytes after an end marker are refused as trailing garbage.
 *
 * <p>Every problem with the input is a {@link CorruptInputException} whose offset is the absolute
 * byte offset in the compressed stream (the offset of the stream's first byte is 0); a block
 * decoder's exceptions, RuntimeExceptions included, are converted to one. A model fingerprint
 * mismatch is also a CorruptInputException, with the reason
 * {@code "this file was compressed with model <short hex>; you gave model <short hex>"} (without a
 * {@code model} option: {@code "...; you gave no model, so the built-in model (<short hex>) was used
 * (...)"} when the codec has one, else {@code "...; you gave model none (...)"}).
 *
 * <p>With {@link CodecOptions#effectiveThreads()} &gt; 1 blocks are decoded on a pool of daemon
 * threads, at most {@code 2 x threads} blocks in flight, and released in order. The underlying
 * stream is read byte-exactly (never past the end of the last frame). Not thread-safe.
 */
public final class OccInputStream extends InputStream {
    private final FrameReader src;
    private final InputStream in;
    private final Function<String, BlockCodec> codecs;
    private final CodecOptions options;
    private final boolean concatenated;
    private final int threads;
    private final int maxInFlight;
    private final ArrayDeque<Future<Block>> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>();
    private final CRC32C contentCrc = new CRC32C();
    private final byte[] one = new byte[1];
    private ExecutorService pool;

    // the current frame
    private FrameFormat.Parsed frame;
    private BlockCodec codec;
    private ConcurrentLinkedQueue<BlockCodec.BlockDecoder> decoders;
    private long blocksParsed;
    private long rawParsed;
    private boolean structureDone;
    private long endAt;
    private int endCrc;

    // the block being read out
    private Block current;
    private int currentPos;

    private boolean eof;
    private boolean closed;
    private IOException failure;

    /** A decoded, verified block: {@code data[0..len)}; {@code payload} is a buffer to recycle (or null). */
    private record Block(byte[] data, int len, byte[] payload) {
    }

    /**
     * Opens a stream of one or more concatenated frames and checks the first header.
     *
     * @param in      the compressed bytes; closed by {@link #close()}
     * @param codecs  the block codec for a frame's codec id, or null when unknown
     *                (e.g. {@code CodecRegistry.getDefault()::blockCodec})
     * @param options threads and codec extras (e.g. which model to use)
     * @throws CorruptInputException for a bad header, an unknown codec or a model mismatch
     * @throws IOException           when reading fails
     */
    public OccInputStream(InputStream in, Function<String, BlockCodec> codecs, CodecOptions options)
            throws IOException {
        this(in, codecs, options, true);
    }

    /**
     * Like {@link #OccInputStream(InputStream, Function, CodecOptions)}; with {@code concatenated}
     * false only the first frame is decoded and {@code in} is left positioned just after its end
     * marker (nothing after it is read or checked).
     */
    public OccInputStream(InputStream in, Function<String, BlockCodec> codecs, CodecOptions options,
                          boolean concatenated) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.options = Objects.requireNonNull(options, "options");
        this.concatenated = concatenated;
        this.src = new FrameReader(in, 0);
        this.threads = options.effectiveThreads();
        this.maxInFlight = threads > 1 ? 2 * threads : 1;
        readFirstMagic(src);
        startFrame(0);
    }

    /** Reads the magic at the start of the input (the running CRC started before it). */
    private static void readFirstMagic(FrameReader r) throws IOException {
        r.crcStart();
        byte[] magic = new byte[FrameFormat.MAGIC.length];
        int n = 0;
        for (int b; n < magic.length && (b = r.read()) >= 0; ) magic[n++] = (byte) b;
        if (n == 0) throw new CorruptInputException(0, "truncated: the input is empty (no .occ frame header)");
        if (!Arrays.equals(magic, 0, n, FrameFormat.MAGIC, 0, n)) {
            throw new CorruptInputException(0, "not an .occ frame (wrong magic bytes)");
        }
        if (n < magic.length) throw r.truncated("frame header");
    }

    /** The header of the frame being decoded (the first frame until a following one starts). */
    public FrameHeader header() {
        return frame.header();
    }

    /** Compressed bytes consumed from the underlying stream so far (read-ahead of in-flight blocks included). */
    public long compressedBytesRead() {
        return src.pos();
    }

    /** True when {@code head[0..len)} begins with the .occ magic bytes. */
    public static boolean matchesMagic(byte[] head, int len) {
        return FrameFormat.matchesMagic(head, len);
    }

    /**
     * Walks one frame's structure without decoding: the header, each block header (their
     * checksums are verified, payloads skipped) and the end marker. {@code in} is left just after
     * the frame. Codec and model are not looked up.
     *
     * @throws CorruptInputException when the structure is damaged or truncated
     */
    public static FrameInfo scan(InputStream in) throws IOException {
        return scan(new FrameReader(in, 0), true);
    }

    /**
     * Scans every concatenated frame of the stream to its end ({@link #scan} for each);
     * bytes after an end marker that do not start a frame are refused as trailing garbage.
     */
    public static List<FrameInfo> scanAll(InputStream in) throws IOException {
        FrameReader r = new FrameReader(in, 0);
        List<FrameInfo> frames = new ArrayList<>();
        frames.add(scan(r, true));
        while (true) {
            long at = r.pos();
            r.crcStart();
            if (!readMagicAfterFrame(r, at)) return frames;
            frames.add(scan(r, false));
        }
    }

    private static FrameInfo scan(FrameReader r, boolean readMagic) throws IOException {
        long start = readMagic ? r.pos() : r.pos() - FrameFormat.MAGIC.length;
        if (readMagic) readFirstMagic(r);
        FrameHeader h = FrameFormat.readHeaderAfterMagic(r, start).header();
        byte[] scratch = new byte[1 << 16];
        long blocks = 0;
        long raw = 0;
        while (true) {
            long at = r.pos();
            BlockHead b = readBlockHead(r, h, blocks + 1);
            if (b == null) break;
            blocks++;
            raw += b.rawLen;
            if (h.originalLength() >= 0 && raw > h.originalLength()) throw tooLong(at, h);
            r.skipPayload(b.payloadLen(), scratch, "payload of block " + blocks);
        }
        EndMarker end = readEndMarker(r);
        if (end.total != raw) throw totalMismatch(end.at, end.total, raw);
        if (h.originalLength() >= 0 && end.total != h.originalLength()) throw originalMismatch(end.at, h);
        return new FrameInfo(h, blocks, raw, r.pos() - start);
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("stream closed");
        if (failure != null) throw again(failure);
        if (len == 0) return 0;
        try {
            while (current == null || currentPos == current.len) {
                if (eof || !advance()) return -1;
            }
            int n = Math.min(len, current.len - currentPos);
            System.arraycopy(current.data, currentPos, b, off, n);
            currentPos += n;
            return n;
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int available() {
        return current == null || closed ? 0 : current.len - currentPos;
    }

    /** Stops the workers and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        cancelPending();
        closeIdleDecoders();
        in.close();
    }

    // --- frames ---------------------------------------------------------------------------------

    /** Parses a header whose magic (at {@code start}) has been read, looks up the codec and checks the model. */
    private void startFrame(long start) throws IOException {
        frame = FrameFormat.readHeaderAfterMagic(src, start);
        FrameHeader h = frame.header();
        BlockCodec c = codecs.apply(h.codecId());
        if (c == null) {
            throw new CorruptInputException(frame.codecIdOffset(),
                    "unknown codec \"" + h.codecId() + "\" (this build has no block codec with that id)");
        }
        byte[] fp = h.modelFingerprint();
        if (fp != null) {
            byte[] given = c.modelFingerprint(options, h);
            if (!Arrays.equals(fp, given)) {
                String yours;
                if (given == null || given.length == 0) yours = "you gave model none (pass the same model, e.g. --model)";
                else if (options.extra("model") == null) {
                    yours = "you gave no model, so the built-in model (" + Fingerprints.shortHex(given)
                            + ") was used (pass the same model, e.g. --model)";
                } else yours = "you gave model " + Fingerprints.shortHex(given);
                throw new CorruptInputException(frame.fingerprintOffset(), "this file was compressed with model "
                        + Fingerprints.shortHex(fp) + "; " + yours);
            }
        }
        ConcurrentLinkedQueue<BlockCodec.BlockDecoder> pool0 = new ConcurrentLinkedQueue<>();
        try {
            pool0.add(c.newDecoder(h, options)); // the codec refuses parameters / models here
        } catch (CorruptInputException e) {
            throw new CorruptInputException(frame.parametersOffset(), e.reason(), e);
        } catch (RuntimeException e) {
            throw new CorruptInputException(frame.parametersOffset(),
                    "codec " + h.codecId() + " refused the frame parameters: " + e, e);
        }
        codec = c;
        closeIdleDecoders(); // the previous frame's
        decoders = pool0;
        blocksParsed = 0;
        rawParsed = 0;
        structureDone = false;
        contentCrc.reset();
        if (threads > 1 && pool == null) pool = Workers.newPool(threads, "decoder");
    }

    /** Makes the next block current; false at the end of the input. */
    private boolean advance() throws IOException {
        if (current != null) {
            recycle(current.data);
            current = null;
        }
        while (true) {
            fill();
            if (!pending.isEmpty()) {
                Block b = Workers.await(pending.poll());
                if (b.payload != null) recycle(b.payload);
                contentCrc.update(b.data, 0, b.len);
                current = b;
                currentPos = 0;
                return true;
            }
            // every block of this frame has been released: check the whole content
            if ((int) contentCrc.getValue() != endCrc) {
                throw new CorruptInputException(endAt, "content checksum mismatch (the blocks do not add up to the original)");
            }
            if (!concatenated) return finishInput();
            long at = src.pos();
            src.crcStart();
            if (!readMagicAfterFrame(src, at)) return finishInput();
            startFrame(at);
        }
    }

    private boolean finishInput() {
        eof = true;
        if (pool != null) pool.shutdownNow();
        closeIdleDecoders();
        return false;
    }

    /** Releases the idle decoders of the current frame (one still running on a cancelled worker is left to its own cleanup). */
    private void closeIdleDecoders() {
        ConcurrentLinkedQueue<BlockCodec.BlockDecoder> q = decoders;
        if (q == null) return;
        for (BlockCodec.BlockDecoder d; (d = q.poll()) != null; ) {
            try {
                d.close();
            } catch (IOException | RuntimeException ignored) {
                // releasing resources on the way out
            }
        }
    }

    /**
     * After an end marker: false at the end of input, true when a full magic follows (it has been
     * read), else trailing garbage.
     */
    private static boolean readMagicAfterFrame(FrameReader r, long at) throws IOException {
        for (int i = 0; i < FrameFormat.MAGIC.length; i++) {
            int b = r.read();
            if (b < 0 && i == 0) return false;
            if (b != (FrameFormat.MAGIC[i] & 0xFF)) {
                throw new CorruptInputException(at, "trailing garbage after the end of the frame");
            }
        }
        return true;
    }

    /** Parses block headers and reads payloads ahead, submitting their decoding, up to maxInFlight. */
    private void fill() {
        while (!structureDone && pending.size() < maxInFlight) {
            try {
                parseNext();
            } catch (IOException | RuntimeException e) {
                pending.add(CompletableFuture.failedFuture(e)); // reported in stream order
                structureDone = true;
            }
        }
    }

    private void parseNext() throws IOException {
        FrameHeader h = frame.header();
        long at = src.pos();
        long index = blocksParsed + 1;
        BlockHead b = readBlockHead(src, h, index);
        if (b == null) {
            EndMarker end = readEndMarker(src);
            structureDone = true;
            if (end.total != rawParsed) throw totalMismatch(end.at, end.total, rawParsed);
            if (h.originalLength() >= 0 && end.total != h.originalLength()) throw originalMismatch(end.at, h);
            endAt = end.at;
            endCrc = end.contentCrc;
            return;
        }
        blocksParsed = index;
        rawParsed += b.rawLen;
        if (h.originalLength() >= 0 && rawParsed > h.originalLength()) throw tooLong(at, h);
        byte[] data = takeBuffer(b.rawLen);
        long payloadAt = src.pos();
        String what = "payload of block " + index;
        if (!b.coded) {
            src.readPayload(data, 0, b.rawLen, what);
            pending.add(Workers.submit(pool, () -> verify(new Block(data, b.rawLen, null), b, at, index)));
            return;
        }
        byte[] payload = takeBuffer(b.codedLen);
        src.readPayload(payload, 0, b.codedLen, what);
        BlockCodec c = codec;
        ConcurrentLinkedQueue<BlockCodec.BlockDecoder> decs = decoders;
        CodecOptions o = options;
        pending.add(Workers.submit(pool, () -> decode(c, h, o, decs, payload, data, b, at, payloadAt, index)));
    }

    /** Runs on a worker: decodes one block, converting every decoder failure to CorruptInputException. */
    private static Block decode(BlockCodec codec, FrameHeader h, CodecOptions options,
                                ConcurrentLinkedQueue<BlockCodec.BlockDecoder> decoders, byte[] payload, byte[] data,
                                BlockHead b, long at, long payloadAt, long index) throws IOException {
        if (FrameFormat.crc32c(payload, 0, b.codedLen) != b.codedCrc) {
            throw new CorruptInputException(payloadAt, "block " + index + ": checksum mismatch in the coded data");
        }
        BlockCodec.BlockDecoder d = decoders.poll();
        try {
            if (d == null) d = codec.newDecoder(h, options);
            d.decode(payload, 0, b.codedLen, data, 0, b.rawLen);
        } catch (CorruptInputException e) {
            long rel = e.offset();
            long off = rel < 0 ? at : payloadAt + Math.min(rel, b.codedLen);
            throw new CorruptInputException(off, "block " + index + ": " + e.reason(), e);
        } catch (IOException | RuntimeException e) {
            throw new CorruptInputException(at, "block " + index + " could not be decoded: " + e, e);
        }
        decoders.add(d); // only a decoder that did not fail is reused
        return verify(new Block(data, b.rawLen, payload), b, at, index);
    }

    private static Block verify(Block block, BlockHead b, long at, long index) throws IOException {
        if (FrameFormat.crc32c(block.data, 0, block.len) != b.rawCrc) {
            throw new CorruptInputException(at, "block " + index + ": checksum mismatch in the decoded data");
        }
        return block;
    }

    private byte[] takeBuffer(int size) {
        for (int i = freeBuffers.size(); i > 0; i--) {
            byte[] b = freeBuffers.poll();
            if (b.length >= size) return b;
            freeBuffers.add(b);
        }
        return new byte[size];
    }

    private void recycle(byte[] b) {
        if (freeBuffers.size() <= maxInFlight) freeBuffers.add(b);
    }

    // --- structure --------------------------------------------------------------------------------

    /** A block header: coded or stored, lengths, CRC32C of the coded payload (coded only) and of the decoded bytes. */
    private record BlockHead(boolean coded, int rawLen, int codedLen, int codedCrc, int rawCrc) {
        int payloadLen() {
            return coded ? codedLen : rawLen;
        }
    }

    private record EndMarker(long at, long total, int contentCrc) {
    }

    /** Reads a block header (its checksum verified), or null after reading the end marker's type byte. */
    private static BlockHead readBlockHead(FrameReader r, FrameHeader h, long index) throws IOException {
        long at = r.pos();
        r.crcStart();
        String what = "header of block " + index;
        int type = r.read();
        if (type < 0) throw new CorruptInputException(at, "truncated: the input ends before the end marker");
        if (type == FrameFormat.TYPE_END) return null;
        if (type != FrameFormat.TYPE_STORED && type != FrameFormat.TYPE_CODED) {
            throw new CorruptInputException(at, String.format("unknown block type 0x%02x", type));
        }
        boolean coded = type == FrameFormat.TYPE_CODED;
        long rawAt = r.pos();
        int raw = (int) r.readVarint(h.blockSize(), "raw length of block " + index, what);
        if (raw == 0) throw new CorruptInputException(rawAt, "empty block " + index);
        int codedLen = raw;
        int codedCrc = 0;
        if (coded) {
            codedLen = (int) r.readVarint(raw - 1L, "coded length of block " + index, what);
            codedCrc = r.readU32(what);
        }
        int rawCrc = r.readU32(what);
        int computed = r.crcValue();
        if (r.readU32(what) != computed) throw new CorruptInputException(at, "block " + index + ": header checksum mismatch");
        return new BlockHead(coded, raw, codedLen, codedCrc, rawCrc);
    }

    /** Reads the rest of an end marker whose type byte has been read. */
    private static EndMarker readEndMarker(FrameReader r) throws IOException {
        long at = r.pos() - 1;
        long total = r.readVarint(Long.MAX_VALUE, "total length", "end marker");
        int crc = r.readU32("end marker");
        return new EndMarker(at, total, crc);
    }

    private static CorruptInputException totalMismatch(long at, long total, long raw) {
        return new CorruptInputException(at, "the end marker says " + total + " bytes but the blocks hold " + raw);
    }

    private static CorruptInputException originalMismatch(long at, FrameHeader h) {
        return new CorruptInputException(at, "the content length differs from the original length "
                + h.originalLength() + " in the header");
    }

    private static CorruptInputException tooLong(long at, FrameHeader h) {
        return new CorruptInputException(at, "the blocks hold more than the original length "
                + h.originalLength() + " in the header");
    }

    // --- failures ---------------------------------------------------------------------------------

    private IOException fail(Exception e) {
        IOException io = e instanceof IOException x ? x : new IOException("frame reader failed: " + e, e);
        if (failure == null) failure = io;
        cancelPending();
        return io;
    }

    private void cancelPending() {
        for (Future<Block> f : pending) f.cancel(true);
        pending.clear();
        if (pool != null) pool.shutdownNow();
    }

    private static IOException again(IOException e) {
        if (e instanceof CorruptInputException c) return new CorruptInputException(c.offset(), c.reason(), c);
        return new IOException(e.getMessage(), e);
    }
}
