package dev.occam.lm.cm;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.BinaryDecoder;
import dev.occam.core.coding.BinaryEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Block encode/decode loops around one {@link CmModel}; one instance per worker thread. */
final class CmBlockCoder {
    private final CmModel model;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    CmBlockCoder(int tableBits, int matchBits) {
        this.model = new CmModel(tableBits, matchBits);
    }

    byte[] encode(byte[] src, int off, int len) throws IOException {
        out.reset();
        BinaryEncoder enc = new BinaryEncoder(out);
        CmModel m = model;
        m.reset(src, off, len);
        for (int k = off, end = off + len; k < end; k++) {
            int c = src[k] & 0xFF;
            for (int b = 7; b >= 0; b--) {
                int bit = (c >>> b) & 1;
                enc.encode(bit, m.p() << 4); // 12-bit P(1) -> 16-bit
                m.update(bit);
            }
            m.byteDone();
        }
        enc.finish();
        return out.toByteArray();
    }

    void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException {
        BinaryDecoder dec = new BinaryDecoder(src, off, len);
        CmModel m = model;
        m.reset(dst, dstOff, dstLen);
        for (int k = dstOff, end = dstOff + dstLen; k < end; k++) {
            int c = 1;
            for (int b = 0; b < 8; b++) {
                int bit = dec.decode(m.p() << 4);
                m.update(bit);
                c = c << 1 | bit;
            }
            dst[k] = (byte) c;
            m.byteDone();
        }
        if (dec.bytesRead() < len) {
            throw new CorruptInputException(dec.bytesRead(), "cm: " + (len - dec.bytesRead())
                    + " unused bytes at the end of the block");
        }
    }
}
