package dev.occam.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The safetensors reader/writer. No Python safetensors package is reachable here, so the files of
 * other writers are built by hand from the published format: 8-byte LE header length, compact JSON
 * with "__metadata__" first, tensors sorted by dtype (Rust Dtype order, larger first) then name,
 * data offsets [begin, end) relative to the data section, header padded with spaces to 8 bytes.
 */
class SafetensorsTest {
    /** A file as the bytes: length, header text (padded here as given), data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    static String pad(String json) {
        int n = json.getBytes(StandardCharsets.UTF_8).length;
        return json + " ".repeat((8 - n % 8) % 8);
    }

    @Test
    void writesTheSaveFileLayout() throws IOException {
        // tensors given in a scrambled order; save_file puts F32 before BF16 before F16, then names in order
        byte[] a = new byte[8]; // F16 [2,2]
        byte[] b = new byte[4]; // BF16 [2]
        byte[] c = new byte[8]; // F32 [2]
        byte[] d = new byte[4]; // F32 [1]
        new Random(1).nextBytes(a);
        new Random(2).nextBytes(c);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        Safetensors st = new Safetensors(List.of(
                new Safetensors.Tensor("z.half", Safetensors.DType.F16, new long[] {2, 2}, a),
                new Safetensors.Tensor("b.bf", Safetensors.DType.BF16, new long[] {2}, b),
                new Safetensors.Tensor("y.f", Safetensors.DType.F32, new long[] {2}, c),
                new Safetensors.Tensor("x.f", Safetensors.DType.F32, new long[] {1}, d)), meta);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"x.f\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"y.f\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]},"
                + "\"b.bf\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[12,16]},"
                + "\"z.half\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[16,24]}}";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(d);
        data.writeBytes(c);
        data.writeBytes(b);
        data.writeBytes(a);
        byte[] expected = file(pad(json), data.toByteArray());
        byte[] got = st.toBytes();
        assertArrayEquals(expected, got);
        assertEquals(0, (got.length - 8 - data.size()) % 8, "header padded to a multiple of 8");
        Safetensors back = Safetensors.parse(got, "t");
        assertEquals(meta, back.metadata());
        assertArrayEquals(c, back.get("y.f").data());
        assertArrayEquals(got, back.toBytes(back.originalHeader()));
    }

    @Test
    void readsOtherLayoutsAndKeepsTheirHeader() throws IOException {
        // whitespace, other key order, no padding, no metadata, data in a different order than the keys
        String json = "{ \"b\" : {\"data_offsets\": [8, 12], \"shape\": [1], \"dtype\": \"F32\"},\n \"a\": {\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]} }";
        byte[] data = new byte[12];
        data[0] = 7;
        data[8] = 1;
        byte[] f = file(json, data);
        Safetensors st = Safetensors.parse(f, "t");
        assertNull(st.metadata());
        assertEquals(List.of("a", "b"), st.tensors().stream().map(Safetensors.Tensor::name).toList());
        assertEquals(7, st.get("a").data()[0]);
        assertArrayEquals(f, st.toBytes(st.originalHeader()), "rewritten with its own header: byte-identical");
        // zero-size tensors are allowed
        byte[] g = file("{\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}}", new byte[0]);
        assertEquals(0, Safetensors.parse(g, "t").get("e").numel());
    }

    static String msg(byte[] f) {
        return assertThrows(IOException.class, () -> Safetensors.parse(f, "bad.safetensors")).getMessage();
    }

    @Test
    void refusesHostileFiles() {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] good = file(ok, new byte[8]);
        assertTrue(msg(Arrays.copyOf(good, 5)).contains("truncated"));
        assertTrue(msg(Arrays.copyOf(good, good.length - 1)).contains("past the end"), msg(Arrays.copyOf(good, good.length - 1)));
        assertTrue(msg(Arrays.copyOf(good, 20)).contains("truncated"));
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        assertTrue(msg(huge).contains("limit"), msg(huge));
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertTrue(msg(huge).contains("limit"), msg(huge));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", new byte[8])).contains("JSON"));
        assertTrue(msg(file("[1]", new byte[0])).contains("start"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{}}", new byte[8])).contains("duplicate"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8])).contains("needs 12"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", new byte[8])).contains("end before"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                new byte[12])).contains("overlaps"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8])).contains("hole"));
        assertTrue(msg(file(ok, new byte[9])).contains("trailing"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8])).contains("dtype"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8])).contains("shape"));
        assertTrue(msg(file("{\"__metadata__\":{\"k\":1}}", new byte[0])).contains("not a string"));
        assertTrue(msg(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}}", new byte[8])).contains("too large"));
        byte[] badUtf8 = file("{\"\u00e9\":{}}", new byte[0]);
        badUtf8[10] = (byte) 0xFF;
        assertTrue(msg(badUtf8).contains("UTF-8"));
        assertTrue(msg(file("{" + "[".repeat(100) + "}", new byte[0])).contains("JSON"));
    }

    @Test
    void randomGarbageNeverEscapesAsRuntimeException() {
        Random r = new Random(5);
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[8,10]}}";
        byte[] good = file(ok, new byte[10]);
        for (int i = 0; i < 3000; i++) {
            byte[] f = good.clone();
            int flips = 1 + r.nextInt(3);
            for (int k = 0; k < flips; k++) f[r.nextInt(f.length)] = (byte) r.nextInt(256);
            try {
                Safetensors.parse(f, "x");
            } catch (IOException expected) {
                // fine: a clear error
            }
        }
    }
}
