package dev.occam.core.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.occam.core.CorruptInputException;
import dev.occam.core.model.Categorical;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RansTest {

    // ---- streaming API ----

    @Test
    void streamingRandomModelsRoundTripWithinIdealBound() throws IOException {
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            int nModels = 1 + rnd.nextInt(3);
            Categorical[] models = new Categorical[nModels];
            int maxPrec = 1;
            for (int i = 0; i < nModels; i++) {
                models[i] = TestSupport.randomModel(rnd, 1 + rnd.nextInt(3000), 24);
                maxPrec = Math.max(maxPrec, models[i].precisionBits());
            }
            int len = seed % 20 == 0 ? RansEncoder.CHUNK * 2 + rnd.nextInt(100) : rnd.nextInt(3000);
            int[] which = new int[len];
            int[] syms = new int[len];
            double ideal = 0;
            for (int i = 0; i < len; i++) {
                which[i] = rnd.nextInt(nModels);
                syms[i] = TestSupport.sample(rnd, models[which[i]]);
                ideal += TestSupport.idealBits(models[which[i]], syms[i]);
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            RansEncoder enc = new RansEncoder(bos);
            for (int i = 0; i < len; i++) enc.encode(syms[i], models[which[i]]);
            enc.finish();
            byte[] coded = bos.toByteArray();
            assertEquals(coded.length, enc.bytesWritten(), "seed " + seed);
            // per step the loss is < log2(1 + 2^(P-30)); per chunk <= 4 x 8 state bytes + 10 header bytes; end byte
            int chunks = (len + RansEncoder.CHUNK - 1) / RansEncoder.CHUNK;
            double bound = ideal + len * Math.log1p(Math.pow(2, maxPrec - 30)) / Math.log(2) + chunks * 42 * 8 + 8;
            assertTrue(coded.length * 8.0 <= bound, "seed " + seed + ": " + coded.length * 8 + " bits > bound " + bound);
            RansDecoder dec = new RansDecoder((seed & 1) == 0 ? new ByteArrayInputStream(coded)
                    : new TestSupport.OneByteInputStream(new ByteArrayInputStream(coded)));
            for (int i = 0; i < len; i++) assertEquals(syms[i], dec.decode(models[which[i]]), "seed " + seed + " symbol " + i);
            CorruptInputException end = assertThrows(CorruptInputException.class, () -> dec.decode(models[0]), "seed " + seed);
            assertTrue(end.getMessage().contains("end"), end.getMessage());
            assertEquals(coded.length, dec.bytesRead(), "seed " + seed);
        }
    }

    @Test
    void streamingEmptySingleAndSkewAndLargeVocabulary() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RansEncoder e0 = new RansEncoder(bos);
        e0.finish();
        assertEquals(1, bos.size()); // just the end record
        assertThrows(CorruptInputException.class, () -> new RansDecoder(new ByteArrayInputStream(bos.toByteArray())).decode(Categorical.uniform(2, 1)));

        Categorical one = Categorical.fromFrequencies(new int[] {3}, 24);
        Categorical skew = Categorical.ofCdf(new int[] {0, (1 << 24) - 1, 1 << 24}, 24);
        Random rnd = new Random(1);
        double[] p = new double[1 << 20];
        for (int i = 0; i < p.length; i++) p[i] = rnd.nextDouble();
        Categorical big = Categorical.fromProbabilities(p, 24);
        int len = 100000;
        int[] syms = new int[len];
        int[] which = new int[len];
        Categorical[] ms = {one, skew, big};
        for (int i = 0; i < len; i++) {
            which[i] = i % 3;
            syms[i] = which[i] == 0 ? 0 : which[i] == 1 ? (rnd.nextInt(5000) == 0 ? 1 : 0) : rnd.nextInt(1 << 20);
        }
        syms[1] = 1;
        ByteArrayOutputStream b2 = new ByteArrayOutputStream();
        RansEncoder enc = new RansEncoder(new TestSupport.OneByteOutputStream(b2));
        for (int i = 0; i < len; i++) enc.encode(syms[i], ms[which[i]]);
        enc.finish();
        RansDecoder dec = new RansDecoder(new ByteArrayInputStream(b2.toByteArray()));
        for (int i = 0; i < len; i++) assertEquals(syms[i], dec.decode(ms[which[i]]), "symbol " + i);

        ByteArrayOutputStream b3 = new ByteArrayOutputStream();
        RansEncoder e3 = new RansEncoder(b3);
        e3.encode(1, skew);
        e3.finish();
        assertEquals(1, new RansDecoder(new ByteArrayInputStream(b3.toByteArray())).decode(skew));
    }

    @Test
    void streamingTruncatedAndGarbageInput() throws IOException {
        Categorical m = Categorical.uniform(256, 12);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RansEncoder enc = new RansEncoder(bos);
        for (int i = 0; i < 1000; i++) enc.encode(i & 255, m);
        enc.finish();
        byte[] coded = bos.toByteArray();
        for (int cut = 0; cut < coded.length; cut += 37) {
            RansDecoder dec = new RansDecoder(new ByteArrayInputStream(coded, 0, cut));
            CorruptInputException e = assertThrows(CorruptInputException.class, () -> {
                for (int i = 0; i < 1001; i++) dec.decode(m);
            }, "cut " + cut);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("end"), "cut " + cut + ": " + e.getMessage());
        }
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            byte[] junk = rnd.nextInt(2) == 0 ? new byte[rnd.nextInt(200)] : coded.clone();
            if (junk.length == coded.length) junk[rnd.nextInt(junk.length)] ^= (byte) (1 + rnd.nextInt(255));
            else rnd.nextBytes(junk);
            Categorical gm = Categorical.fromFrequencies(RangeCoderTest.randomCountsWithZeros(rnd), 12 + rnd.nextInt(12));
            Categorical use = junk.length == coded.length ? m : gm;
            try {
                RansDecoder dec = new RansDecoder(new ByteArrayInputStream(junk));
                for (int i = 0; i < 2000; i++) assertTrue(use.freq(dec.decode(use)) > 0);
            } catch (CorruptInputException expected) {
                // detected
            } catch (IOException | RuntimeException e) {
                fail("seed " + seed + ": " + e);
            }
        }
    }

    // ---- byte fast path ----

    @Test
    void bytesRoundTripRandomModels() throws IOException {
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            Categorical m = TestSupport.randomModel(rnd, 256, 16);
            int len = rnd.nextInt(seed % 10 == 0 ? 200000 : 2000);
            byte[] src = new byte[len];
            double ideal = 0;
            for (int i = 0; i < len; i++) {
                int s = TestSupport.sample(rnd, m);
                src[i] = (byte) s;
                ideal += TestSupport.idealBits(m, s);
            }
            int off = rnd.nextInt(5);
            byte[] padded = new byte[off + len + 3];
            System.arraycopy(src, 0, padded, off, len);
            byte[] coded = Rans.encodeBytes(padded, off, len, m);
            int p = m.precisionBits();
            double bound = ideal + len * Math.log1p(Math.pow(2, p - 23)) / Math.log(2) + 4 * 32;
            assertTrue(coded.length * 8.0 <= bound, "seed " + seed + ": " + coded.length * 8 + " bits > " + bound);
            byte[] cpad = new byte[coded.length + 10];
            System.arraycopy(coded, 0, cpad, 7, coded.length);
            byte[] dst = new byte[len + 2];
            Rans.decodeBytes(cpad, 7, coded.length, m, dst, 1, len);
            assertArrayEquals(src, Arrays.copyOfRange(dst, 1, 1 + len), "seed " + seed);
        }
    }

    @Test
    void bytesEmptyOneAndDegenerate() throws IOException {
        Categorical m = Categorical.uniform(256, 16);
        byte[] coded = Rans.encodeBytes(new byte[0], 0, 0, m);
        assertEquals(16, coded.length);
        Rans.decodeBytes(coded, 0, coded.length, m, new byte[0], 0, 0);
        byte[] one = {(byte) 0xAB};
        byte[] c1 = Rans.encodeBytes(one, 0, 1, m);
        byte[] d1 = new byte[1];
        Rans.decodeBytes(c1, 0, c1.length, m, d1, 0, 1);
        assertEquals((byte) 0xAB, d1[0]);

        Categorical single = Categorical.fromFrequencies(new int[] {0, 0, 9}, 16);
        byte[] twos = new byte[1000];
        Arrays.fill(twos, (byte) 2);
        assertEquals(0, Rans.encodeBytes(twos, 0, twos.length, single).length);
        byte[] back = new byte[1000];
        Rans.decodeBytes(new byte[0], 0, 0, single, back, 0, 1000);
        assertArrayEquals(twos, back);
        assertThrows(IllegalArgumentException.class, () -> Rans.encodeBytes(new byte[] {1}, 0, 1, single));
        assertThrows(IllegalArgumentException.class, () -> Rans.encodeBytes(new byte[1], 0, 1, Categorical.uniform(256, 17)));
    }

    @Test
    void bytesExtremeSkew() throws IOException {
        Categorical m = Categorical.ofCdf(new int[] {0, 65535, 65536}, 16);
        byte[] src = new byte[300000];
        Random rnd = new Random(2);
        for (int i = 0; i < src.length; i++) src[i] = (byte) (rnd.nextInt(70000) == 0 ? 1 : 0);
        src[0] = 1;
        src[src.length - 1] = 1;
        byte[] coded = Rans.encodeBytes(src, 0, src.length, m);
        byte[] dst = new byte[src.length];
        Rans.decodeBytes(coded, 0, coded.length, m, dst, 0, dst.length);
        assertArrayEquals(src, dst);
    }

    @Test
    void bytesTruncatedAndGarbage() throws IOException {
        Random rnd = new Random(9);
        Categorical m = TestSupport.randomModel(rnd, 256, 14);
        byte[] src = new byte[5000];
        for (int i = 0; i < src.length; i++) src[i] = (byte) TestSupport.sample(rnd, m);
        byte[] coded = Rans.encodeBytes(src, 0, src.length, m);
        for (int cut = 0; cut < coded.length; cut += 1 + coded.length / 50) {
            final int c = cut;
            assertThrows(CorruptInputException.class, () -> Rans.decodeBytes(coded, 0, c, m, new byte[src.length], 0, src.length), "cut " + cut);
        }
        int detected = 0;
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            byte[] junk = coded.clone();
            if (seed % 2 == 0) r.nextBytes(junk);
            else junk[r.nextInt(junk.length)] ^= (byte) (1 + r.nextInt(255));
            try {
                Rans.decodeBytes(junk, 0, junk.length, m, new byte[src.length], 0, src.length);
            } catch (CorruptInputException expected) {
                detected++;
            } catch (RuntimeException e) {
                fail("seed " + seed + ": " + e);
            }
        }
        assertTrue(detected > 250, "state check should catch most corruption, caught " + detected);
    }

    @Test
    void streamingAndBytesAgreeOnDecodedSymbols() throws IOException {
        Random rnd = new Random(4);
        Categorical m = TestSupport.randomModel(rnd, 256, 16);
        byte[] src = new byte[10000];
        for (int i = 0; i < src.length; i++) src[i] = (byte) TestSupport.sample(rnd, m);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RansEncoder enc = new RansEncoder(bos);
        for (byte b : src) enc.encode(b & 0xFF, m);
        enc.finish();
        RansDecoder dec = new RansDecoder(new ByteArrayInputStream(bos.toByteArray()));
        byte[] c = Rans.encodeBytes(src, 0, src.length, m);
        byte[] d = new byte[src.length];
        Rans.decodeBytes(c, 0, c.length, m, d, 0, d.length);
        for (int i = 0; i < src.length; i++) assertEquals(d[i] & 0xFF, dec.decode(m), "symbol " + i);
    }
}
