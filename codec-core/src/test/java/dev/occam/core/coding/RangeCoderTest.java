package dev.occam.core.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.occam.core.CorruptInputException;
import dev.occam.core.model.AdaptiveFrequencyModel;
import dev.occam.core.model.Categorical;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeCoderTest {

    @Test
    void randomModelsRoundTripWithinIdealBound() throws IOException {
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int nModels = 1 + rnd.nextInt(4);
            Categorical[] models = new Categorical[nModels];
            for (int i = 0; i < nModels; i++) models[i] = TestSupport.randomModel(rnd, 1 + rnd.nextInt(3000), 24);
            int len = rnd.nextInt(3000);
            int[] which = new int[len];
            int[] syms = new int[len];
            double ideal = 0;
            for (int i = 0; i < len; i++) {
                which[i] = rnd.nextInt(nModels);
                syms[i] = TestSupport.sample(rnd, models[which[i]]);
                ideal += TestSupport.idealBits(models[which[i]], syms[i]);
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            RangeEncoder enc = new RangeEncoder(bos);
            for (int i = 0; i < len; i++) enc.encode(syms[i], models[which[i]]);
            enc.finish();
            byte[] coded = bos.toByteArray();
            assertEquals(coded.length, enc.bytesWritten(), "seed " + seed);
            // per symbol the truncation loses < 2^-24 relative (< 1e-7 bits); the tail is <= 8 bytes
            double bound = ideal + len * 1e-7 + 64;
            assertTrue(coded.length * 8.0 <= bound, "seed " + seed + ": " + coded.length * 8 + " bits > bound " + bound);
            boolean useStream = (seed & 1) == 0;
            RangeDecoder dec = useStream ? new RangeDecoder(new ByteArrayInputStream(coded)) : new RangeDecoder(coded, 0, coded.length);
            for (int i = 0; i < len; i++) assertEquals(syms[i], dec.decode(models[which[i]]), "seed " + seed + " symbol " + i);
            assertEquals(coded.length, dec.bytesRead(), "seed " + seed);
        }
    }

    @Test
    void bulkByteDecodeEqualsSymbolBySymbol() throws IOException {
        for (int seed = 0; seed < 60; seed++) {
            Random rnd = new Random(seed);
            Categorical a = TestSupport.randomModel(rnd, 256, 24);
            Categorical b = TestSupport.randomModel(rnd, 256, 16);
            int len = rnd.nextInt(40000);
            byte[] syms = new byte[len];
            boolean[] useB = new boolean[len];
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            RangeEncoder enc = new RangeEncoder(bos);
            for (int i = 0; i < len; i++) {
                useB[i] = (i / 1000) % 2 == 1; // runs of 1000 symbols per model
                Categorical m = useB[i] ? b : a;
                syms[i] = (byte) TestSupport.sample(rnd, m);
                enc.encode(syms[i] & 0xFF, m);
            }
            enc.finish();
            byte[] coded = bos.toByteArray();
            RangeDecoder dec = seed % 3 == 0 ? new RangeDecoder(coded, 0, coded.length)
                    : new RangeDecoder(seed % 3 == 1 ? new ByteArrayInputStream(coded)
                            : new TestSupport.OneByteInputStream(new ByteArrayInputStream(coded)));
            byte[] out = new byte[len];
            for (int i = 0; i < len; ) {
                int run = Math.min(len - i, 1000 - i % 1000);
                Categorical m = useB[i] ? b : a;
                if (rnd.nextBoolean()) {
                    dec.decode(m, out, i, run);
                } else {
                    for (int k = 0; k < run; k++) out[i + k] = (byte) dec.decode(m);
                }
                i += run;
            }
            assertArrayEquals(syms, out, "seed " + seed);
            assertEquals(coded.length, dec.bytesRead(), "seed " + seed);
        }
    }

    @Test
    void bulkDecodeOnGarbageAndTruncation() {
        int detected = 0;
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            Categorical m = Categorical.fromFrequencies(Arrays.copyOf(randomCountsWithZeros(rnd), 256), 8 + rnd.nextInt(17));
            byte[] junk = new byte[rnd.nextInt(3000)];
            rnd.nextBytes(junk);
            try {
                RangeDecoder dec = new RangeDecoder(junk, 0, junk.length);
                byte[] out = new byte[100000];
                dec.decode(m, out, 0, out.length); // possible only for (near) zero-entropy models
            } catch (CorruptInputException expected) {
                detected++;
            } catch (IOException | RuntimeException e) {
                fail("seed " + seed + ": " + e);
            }
        }
        assertTrue(detected > 150, "100000 symbols from < 3000 bytes must mostly run out: " + detected);
    }

    @Test
    void emptyMessageIsZeroBytes() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(bos);
        enc.finish();
        assertEquals(0, bos.size());
        RangeDecoder dec = new RangeDecoder(new byte[0], 0, 0);
        assertEquals(0, dec.bytesRead());
    }

    @Test
    void singleSymbolAndOneSymbolAlphabet() throws IOException {
        Categorical m = Categorical.uniform(256, 8);
        byte[] coded = encode(new int[] {200}, m);
        assertEquals(1, coded.length); // 8 bits of information, 1 byte
        assertEquals(200, new RangeDecoder(coded, 0, coded.length).decode(m));

        Categorical one = Categorical.fromFrequencies(new int[] {5}, 24);
        int[] zeros = new int[10000];
        byte[] c2 = encode(zeros, one);
        assertEquals(0, c2.length);
        RangeDecoder d = new RangeDecoder(c2, 0, 0);
        for (int i = 0; i < zeros.length; i++) assertEquals(0, d.decode(one));
    }

    @Test
    void extremeSkewAtPrecision24() throws IOException {
        int[] cdf = {0, (1 << 24) - 1, 1 << 24}; // p(0) = 1 - 2^-24, p(1) = 2^-24
        Categorical m = Categorical.ofCdf(cdf, 24);
        Random rnd = new Random(7);
        int[] syms = new int[200000];
        for (int i = 0; i < syms.length; i++) syms[i] = rnd.nextInt(20000) == 0 ? 1 : 0;
        syms[0] = 1;
        syms[syms.length - 1] = 1;
        double ideal = 0;
        for (int s : syms) ideal += TestSupport.idealBits(m, s);
        byte[] coded = encode(syms, m);
        assertTrue(coded.length * 8.0 <= ideal + syms.length * 1e-7 + 64, coded.length + " bytes vs ideal bits " + ideal);
        RangeDecoder dec = new RangeDecoder(coded, 0, coded.length);
        for (int i = 0; i < syms.length; i++) assertEquals(syms[i], dec.decode(m), "symbol " + i);
    }

    @Test
    void vocabulary2To20AtPrecision24() throws IOException {
        Random rnd = new Random(11);
        double[] p = new double[1 << 20];
        for (int i = 0; i < p.length; i++) p[i] = rnd.nextDouble() * rnd.nextDouble();
        Categorical m = Categorical.fromProbabilities(p, 24);
        int[] syms = new int[20000];
        for (int i = 0; i < syms.length; i++) syms[i] = rnd.nextInt(p.length);
        syms[1] = p.length - 1;
        byte[] coded = encode(syms, m);
        RangeDecoder dec = new RangeDecoder(new ByteArrayInputStream(coded));
        for (int i = 0; i < syms.length; i++) assertEquals(syms[i], dec.decode(m), "symbol " + i);
    }

    @Test
    void adaptiveModelRoundTripAndSlotApiAndBits() throws IOException {
        Random rnd = new Random(3);
        int n = 300;
        int len = 20000;
        int[] syms = new int[len];
        for (int i = 0; i < len; i++) syms[i] = Math.min(n - 1, (int) Math.abs(rnd.nextGaussian() * 20));
        int[] bits = new int[len];
        for (int i = 0; i < len; i++) bits[i] = rnd.nextInt(10) == 0 ? 1 : 0;
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(bos);
        AdaptiveFrequencyModel em = new AdaptiveFrequencyModel(n, 16);
        for (int i = 0; i < len; i++) {
            enc.encode(syms[i], em);
            em.update(syms[i]);
            int p0 = 60000;
            if (bits[i] == 0) enc.encode(0, p0, 16);
            else enc.encode(p0, 65536 - p0, 16);
            enc.encodeBit(bits[i], 6554);
        }
        enc.finish();
        byte[] coded = bos.toByteArray();
        RangeDecoder dec = new RangeDecoder(new TestSupport.OneByteInputStream(new ByteArrayInputStream(coded)));
        AdaptiveFrequencyModel dm = new AdaptiveFrequencyModel(n, 16);
        for (int i = 0; i < len; i++) {
            assertEquals(syms[i], dec.decode(dm), "symbol " + i);
            dm.update(syms[i]);
            int slot = dec.decodeSlot(16);
            int bit = slot < 60000 ? 0 : 1;
            assertEquals(bits[i], bit, "raw bit " + i);
            if (bit == 0) dec.consume(0, 60000, 16);
            else dec.consume(60000, 65536 - 60000, 16);
            assertEquals(bits[i], dec.decodeBit(6554), "bit " + i);
        }
    }

    @Test
    void byteAtATimeStreamsGiveTheSameBytes() throws IOException {
        Random rnd = new Random(5);
        Categorical m = TestSupport.randomModel(rnd, 500, 20);
        int[] syms = new int[50000];
        for (int i = 0; i < syms.length; i++) syms[i] = TestSupport.sample(rnd, m);
        byte[] ref = encode(syms, m);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        TestSupport.OneByteOutputStream one = new TestSupport.OneByteOutputStream(bos);
        RangeEncoder enc = new RangeEncoder(one);
        for (int s : syms) enc.encode(s, m);
        enc.finish();
        assertArrayEquals(ref, bos.toByteArray());
        RangeDecoder dec = new RangeDecoder(new TestSupport.OneByteInputStream(new ByteArrayInputStream(ref)));
        for (int i = 0; i < syms.length; i++) assertEquals(syms[i], dec.decode(m), "symbol " + i);
        assertEquals(ref.length, dec.bytesRead());
    }

    @Test
    void decodesCorrectlyWhateverFollowsTheStream() throws IOException {
        for (int seed = 0; seed < 50; seed++) {
            Random rnd = new Random(seed);
            Categorical m = TestSupport.randomModel(rnd, 100, 16);
            int[] syms = new int[rnd.nextInt(200)];
            for (int i = 0; i < syms.length; i++) syms[i] = TestSupport.sample(rnd, m);
            byte[] coded = encode(syms, m);
            byte[] padded = Arrays.copyOf(coded, coded.length + 8);
            for (int i = coded.length; i < padded.length; i++) padded[i] = (byte) rnd.nextInt(256);
            RangeDecoder dec = new RangeDecoder(padded, 0, padded.length);
            for (int i = 0; i < syms.length; i++) assertEquals(syms[i], dec.decode(m), "seed " + seed + " symbol " + i);
        }
    }

    @Test
    void truncatedInputThrowsAfterPadding() throws IOException {
        Categorical m = Categorical.uniform(256, 8);
        int[] syms = new int[1000];
        for (int i = 0; i < syms.length; i++) syms[i] = i & 255;
        byte[] coded = encode(syms, m);
        assertEquals(1000, coded.length);
        RangeDecoder dec = new RangeDecoder(coded, 0, 500);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> {
            for (int i = 0; i < syms.length; i++) dec.decode(m);
        });
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(500, e.offset());
    }

    @Test
    void garbageNeverCausesRuntimeExceptions() {
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            Categorical m = Categorical.fromFrequencies(randomCountsWithZeros(rnd), 1 + 12 + rnd.nextInt(12));
            byte[] junk = new byte[rnd.nextInt(64)];
            rnd.nextBytes(junk);
            try {
                RangeDecoder dec = new RangeDecoder(new ByteArrayInputStream(junk));
                for (int i = 0; i < 10000; i++) {
                    int s = dec.decode(m);
                    assertTrue(m.freq(s) > 0, "seed " + seed);
                }
            } catch (CorruptInputException expected) {
                // fine: detected
            } catch (IOException | RuntimeException e) {
                fail("seed " + seed + ": " + e);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        RangeEncoder enc = new RangeEncoder(new ByteArrayOutputStream());
        Categorical m = Categorical.fromFrequencies(new int[] {1, 0, 1}, 8);
        assertThrows(IllegalArgumentException.class, () -> enc.encode(1, m));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(200, 100, 8));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(0, 1, 25));
        assertThrows(IllegalArgumentException.class, () -> enc.encodeBit(1, 0));
        try {
            enc.finish();
        } catch (IOException e) {
            fail(e);
        }
        assertThrows(IllegalStateException.class, () -> enc.encode(0, m));
    }

    static int[] randomCountsWithZeros(Random rnd) {
        int[] c = new int[1 + rnd.nextInt(500)];
        for (int i = 0; i < c.length; i++) c[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1000);
        c[rnd.nextInt(c.length)] = 1 + rnd.nextInt(10);
        return c;
    }

    static byte[] encode(int[] syms, Categorical m) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(bos);
        for (int s : syms) enc.encode(s, m);
        enc.finish();
        return bos.toByteArray();
    }
}
