package dev.occam.cli;

import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.pc.Idx;
import dev.occam.pc.Images;
import dev.occam.pc.PcCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How {@code occam compress} treats one input for codec pc, from its first bytes (files and stdin
 * alike; the stream is peeked; on stdin, when pc would be chosen automatically, the input is read up
 * to pc's limit of {@link PcCodec#IMAGE_BLOCK} bytes + 1 first, so that it is checked as a file is,
 * and an input over the limit gets the default codec):
 * <ul>
 *   <li>no {@code --codec}: pc for an 8-bit PGM/PPM/PNG image that pc can code (the built-in patch
 *       model; a corrupt or truncated image gets the default codec, said with -v) and for an
 *       IDX file of the built-in MNIST model's image size that is not truncated; everything else, and a
 *       truncated IDX file (with a warning), gets the default codec;</li>
 *   <li>{@code --codec pc}: images get the patch model ({@code input=image}); an image pc cannot code
 *       (16-bit, palette, interlaced, malformed, larger than a block) or a truncated IDX file is an error
 *       and nothing is written.</li>
 * </ul>
 */
final class PcChoice {
    /**
     * The decision for one input.
     *
     * @param codec     the codec to use
     * @param options   its options
     * @param note      a message for stderr (null: none)
     * @param warning   print the note even without -v
     * @param head      input bytes already read (the whole input for images and for stdin inputs pc was
     *                  chosen for automatically, up to pc's limit + 1 byte), to code before the rest of the
     *                  stream; null: nothing was read
     * @param idxLength bytes an IDX input must have (its header's count x size + 16), 0 = no check
     * @param idxDims   the IDX header's {count, rows, cols}
     */
    record Choice(Codec codec, CodecOptions options, String note, boolean warning, byte[] head, long idxLength, int[] idxDims) {
    }

    private PcChoice() {
    }

    static Choice choose(Env env, InputStream in, long known, String codecName, boolean modelGiven, Codec codec,
                         CodecOptions options) throws IOException {
        boolean auto = codecName == null;
        boolean explicitPc = "pc".equals(codecName) || (codec != null && "pc".equals(codec.name()) && !auto);
        if (!auto && !explicitPc) return new Choice(codec, options, null, false, null, 0, null);
        if (auto && modelGiven) return new Choice(codec, options, null, false, null, 0, null);
        Codec pc = env.registry.get("pc");
        if (pc == null) return new Choice(codec, options, null, false, null, 0, null);
        in.mark(Images.SNIFF_BYTES);
        byte[] head = in.readNBytes(Images.SNIFF_BYTES);
        in.reset();
        Images.Sniff s = Images.sniff(head, head.length);
        if (auto && s.kind() == Images.Kind.OTHER) return new Choice(codec, options, null, false, null, 0, null);
        // stdin, pc chosen automatically: read the input up to pc's limit so that it is checked as a file
        // would be; nothing has been written yet, so any input can still go to the default codec
        byte[] buffered = null;
        if (auto && known < 0 && s.kind() != Images.Kind.OTHER && s.codable()) {
            buffered = in.readNBytes(PcCodec.IMAGE_BLOCK + 1);
            if (buffered.length > PcCodec.IMAGE_BLOCK) {
                // an IDX file pc would take by path: say so even without -v
                int[] size = s.kind() == Images.Kind.IDX ? PcCodec.builtinImageSize() : null;
                boolean wouldBePc = size != null && size[0] == s.rows() && size[1] == s.cols();
                return new Choice(codec, options, "not coded with pc (input larger than pc's limit of " + PcCodec.IMAGE_BLOCK
                        + " bytes on stdin" + (wouldBePc ? "; give the file by path or use --codec pc" : "") + "); compressing with "
                        + codec.name(), wouldBePc, buffered, 0, null);
            }
            known = buffered.length;
        }
        switch (s.kind()) {
            case PNG, PNM -> {
                if (!s.codable()) {
                    if (explicitPc) throw new IOException("pc: " + s.detail());
                    return new Choice(codec, options, null, false, null, 0, null);
                }
                if (known > PcCodec.IMAGE_BLOCK) {
                    if (explicitPc) throw new IOException("pc: image file of " + known + " bytes is larger than pc's limit of " + PcCodec.IMAGE_BLOCK);
                    return new Choice(codec, options, "not coded with pc (image file of " + known + " bytes is larger than pc's limit of "
                            + PcCodec.IMAGE_BLOCK + " bytes); compressing with " + codec.name(), false, null, 0, null);
                }
                byte[] whole = buffered != null ? buffered : in.readNBytes(PcCodec.IMAGE_BLOCK + 1);
                if (whole.length > PcCodec.IMAGE_BLOCK) throw new IOException("pc: image larger than pc's limit of " + PcCodec.IMAGE_BLOCK + " bytes");
                CodecOptions o = options.with("input", "image");
                String note;
                try {
                    note = "pc: " + Images.describe(whole, false, "image");
                } catch (IOException e) {
                    String why = e.getMessage().replaceFirst("^image: ", "");
                    if (explicitPc) throw new IOException("pc: " + why);
                    return new Choice(codec, options, "not coded with pc (" + why + "); compressing with " + codec.name(), false, whole, 0, null);
                }
                return new Choice(pc, o, note, false, whole, 0, null);
            }
            case IDX -> {
                if (!s.codable()) {
                    if (explicitPc) throw new IOException("pc: " + s.detail());
                    return new Choice(codec, options, null, false, null, 0, null);
                }
                int[] dims = {(int) s.count(), s.rows(), s.cols()};
                if (known >= 0 && known < s.idxLength()) {
                    String msg = Idx.truncatedMessage(dims, known);
                    if (explicitPc) throw new IOException(msg);
                    return new Choice(codec, options, msg + "; not using pc, compressing with " + codec.name(), true, buffered, 0, null);
                }
                if (auto) {
                    int[] size = PcCodec.builtinImageSize();
                    if (size == null || size[0] != s.rows() || size[1] != s.cols()) return new Choice(codec, options, null, false, buffered, 0, null);
                }
                return new Choice(pc, options, "pc: " + s.detail(), false, buffered, s.idxLength(), dims);
            }
            default -> {
                return new Choice(explicitPc ? pc : codec, options, null, false, null, 0, null);
            }
        }
    }

    /** Fails at {@link #check()} when fewer bytes than an IDX header promises went through (stdin). */
    static final class IdxGuard extends Streams.CountingOutput {
        private final long need;
        private final int[] dims;

        IdxGuard(OutputStream out, long need, int[] dims) {
            super(out, false);
            this.need = need;
            this.dims = dims;
        }

        void check() throws IOException {
            if (count < need) throw new IOException(Idx.truncatedMessage(dims, count));
        }

        @Override
        public void close() {
            // the codec stream is closed by the caller
        }
    }
}
