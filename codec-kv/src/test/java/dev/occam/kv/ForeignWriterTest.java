package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Safetensors files written by another implementation: DJL's {@code NDList.encode(SAFETENSORS)}
 * (ai.djl:api, already on the classpath through the tokenizers), not by our writer. DJL needs an
 * engine to make NDArrays; its writer only asks an array for its name, dtype, shape and bytes, so
 * the arrays here are proxies that answer those calls and nothing else.
 */
class ForeignWriterTest {
    private static final int LAYERS = 2;
    private static final int HEADS = 2;
    private static final int DIM = 4;

    /** An NDArray that DJL's safetensors writer can serialise: name, dtype, shape and little-endian bytes. */
    private static NDArray array(String name, DataType type, Shape shape, byte[] bytes) {
        return (NDArray) Proxy.newProxyInstance(ForeignWriterTest.class.getClassLoader(), new Class<?>[] {NDArray.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getName" -> name;
                    case "getDataType" -> type;
                    case "getShape" -> shape;
                    case "toByteBuffer" -> ByteBuffer.wrap(bytes.clone()).order(ByteOrder.LITTLE_ENDIAN);
                    case "toByteArray" -> bytes.clone();
                    case "size" -> shape.size();
                    case "isSparse" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "array " + name;
                    default -> throw new UnsupportedOperationException("DJL's writer called " + m.getName());
                });
    }

    @Test
    void cachesWrittenByDjlAreReadAndRoundTripByteForByte() throws Exception {
        Random r = new Random(11);
        int[] lengths = {5, 3};
        List<NDArray> arrays = new ArrayList<>();
        List<float[][]> expected = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        for (int s = 0; s < lengths.length; s++) {
            int t = lengths[s];
            int[] ids = new int[t];
            ByteBuffer tb = ByteBuffer.allocate(4 * t).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < t; i++) {
                ids[i] = r.nextInt(512);
                tb.putInt(ids[i]);
            }
            tokens.add(ids);
            arrays.add(array(KvCache.tokensName(s), DataType.INT32, new Shape(t), tb.array()));
            float[][] kv = new float[LAYERS * 2][];
            for (int l = 0; l < LAYERS; l++) {
                for (int v = 0; v < 2; v++) {
                    float[] x = new float[HEADS * t * DIM];
                    ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextGaussian();
                        b.putFloat(x[i]);
                    }
                    kv[l * 2 + v] = x;
                    arrays.add(array(KvCache.kvName(s, l, v == 1), DataType.FLOAT32, new Shape(HEADS, t, DIM), b.array()));
                }
            }
            expected.add(kv);
        }
        byte[] file = new NDList(arrays).encode(NDList.Encoding.SAFETENSORS);

        KvCache cache = KvCache.fromSafetensors(Safetensors.parse(file, "djl.safetensors"), "djl.safetensors");
        assertEquals(LAYERS, cache.layers());
        assertEquals(HEADS, cache.heads());
        assertEquals(DIM, cache.headDim());
        assertEquals(lengths.length, cache.sessions().size());
        for (int s = 0; s < lengths.length; s++) {
            KvSession session = cache.sessions().get(s);
            assertArrayEquals(tokens.get(s), session.tokens());
            for (int l = 0; l < LAYERS; l++) {
                float[] k = expected.get(s)[l * 2];
                float[] v = expected.get(s)[l * 2 + 1];
                for (int i = 0; i < k.length; i++) {
                    assertEquals(Float.floatToRawIntBits(k[i]), session.keys()[l][i], "session " + s + " layer " + l + " key " + i);
                    assertEquals(Float.floatToRawIntBits(v[i]), session.values()[l][i], "session " + s + " layer " + l + " value " + i);
                }
            }
        }
        // lossless predict mode gives DJL's bytes back, header layout included
        byte[] okv = KvCodec.compress(file, "djl.safetensors", KvCodec.Settings.predict(0), null).file();
        assertArrayEquals(file, KvCodec.decompress(okv, "djl.okv", null));
    }
}
