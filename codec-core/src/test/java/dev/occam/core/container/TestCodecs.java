package dev.occam.core.container;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/** Block codecs for the frame tests, constructed directly (never registered as services). */
final class TestCodecs {
    private TestCodecs() {
    }

    /** Looks codecs up by id among the given ones. */
    static Function<String, BlockCodec> lookup(BlockCodec... codecs) {
        return id -> {
            for (BlockCodec c : codecs) if (c.id().equals(id)) return c;
            return null;
        };
    }

    /** Codes a block as itself: never smaller, so every block is stored raw. */
    static final class Identity implements BlockCodec {
        @Override
        public String id() {
            return "test-identity";
        }

        @Override
        public String description() {
            return "identity (test)";
        }

        @Override
        public byte[] parameters(CodecOptions options) {
            return new byte[0];
        }

        @Override
        public BlockEncoder newEncoder(CodecOptions options) {
            return (src, off, len) -> Arrays.copyOfRange(src, off, off + len);
        }

        @Override
        public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) {
            return (src, off, len, dst, dstOff, dstLen) -> {
                if (len != dstLen) throw new CorruptInputException(0, "identity block of the wrong length");
                System.arraycopy(src, off, dst, dstOff, len);
            };
        }
    }

    /**
     * Run-length coding: pairs (run length - 1, byte value), runs of 1..256. Shrinks runs, doubles
     * noise (then the frame stores the block raw). The parameter byte is the level (1..9).
     */
    static class RunLength implements BlockCodec {
        @Override
        public String id() {
            return "test-rle";
        }

        @Override
        public String description() {
            return "run-length (test)";
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
        public byte[] parameters(CodecOptions options) {
            return new byte[] {(byte) options.levelOr(defaultLevel())};
        }

        @Override
        public byte[] modelFingerprint(CodecOptions options) {
            String model = options.extra("model");
            return model == null ? null : Fingerprints.sha256(model.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public BlockEncoder newEncoder(CodecOptions options) throws IOException {
            return RunLength::encode;
        }

        @Override
        public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException {
            byte[] p = header.parameters();
            if (p.length != 1 || p[0] < 1 || p[0] > 9) throw new CorruptInputException(-1, "bad test-rle parameters");
            return RunLength::decode;
        }

        static byte[] encode(byte[] src, int off, int len) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int i = 0;
            while (i < len) {
                int run = 1;
                while (i + run < len && run < 256 && src[off + i + run] == src[off + i]) run++;
                out.write(run - 1);
                out.write(src[off + i]);
                i += run;
            }
            return out.toByteArray();
        }

        static void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException {
            if ((len & 1) != 0) throw new CorruptInputException(len, "odd run-length block");
            int o = 0;
            for (int i = 0; i < len; i += 2) {
                int run = (src[off + i] & 0xFF) + 1;
                if (o + run > dstLen) throw new CorruptInputException(i, "run past the end of the block");
                Arrays.fill(dst, dstOff + o, dstOff + o + run, src[off + i + 1]);
                o += run;
            }
            if (o != dstLen) throw new CorruptInputException(len, "block ends early");
        }
    }

    /** Run-length with another id (for frames that must not be found). */
    static final class Renamed extends RunLength {
        private final String id;

        Renamed(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** Always codes a block to more bytes than it has: every block must be stored. */
    static final class Expanding implements BlockCodec {
        @Override
        public String id() {
            return "test-expand";
        }

        @Override
        public String description() {
            return "expanding (test)";
        }

        @Override
        public byte[] parameters(CodecOptions options) {
            return new byte[0];
        }

        @Override
        public BlockEncoder newEncoder(CodecOptions options) {
            return (src, off, len) -> new byte[len + 10];
        }

        @Override
        public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) {
            return (src, off, len, dst, dstOff, dstLen) -> {
                throw new AssertionError("a stored block was given to the decoder");
            };
        }
    }

    /** Run-length encoder; the decoder is buggy and throws ArrayIndexOutOfBoundsException. */
    static final class ThrowingDecoder extends RunLength {
        @Override
        public String id() {
            return "test-throwing";
        }

        @Override
        public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) {
            return (src, off, len, dst, dstOff, dstLen) -> {
                int[] none = new int[0];
                dst[dstOff] = (byte) none[len];
            };
        }
    }

    /** Run-length encoder that fails on any block containing the byte {@code poison}. */
    static final class FailingEncoder extends RunLength {
        private final byte poison;
        private final boolean unchecked;

        FailingEncoder(byte poison, boolean unchecked) {
            this.poison = poison;
            this.unchecked = unchecked;
        }

        @Override
        public String id() {
            return "test-failing";
        }

        @Override
        public BlockEncoder newEncoder(CodecOptions options) {
            return (src, off, len) -> {
                for (int i = off; i < off + len; i++) {
                    if (src[i] == poison) {
                        if (unchecked) throw new IllegalStateException("poison byte seen");
                        throw new IOException("poison byte seen");
                    }
                }
                return RunLength.encode(src, off, len);
            };
        }
    }

    /** Options with a block size, threads and (optionally) a model name. */
    static CodecOptions options(int blockSize, int threads) {
        return new CodecOptions(CodecOptions.DEFAULT_LEVEL, threads, blockSize, Map.of());
    }
}
