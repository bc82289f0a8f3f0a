/**
 * Sequential KV-cache compression: a language trie over the sessions' tokens (layer 1) and
 * predictive delta coding of every key/value vector (layer 2).
 *
 * <p>Public API: {@link dev.occam.kv.Safetensors} (strict reader, {@code save_file}-layout writer),
 * {@link dev.occam.kv.KvCache} / {@link dev.occam.kv.KvSession} (the cache layout in safetensors),
 * {@link dev.occam.kv.KvModel} (an ONNX Optimum decoder run one token per call, cache in Java
 * arrays), {@link dev.occam.kv.KvCapture} (real caches from texts), {@link dev.occam.kv.KvCodec}
 * (the {@code .okv} format: exact and predict modes) and {@link dev.occam.kv.KvBench} (measurements
 * and baselines). Workers (trie coder, predictive coder, baselines, symmetric range-coder wrapper)
 * are package-private.
 */
package dev.occam.kv;
