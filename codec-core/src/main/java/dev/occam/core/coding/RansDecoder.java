package dev.occam.core.coding;

import dev.occam.core.CorruptInputException;
import dev.occam.core.model.CdfModel;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streaming decoder for {@link RansEncoder} output: reads one chunk record at a time (exactly its
 * bytes, never beyond the end record), then decodes its symbols on demand with the same models in
 * the same order. At the end of each chunk all lanes must be back at the initial state and all
 * words consumed, which detects most corruption; reading past the end record, truncation and
 * malformed records throw {@link CorruptInputException}.
 */
public final class RansDecoder {
    private static final long L = RansEncoder.L;

    private final InputStream in;
    private long offset; // bytes consumed from the stream
    private byte[] chunk = new byte[256];
    private int p; // read position in chunk (words)
    private int wordsEnd;
    private long chunkStart;
    private int count; // symbols in the current chunk
    private int index; // next symbol index in the chunk
    private final long[] x = new long[RansEncoder.WAYS];
    private boolean ended;

    /** Decoder reading records from {@code in} (exactly the encoder's bytes are consumed). */
    public RansDecoder(InputStream in) {
        if (in == null) throw new NullPointerException("in");
        this.in = in;
    }

    /** Decodes the next symbol with {@code model} (the one used to encode it). */
    public int decode(CdfModel model) throws IOException {
        if (index == count) nextChunk();
        int prec = model.precisionBits();
        int j = index & 3;
        long s = x[j];
        int slot = (int) (s & ((1 << prec) - 1));
        int sym = model.symbolForSlot(slot);
        int cum = model.cumFreq(sym);
        int f = model.freq(sym);
        if (slot < cum || slot - cum >= f) throw new CorruptInputException(chunkStart, "model maps slot " + slot + " outside symbol " + sym);
        s = f * (s >>> prec) + slot - cum; // x' = f floor(x/2^P) + (x mod 2^P) - c
        if (s < L) {
            if (p + 4 > wordsEnd) throw new CorruptInputException(chunkStart, "rANS chunk: words exhausted");
            s = (s << 32) | (chunk[p] & 0xFFL) | (chunk[p + 1] & 0xFFL) << 8 | (chunk[p + 2] & 0xFFL) << 16 | (chunk[p + 3] & 0xFFL) << 24;
            p += 4;
        }
        x[j] = s;
        if (++index == count) checkChunkEnd();
        return sym;
    }

    /** Bytes consumed from the stream so far. */
    public long bytesRead() {
        return offset;
    }

    private void checkChunkEnd() throws CorruptInputException {
        for (long v : x) if (v != L) throw new CorruptInputException(chunkStart, "rANS chunk: final state mismatch (corrupt data)");
        if (p != wordsEnd) throw new CorruptInputException(chunkStart, "rANS chunk: unused words (corrupt data)");
    }

    private void nextChunk() throws IOException {
        if (ended) throw new CorruptInputException(offset, "read past the end of the rANS stream");
        chunkStart = offset;
        int n = readVarint();
        if (n == 0) {
            ended = true;
            throw new CorruptInputException(offset, "read past the end of the rANS stream");
        }
        int nw = readVarint();
        if (n > RansEncoder.CHUNK || nw > n) throw new CorruptInputException(chunkStart, "rANS chunk header out of range: " + n + " symbols, " + nw + " words");
        int lanes = Math.min(n, RansEncoder.WAYS);
        int size = 8 * lanes + 4 * nw;
        if (chunk.length < size) chunk = new byte[Math.max(size, 2 * chunk.length)];
        readFully(chunk, size);
        for (int j = 0; j < RansEncoder.WAYS; j++) {
            long v = L;
            if (j < lanes) {
                v = 0;
                for (int k = 7; k >= 0; k--) v = (v << 8) | (chunk[8 * j + k] & 0xFF);
                if (v < L || v >= L << 32) throw new CorruptInputException(chunkStart, "rANS chunk: state out of range");
            }
            x[j] = v;
        }
        p = 8 * lanes;
        wordsEnd = size;
        count = n;
        index = 0;
    }

    private int readVarint() throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.read();
            if (b < 0) throw new CorruptInputException(offset, "truncated rANS stream (missing chunk header)");
            offset++;
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) break;
                return v;
            }
        }
        throw new CorruptInputException(offset, "rANS chunk header: bad varint");
    }

    private void readFully(byte[] b, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int r = in.read(b, got, len - got);
            if (r == 0) { // misbehaving stream: fall back to single-byte reads
                r = in.read();
                if (r >= 0) b[got++] = (byte) r;
            } else if (r > 0) {
                got += r;
            }
            if (r < 0) throw new CorruptInputException(offset + got, "truncated rANS chunk (" + got + " of " + len + " bytes)");
        }
        offset += len;
    }

}
