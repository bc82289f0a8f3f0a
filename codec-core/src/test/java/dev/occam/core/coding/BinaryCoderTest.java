package dev.occam.core.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.occam.core.CorruptInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryCoderTest {

    @Test
    void randomProbabilitiesRoundTripWithinIdealBound() throws IOException {
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            int len = rnd.nextInt(20000);
            int[] bits = new int[len];
            int[] p1 = new int[len];
            double ideal = 0;
            for (int i = 0; i < len; i++) {
                p1[i] = rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? 1 : 65535) : 1 + rnd.nextInt(65535);
                bits[i] = rnd.nextInt(65536) < p1[i] ? 1 : 0;
                ideal -= Math.log((bits[i] == 1 ? p1[i] : 65536 - p1[i]) / 65536.0) / Math.log(2);
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            BinaryEncoder enc = new BinaryEncoder(seed % 3 == 0 ? new TestSupport.OneByteOutputStream(bos) : bos);
            for (int i = 0; i < len; i++) enc.encode(bits[i], p1[i]);
            enc.finish();
            byte[] coded = bos.toByteArray();
            assertEquals(coded.length, enc.bytesWritten());
            // split truncation < 2^-32 relative per bit; tail <= 8 bytes
            assertTrue(coded.length * 8.0 <= ideal + len * 1e-9 + 64, "seed " + seed + ": " + coded.length * 8 + " vs " + ideal);
            BinaryDecoder dec = seed % 2 == 0 ? new BinaryDecoder(coded, 0, coded.length)
                    : new BinaryDecoder(new TestSupport.OneByteInputStream(new ByteArrayInputStream(coded)));
            for (int i = 0; i < len; i++) assertEquals(bits[i], dec.decode(p1[i]), "seed " + seed + " bit " + i);
            assertEquals(coded.length, dec.bytesRead());
        }
    }

    @Test
    void emptyAndSingleBit() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        BinaryEncoder enc = new BinaryEncoder(bos);
        enc.finish();
        assertEquals(0, bos.size());
        for (int bit = 0; bit < 2; bit++) {
            for (int p : new int[] {1, 32768, 65535}) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                BinaryEncoder e = new BinaryEncoder(b);
                e.encode(bit, p);
                e.finish();
                assertTrue(b.size() <= 3, "bit " + bit + " p " + p + ": " + b.size() + " bytes");
                assertEquals(bit, new BinaryDecoder(b.toByteArray(), 0, b.size()).decode(p));
            }
        }
    }

    @Test
    void sameBytesAsRangeEncoderEncodeBit() throws IOException {
        Random rnd = new Random(1);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BinaryEncoder be = new BinaryEncoder(a);
        RangeEncoder re = new RangeEncoder(b);
        for (int i = 0; i < 10000; i++) {
            int p = 1 + rnd.nextInt(65535);
            int bit = rnd.nextInt(2);
            be.encode(bit, p);
            re.encodeBit(bit, p);
        }
        be.finish();
        re.finish();
        assertArrayEquals(a.toByteArray(), b.toByteArray());
    }

    @Test
    void truncatedAndGarbage() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        BinaryEncoder enc = new BinaryEncoder(bos);
        for (int i = 0; i < 8000; i++) enc.encode(i % 3 == 0 ? 1 : 0, 32768);
        enc.finish();
        byte[] coded = bos.toByteArray();
        BinaryDecoder dec = new BinaryDecoder(coded, 0, coded.length / 2);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> {
            for (int i = 0; i < 8000; i++) dec.decode(32768);
        });
        assertEquals(coded.length / 2, e.offset());
        for (int seed = 0; seed < 100; seed++) {
            Random rnd = new Random(seed);
            byte[] junk = new byte[rnd.nextInt(100)];
            rnd.nextBytes(junk);
            try {
                BinaryDecoder d = new BinaryDecoder(new ByteArrayInputStream(junk));
                for (int i = 0; i < 100000; i++) d.decode(1 + rnd.nextInt(65535));
                fail("seed " + seed + ": 100000 bits from " + junk.length + " bytes should hit truncation");
            } catch (CorruptInputException expected) {
                assertTrue(expected.getMessage().contains("truncated"));
            } catch (IOException | RuntimeException ex) {
                fail("seed " + seed + ": " + ex);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new BinaryEncoder(new ByteArrayOutputStream()).encode(0, 65536));
    }
}
