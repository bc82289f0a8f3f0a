package dev.occam.core.o2;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.container.FrameHeader;
import java.io.IOException;

/**
 * {@code o2}: an adaptive order-2 context model over bytes, coded with the range coder.
 *
 * <p>Each byte is coded as eight binary decisions, most significant bit first. The probability
 * of each decision is looked up in a table indexed by a hash of the two previous bytes and the
 * bits of the current byte coded so far, and adapts after every decision with a count-based rate
 * (fast at first, settling to 1/{@value O2Model#RATE_LIMIT}). Blocks are independent: the model
 * starts fresh in each block, so blocks code in parallel ({@code -T}).
 *
 * <p>Memory: {@code 3 * 2^tableBits} bytes per worker: 12 MiB at the default 22 bits, less for
 * small blocks, whose table is sized to the block ({@link #tableBits(int)}).
 *
 * <p>Frame parameters: {@code [version=1][tableBits]}.
 */
public final class O2Codec implements BlockCodec {
    static final int PARAMS_VERSION = 1;

    @Override
    public String id() {
        return "o2";
    }

    @Override
    public String description() {
        return "Occam order-2 context model + range coder (adaptive, block-parallel)";
    }

    @Override
    public byte[] parameters(CodecOptions options) {
        return new byte[] {PARAMS_VERSION, (byte) tableBits(blockSize(options))};
    }

    @Override
    public BlockEncoder newEncoder(CodecOptions options) {
        O2Model model = new O2Model(tableBits(blockSize(options)));
        return model::encode;
    }

    private int blockSize(CodecOptions options) {
        return options.blockSize() > 0 ? options.blockSize() : defaultBlockSize();
    }

    /**
     * Table size for a block size: a block of n bytes visits at most n contexts, so 2^(bits-8)
     * context slots of 256 nodes need not exceed about n/16; clamped to [16, 22] bits.
     */
    static int tableBits(int blockSize) {
        int bits = 8 + (32 - Integer.numberOfLeadingZeros(Math.max(1, blockSize / 16)));
        return Math.max(O2Model.MIN_TABLE_BITS, Math.min(O2Model.DEFAULT_TABLE_BITS, bits));
    }

    @Override
    public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException {
        byte[] p = header.parameters();
        if (p.length != 2 || p[0] != PARAMS_VERSION) {
            throw new CorruptInputException(-1, "o2: unsupported parameters (version " + (p.length > 0 ? p[0] : -1)
                    + "; this build reads version " + PARAMS_VERSION + ")");
        }
        int tableBits = p[1];
        if (tableBits < O2Model.MIN_TABLE_BITS || tableBits > O2Model.MAX_TABLE_BITS) {
            throw new CorruptInputException(-1, "o2: table size 2^" + tableBits + " out of range");
        }
        O2Model model = new O2Model(tableBits);
        return model::decode;
    }
}
