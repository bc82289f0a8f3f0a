/**
 * The classical codecs behind the {@link dev.occam.core.codec.Codec} SPI: {@link GzipCodec},
 * {@link Bzip2Codec}, {@link XzCodec}, {@link ZstdCodec}, {@link Lz4Codec}, {@link DeflateCodec}
 * and the decode-only {@link BrotliCodec}. They are registered, in that order, in
 * {@code META-INF/services/dev.occam.core.codec.Codec}.
 *
 * <h2>Library layer</h2>
 * Apache Commons Compress is the layer wherever it does the job; two codecs leave it on purpose:
 * <ul>
 * <li>gzip: {@code GzipCompressorOutputStream} / {@code GzipCompressorInputStream} (concatenated
 *     members), over java.util.zip.</li>
 * <li>bzip2: {@code BZip2CompressorOutputStream} / {@code BZip2CompressorInputStream}
 *     (concatenated streams), Commons Compress's own coder.</li>
 * <li>xz: {@code XZCompressorOutputStream} / {@code XZCompressorInputStream} builders (preset =
 *     level, CRC64 check, concatenated streams, memory limit 3/4 of the heap), over XZ for Java.</li>
 * <li>zstd: {@code ZstdCompressorOutputStream} builder / {@code ZstdCompressorInputStream}, over
 *     zstd-jni (its finalizer variants; see {@link ZstdCodec} on native memory).</li>
 * <li>brotli (decode only): {@code BrotliCompressorInputStream}, over org.brotli:dec.</li>
 * <li>deflate (zlib format): {@code DeflateCompressorOutputStream} to compress, but our own
 *     {@code ZlibInputStream} over {@link java.util.zip.Inflater} to decompress, because
 *     {@code DeflateCompressorInputStream} (an {@code InflaterInputStream}) silently drops
 *     trailing bytes that sit in its read buffer and "decodes" a stream that needs a preset
 *     dictionary to nothing, and places a failure only to within its read-ahead buffer; feeding
 *     the Inflater by hand refuses both and gives exact offsets.</li>
 * <li>lz4: lz4-java's {@code LZ4FrameOutputStream} / {@code LZ4FrameInputStream} with its native
 *     (JNI) block coder, not Commons Compress's {@code FramedLZ4CompressorOutputStream}: that one
 *     is a pure-Java LZ77 encoder several hundred times slower than gzip (a rough single run on
 *     world192.txt: about 500x gzip -6 and 3000x lz4-java), which defeats the point of lz4.</li>
 * </ul>
 * Commons Compress's xz and zstd output streams close through {@code FilterOutputStream.close()},
 * which flushes before finishing: zstd frames with data end with one extra empty block (3 bytes) and
 * large xz streams may gain an early LZMA2 chunk end (tens of bytes); both stay standard.
 *
 * <h2>Detection</h2>
 * {@link dev.occam.core.codec.CodecRegistry#detect} asks the codecs in registration order. gzip
 * (1f 8b), bzip2 ("BZh" + digit), xz (FD 37 7A 58 5A 00), zstd (28 B5 2F FD or a skippable frame)
 * and lz4 (04 22 4D 18) have real magic numbers; a head shorter than the magic never matches.
 * The zlib header check (CM 8, CINFO &lt;= 7, 16-bit header divisible by 31) is weaker, so deflate
 * comes after them; none of their magics passes it. Brotli has no magic and is never detected.
 *
 * <h2>Errors</h2>
 * Every failure on bad input is a {@link dev.occam.core.CorruptInputException} whose reason starts
 * with the format name: "gzip: truncated input", "xz: corrupt data: Compressed data is corrupt",
 * "zstd: trailing data after the end of the compressed stream", "lz4: unsupported stream: ...".
 * I/O errors of the source pass through unchanged. The offset is the number of compressed bytes
 * the library had read when it noticed the problem: for truncation that is the input's length;
 * for damaged data it lies after the damaged byte, by the library's read-ahead (deflate: exact;
 * others up to a buffer or block, 128 KiB for zstd, 4 MiB for lz4) and, where the damage only
 * shows at a checksum, up to the end of the checked unit (gzip member, zstd frame, lz4 frame,
 * bzip2 block, xz block).
 *
 * <h2>Stream ends</h2>
 * Truncation is always an error (each format's end marker, checksum or index is required).
 * Concatenated streams are decoded as the reference tools do: gzip members, bzip2 streams, xz
 * streams with four-byte-aligned zero padding, zstd and lz4 frames (including skippable ones).
 * Any other trailing byte is an error; unlike {@code gzip -d}, which warns and ignores them,
 * trailing zeros after a gzip stream are refused too. deflate is a single zlib stream.
 * An empty input is "truncated input (empty)" for every format.
 */
package dev.occam.core.codec.classic;
