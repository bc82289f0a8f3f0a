package dev.occam.lm.cm;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.container.FrameHeader;
import java.io.IOException;

/**
 * {@code cm}: a byte-level context-mixing model in the lpaq/paq tradition, coded bit by bit with
 * the binary arithmetic coder.
 *
 * <p>Per bit, the predictors are: hashed context models of orders 2, 4 and 6 and a word model
 * (current word + previous byte), storing nonstationary bit-history states in 16-byte nibble
 * slots with an 8-bit checksum (3-way buckets, least-used replaced); a direct order-1
 * model; and a match model that predicts the next bit from the most recent repeat of the last 8+
 * bytes. Each state becomes a probability through an adaptive map; the stretched probabilities
 * are combined by a logistic mixer whose weight set is selected by the match length and the
 * partial byte (training skipped on well-predicted bits), and an APM/SSE stage (partial byte and
 * 5 bits of the previous byte) refines the result. Everything is integer arithmetic with tables
 * built by {@link StrictMath}: encoder and decoder agree bit for bit on every JVM.
 *
 * <p>Levels 1..{@value #MAX_LEVEL} select the hash table: {@code 2^(23 + level)} bytes (16 MiB at
 * level 1, 64 MiB at the default level {@value #DEFAULT_LEVEL}), plus a match table of up to
 * 16 MiB and about 1 MiB of maps, mixer and APM: about 81 MiB per worker at the default (plus
 * the frame's block buffers). Tables are sized down to the block (about 64 bytes per input byte),
 * so small inputs stay small and fast.
 *
 * <p>Frame parameters: {@code [version=1][level]}. Default block size 8 MiB (long enough for the
 * model to learn; the frame keeps up to two blocks per thread in flight). Level 5 (256 MiB of
 * hash table) is for inputs far larger than the Canterbury/world192 texts.
 */
public final class CmCodec implements BlockCodec {
    static final int PARAMS_VERSION = 1;
    /** Lowest level: 16 MiB of hash table. */
    public static final int MIN_LEVEL = 1;
    /** Highest level: 256 MiB of hash table. */
    public static final int MAX_LEVEL = 5;
    /** Default level: 64 MiB of hash table. */
    public static final int DEFAULT_LEVEL = 3;
    private static final int MATCH_BITS = 22;

    /** Hash table bytes (log2) at a level: 23 + level. */
    public static int tableBits(int level) {
        return 23 + level;
    }

    /** Approximate model memory per worker at a level, in bytes (hash table, match table, maps). */
    public static long memoryBytes(int level) {
        return (1L << tableBits(level)) + (4L << MATCH_BITS) + (1L << 20);
    }

    @Override
    public String id() {
        return "cm";
    }

    @Override
    public String description() {
        return "Occam context mixing (orders 1, 2, 4, 6, word, match; lpaq-style) + binary arithmetic coder";
    }

    @Override
    public int minLevel() {
        return MIN_LEVEL;
    }

    @Override
    public int maxLevel() {
        return MAX_LEVEL;
    }

    @Override
    public int defaultLevel() {
        return DEFAULT_LEVEL;
    }

    @Override
    public int defaultBlockSize() {
        return 8 << 20;
    }

    private static int level(CodecOptions options) throws IOException {
        int level = options.levelOr(DEFAULT_LEVEL);
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new IOException("cm: level " + level + " out of range " + MIN_LEVEL + ".." + MAX_LEVEL);
        }
        return level;
    }

    @Override
    public byte[] parameters(CodecOptions options) throws IOException {
        return new byte[] {PARAMS_VERSION, (byte) level(options)};
    }

    @Override
    public BlockEncoder newEncoder(CodecOptions options) throws IOException {
        CmBlockCoder coder = new CmBlockCoder(tableBits(level(options)), MATCH_BITS);
        return coder::encode;
    }

    @Override
    public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException {
        byte[] p = header.parameters();
        if (p.length != 2 || p[0] != PARAMS_VERSION) {
            throw new CorruptInputException(-1, "cm: unsupported parameters (version " + (p.length > 0 ? p[0] : -1)
                    + "; this build reads version " + PARAMS_VERSION + ")");
        }
        int level = p[1];
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new CorruptInputException(-1, "cm: level " + level + " out of range " + MIN_LEVEL + ".." + MAX_LEVEL);
        }
        CmBlockCoder coder = new CmBlockCoder(tableBits(level), MATCH_BITS);
        return coder::decode;
    }
}
