package dev.occam.pc;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.core.container.FrameHeader;
import dev.occam.core.container.Fingerprints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pc}: IDX image datasets coded pixel by pixel with a Hidden Chow-Liu Tree probabilistic
 * circuit ({@link PcModel}) and the range coder. The model is the CodecOptions extra {@code model}
 * (a {@code .pcm} path) or, without it, the built-in MNIST model; its SHA-256 goes in the frame.
 *
 * <p>A block of raw bytes is: an optional 16-byte IDX header (stored as is), {@code lead} bytes
 * that end an image (coded as pixels {@code [D-lead, D)} with the other pixels marginalised), whole
 * images, and {@code tail} bytes that start an image (pixels {@code [0, tail)}). With a block size
 * that is a multiple of D (the default: {@value #IMAGES_PER_BLOCK} MNIST images) a block after the
 * first has lead 16 and tail D-16, which the encoder assumes; any byte sequence still round-trips.
 *
 * <p>Block layout: {@code [hasHeader u8][header 16 bytes if 1][varint lead][varint images][varint
 * tail][range-coded pixels]}; whole images are coded in batches of 16, pixel-major
 * (see {@link Conditionals#encodeImages}). Frame parameters: {@code [version=1]}.
 *
 * <p>Single images (options extra {@code input=image}: the built-in patch model unless {@code model}
 * is given, and one block of up to 64 MiB holds the whole file): a PGM/PPM (P5/P6, maxval &lt;= 255)
 * or PNG (8-bit grey, grey+alpha, RGB, RGBA, not interlaced) is cut into tiles of the model's size,
 * each channel a plane ({@link PatchCoder}), and the rest of the file is kept so that decoding gives
 * back the same bytes: block modes 2 (PNM: header verbatim, trailing bytes), 3 (PNG: the chunks
 * before and after the IDAT chunks verbatim, IDAT sizes, zlib header, filter type per row, the
 * {@link java.util.zip.Deflater} level and strategy that reproduce the deflate body, CRC-32 of the
 * file, checked after decoding) and 4 (the bytes stored verbatim: a PNG whose deflate stream
 * Deflater does not reproduce, or, with extra {@code fallback=store}, any input pc cannot parse).
 */
public final class PcCodec implements BlockCodec {
    static final int PARAMS_VERSION = 1;
    static final int IMAGES_PER_BLOCK = 640;
    /** Classpath resource of the built-in model. */
    public static final String DEFAULT_MODEL = "default-mnist.pcm";
    /** Classpath resource of the built-in patch model for single images. */
    public static final String DEFAULT_PATCH_MODEL = "default-patch.pcm";
    /** Block modes. */
    static final int MODE_RAW = 0, MODE_IDX = 1, MODE_PNM = 2, MODE_PNG = 3, MODE_STORED = 4;
    private static final ConcurrentHashMap<String, Loaded> CACHE = new ConcurrentHashMap<>();

    record Loaded(PcMixture model, byte[] fingerprint) {
        /** The model as one HCLT (patch models for images are never mixtures). */
        PcModel single() throws IOException {
            if (model.components() != 1) {
                throw new IOException("pc: a mixture of " + model.components() + " PC models codes IDX datasets only, not images");
            }
            return model.component(0);
        }
    }

    @Override
    public String id() {
        return "pc";
    }

    @Override
    public String description() {
        return "Occam probabilistic-circuit (HCLT) image codec for IDX datasets + range coder (--model M.pcm, default MNIST)";
    }

    @Override
    public int defaultBlockSize() {
        return 784 * IMAGES_PER_BLOCK;
    }

    /** A whole image file in one block (64 MiB, the frame's maximum) with {@code input=image}. */
    @Override
    public int defaultBlockSize(CodecOptions options) {
        return imageInput(options) ? IMAGE_BLOCK : defaultBlockSize();
    }

    /** Raw bytes per block for single images: the frame's maximum. */
    public static final int IMAGE_BLOCK = 1 << 26;

    static boolean imageInput(CodecOptions options) {
        return "image".equals(options.extra("input"));
    }

    /** Extra {@code transform} (none|med; default med, what the built-in patch model is trained on). */
    static int transform(CodecOptions options) throws IOException {
        String t = options.extra("transform");
        if (t == null) return Transform.MED;
        int id = Transform.byName(t);
        if (id < 0) throw new IOException("pc: unknown transform '" + t + "' (none or med)");
        return id;
    }

    static boolean storeFallback(CodecOptions options) {
        return "store".equals(options.extra("fallback"));
    }

    @Override
    public byte[] parameters(CodecOptions options) throws IOException {
        model(options);
        return new byte[] {PARAMS_VERSION};
    }

    @Override
    public byte[] modelFingerprint(CodecOptions options) throws IOException {
        return model(options).fingerprint().clone();
    }

    /** Without a {@code model} option: the built-in model (MNIST or patch) whose fingerprint the header names. */
    @Override
    public byte[] modelFingerprint(CodecOptions options, FrameHeader header) throws IOException {
        return decodingModel(options, header.modelFingerprint()).fingerprint().clone();
    }

    /** The model selected by the options (cached). */
    static Loaded model(CodecOptions options) throws IOException {
        String path = options.extra("model");
        if (path == null) return builtin(imageInput(options) ? DEFAULT_PATCH_MODEL : DEFAULT_MODEL);
        String key = "file:" + Path.of(path).toAbsolutePath().normalize();
        Loaded l = CACHE.get(key);
        if (l != null) return l;
        byte[] bytes = Files.readAllBytes(Path.of(path));
        l = new Loaded(PcMixture.forCoding(bytes, path), Fingerprints.sha256(bytes));
        if (CACHE.size() > 8) CACHE.clear();
        CACHE.put(key, l);
        return l;
    }

    /** {rows, cols} of the built-in MNIST model (what IDX inputs must have to be coded without --model), or null when it is missing. */
    public static int[] builtinImageSize() {
        try {
            PcMixture m = builtin(DEFAULT_MODEL).model();
            return new int[] {m.rows(), m.cols()};
        } catch (IOException e) {
            return null;
        }
    }

    private static final ConcurrentHashMap<String, byte[]> BUILTIN_FINGERPRINTS = new ConcurrentHashMap<>();

    /** SHA-256 of a built-in model's file without parsing it (cached), or null when the resource is missing. */
    static byte[] builtinFingerprint(String resource) throws IOException {
        byte[] fp = BUILTIN_FINGERPRINTS.get(resource);
        if (fp != null) return fp;
        try (InputStream in = PcCodec.class.getResourceAsStream(resource)) {
            if (in == null) return null;
            fp = Fingerprints.sha256(in.readAllBytes());
        }
        BUILTIN_FINGERPRINTS.put(resource, fp);
        return fp;
    }

    /** A built-in model by resource name (cached). */
    static Loaded builtin(String resource) throws IOException {
        String key = "builtin:" + resource;
        Loaded l = CACHE.get(key);
        if (l != null) return l;
        byte[] bytes;
        try (InputStream in = PcCodec.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("pc: the built-in model " + resource + " is missing from this build; give one with --model");
            bytes = in.readAllBytes();
        }
        l = new Loaded(PcMixture.forCoding(bytes, "built-in model " + resource), Fingerprints.sha256(bytes));
        if (CACHE.size() > 8) CACHE.clear();
        CACHE.put(key, l);
        return l;
    }

    /** For decoding without --model: the built-in model whose fingerprint the frame names (else the MNIST model, which then fails the check). */
    static Loaded decodingModel(CodecOptions options, byte[] fingerprint) throws IOException {
        if (options.extra("model") != null) return model(options);
        for (String r : new String[] {DEFAULT_PATCH_MODEL, DEFAULT_MODEL}) {
            byte[] fp = builtinFingerprint(r);
            if (fp != null && Arrays.equals(fp, fingerprint)) return builtin(r);
        }
        return builtin(imageInput(options) ? DEFAULT_PATCH_MODEL : DEFAULT_MODEL);
    }

    @Override
    public BlockEncoder newEncoder(CodecOptions options) throws IOException {
        Loaded l = model(options);
        boolean image = imageInput(options);
        PcModel patch = image ? l.single() : null;
        PcMixture m = l.model();
        PixelCoder cond = image ? null : PixelCoder.of(m);
        boolean store = storeFallback(options);
        int threads = options.effectiveThreads();
        int blockSize = options.blockSize() > 0 ? options.blockSize() : defaultBlockSize(options);
        int transform = transform(options);
        return (src, off, len) -> image ? ImageBlocks.encode(patch, threads, transform, src, off, len, store)
                : encode(m, cond, src, off, len, blockSize);
    }

    @Override
    public BlockDecoder newDecoder(FrameHeader header, CodecOptions options) throws IOException {
        byte[] p = header.parameters();
        if (p.length != 1 || p[0] != PARAMS_VERSION) {
            throw new CorruptInputException(-1, "pc: unsupported parameters (version " + (p.length > 0 ? p[0] : -1)
                    + "; this build reads version " + PARAMS_VERSION + ")");
        }
        Loaded l = decodingModel(options, header.modelFingerprint());
        if (!Arrays.equals(l.fingerprint(), header.modelFingerprint())) {
            throw new CorruptInputException(-1, "pc: this file was compressed with model " + Fingerprints.shortHex(header.modelFingerprint())
                    + "; you gave model " + Fingerprints.shortHex(l.fingerprint()));
        }
        PixelCoder cond = PixelCoder.of(l.model());
        int threads = options.effectiveThreads();
        return (src, off, len, dst, dstOff, dstLen) -> {
            if (len > 0 && src[off] >= MODE_PNM) ImageBlocks.decode(l.single(), threads, src, off, len, dst, dstOff, dstLen);
            else decode(l.model(), cond, src, off, len, dst, dstOff, dstLen);
        };
    }

    static byte[] encode(PcMixture m, PixelCoder cond, byte[] src, int off, int len, int blockSize) throws IOException {
        int d = m.rows() * m.cols();
        ByteArrayOutputStream out = new ByteArrayOutputStream(len / 4 + 64);
        int pos = off;
        int end = off + len;
        int lead;
        if (Idx.isImageHeader(src, off, len)) {
            int[] dims = Idx.header(Arrays.copyOfRange(src, off, off + Idx.HEADER), "pc input");
            if (dims[1] != m.rows() || dims[2] != m.cols()) {
                throw new IOException("pc: the IDX images are " + dims[1] + "x" + dims[2] + " but the model is for "
                        + m.rows() + "x" + m.cols() + " images");
            }
            // the first block holds min(block size, whole file) bytes: fewer means the file ends early
            long whole = Idx.HEADER + (long) dims[0] * dims[1] * dims[2];
            if (len < Math.min(blockSize, whole)) {
                throw new IOException(Idx.truncatedMessage(dims, len));
            }
            out.write(1);
            out.write(src, off, Idx.HEADER);
            pos += Idx.HEADER;
            lead = 0;
        } else {
            out.write(0);
            lead = Math.min(len, Idx.HEADER % d);
        }
        int images = (end - pos - lead) / d;
        int tail = end - pos - lead - images * d;
        if (tail >= d) throw new AssertionError();
        writeVarint(out, lead);
        writeVarint(out, images);
        writeVarint(out, tail);
        RangeEncoder enc = new RangeEncoder(out);
        if (lead > 0) cond.encode(src, pos - (d - lead), d - lead, d, enc);
        pos += lead;
        cond.encodeImages(src, pos, images, enc);
        pos += images * d;
        if (tail > 0) cond.encode(src, pos, 0, tail, enc);
        enc.finish();
        return out.toByteArray();
    }

    static void decode(PcMixture m, PixelCoder cond, byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen)
            throws IOException {
        int d = m.rows() * m.cols();
        int[] p = {off};
        int end = off + len;
        if (len < 1) throw new CorruptInputException(0, "pc: empty block");
        int mode = src[p[0]++];
        if (mode != MODE_RAW && mode != MODE_IDX) throw new CorruptInputException(0, "pc: bad block mode " + mode);
        int out = dstOff;
        if (mode == 1) {
            if (end - p[0] < Idx.HEADER || dstLen < Idx.HEADER) throw new CorruptInputException(p[0] - off, "pc: truncated IDX header");
            System.arraycopy(src, p[0], dst, out, Idx.HEADER);
            p[0] += Idx.HEADER;
            out += Idx.HEADER;
        }
        long lead = readVarint(src, p, end, off);
        long images = readVarint(src, p, end, off);
        long tail = readVarint(src, p, end, off);
        if (lead >= d || tail >= d || (out - dstOff) + lead + images * d + tail != dstLen) {
            throw new CorruptInputException(p[0] - off, "pc: block sizes (lead " + lead + ", images " + images + ", tail " + tail
                    + ") do not add up to the block's " + dstLen + " bytes");
        }
        RangeDecoder dec = new RangeDecoder(src, p[0], end - p[0]);
        byte[] img = new byte[d];
        if (lead > 0) {
            cond.decode(img, 0, d - (int) lead, d, dec);
            System.arraycopy(img, d - (int) lead, dst, out, (int) lead);
            out += (int) lead;
        }
        cond.decodeImages(dst, out, (int) images, dec);
        out += (int) images * d;
        if (tail > 0) cond.decode(dst, out, 0, (int) tail, dec);
        if (dec.bytesRead() > end - p[0]) throw new CorruptInputException(len, "pc: block truncated");
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    static long readVarint(byte[] b, int[] p, int end, int base) throws CorruptInputException {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (p[0] >= end) throw new CorruptInputException(p[0] - base, "pc: truncated block header");
            int c = b[p[0]++] & 0xFF;
            v |= (long) (c & 0x7F) << shift;
            if (c < 0x80) return v;
        }
        throw new CorruptInputException(p[0] - base, "pc: bad varint in block header");
    }
}
