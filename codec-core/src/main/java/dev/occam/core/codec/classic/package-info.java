/**
 * The classical codecs behind the {@link dev.occam.core.codec.Codec} SPI: {@link GzipCodec},
 * {@link Bzip2Codec} (Commons Compress), {@link XzCodec} (XZ for Java), {@link ZstdCodec}
 * (zstd-jni), {@link Lz4Codec} (lz4-java's native frame coder), {@link DeflateCodec} (the zlib
 * format over {@link java.util.zip.Inflater}/Commons Compress) and the decode-only
 * {@link BrotliCodec}. They are registered, in that order, in
 * {@code META-INF/services/dev.occam.core.codec.Codec}.
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
