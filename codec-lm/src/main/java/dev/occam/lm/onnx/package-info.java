/**
 * ONNX language-model prior for the text codec: {@link dev.occam.lm.onnx.OnnxPredictor} (a
 * {@link dev.occam.lm.TokenPredictor} over an ONNX Runtime causal LM with a KV cache) and
 * {@link dev.occam.lm.onnx.OnnxLmCodec} (block codec {@code lm}).
 *
 * <h2>Models</h2>
 * Any causal LM exported by Hugging Face Optimum as a merged decoder ({@code input_ids},
 * {@code attention_mask}, {@code position_ids}, {@code past_key_values.N.key/value} in;
 * {@code logits}, {@code present.N.key/value} out), or the older stacked cache layout
 * ({@code past_N} / {@code present_N}, e.g. onnxruntime-genai's GPT-2 test models), with int64 or
 * int32 ids, or a decoder exported without cache (then every step recomputes the window), plus its
 * {@code tokenizer.json} (DJL HuggingFace tokenizers; the CPU native library
 * from the DJL jar, {@code ai.djl.offline=true}: nothing is downloaded). The tokenizer must not
 * define more tokens than the model predicts.
 *
 * <h2>Context</h2>
 * Every block starts a new sequence at the tokenizer's start tokens (BOS for Llama/SentencePiece
 * tokenizers; GPT-2's {@code <|endoftext|>} when the tokenizer adds none). Tokens are fed one at a
 * time through the KV cache. When the window of {@code context} tokens is full, it slides: the start
 * tokens plus the last {@code context/2 - starts} tokens are prefilled again at positions 0..
 * (one model call), then decoding continues incrementally. Encoder and decoder make identical calls.
 *
 * <h2>Exactness</h2>
 * The block is split into well-formed UTF-8 runs and the rest. Runs of at least 8 bytes (or the
 * whole block) are tokenized in chunks of at most 64 KiB cut after a newline; a chunk is used only if
 * the bytes of its tokens (from the vocabulary: byte-level BPE, {@code ▁} = space, {@code <0xNN>} =
 * byte NN, added tokens = their text; the one space a SentencePiece normaliser prepends is dropped
 * from the first token of a span) are exactly the chunk's bytes, else line by line; whatever does
 * not round-trip is escaped. The escape is an extra token (id = model vocabulary, probability 2^-12
 * of the mass) followed by a length (Elias gamma, fair bits) and the raw bytes (adaptive order-0
 * model); a length-0 escape separates two text spans. Any byte string round-trips.
 *
 * <h2>Determinism</h2>
 * Single-threaded ORT session (intra-op 1, inter-op 1, sequential); logits to probabilities by a
 * double-precision softmax with {@link java.lang.StrictMath#exp} in index order; an integer CDF by
 * {@link dev.occam.core.model.Categorical#fromProbabilities(double[], int)} (bit-reproducible) at 24
 * bits by default. Logits are bit-identical for the same ONNX Runtime build on the same CPU kind;
 * a different ORT version or instruction-set path may round differently and is not supported for
 * decoding. The frame records the context length and precision (parameters) and SHA-256 of model
 * and tokenizer (fingerprint): a different model or tokenizer is refused by the frame.
 */
package dev.occam.lm.onnx;
