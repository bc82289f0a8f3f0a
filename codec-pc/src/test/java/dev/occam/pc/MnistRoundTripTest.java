package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import dev.occam.core.testing.Assets;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trains a small HCLT on real MNIST images and checks coding against the model's likelihood. */
class MnistRoundTripTest {
    @Test
    void smallModelCodesTestImagesAtItsLikelihood() throws Exception {
        Idx.Images train = Idx.read(Assets.require("mnist/train-images-idx3-ubyte.gz"));
        Idx.Images test = Idx.read(Assets.require("mnist/t10k-images-idx3-ubyte.gz"));
        List<byte[]> tr = train.images().subList(0, 3000);
        List<byte[]> te = test.images().subList(0, 200);
        PcTrainer.Settings s = new PcTrainer.Settings(4, 1, 1, 500, 0.5, 0.01, 0.01, 2, 1);
        PcModel m = PcTrainer.train(tr, List.of(), 28, 28, s, p -> { }).quantised();
        double bpd = PcTrainer.bitsPerDim(m, te, 2);
        // far better than the 8 bits of raw pixels, and than an order-0 model of MNIST (about 1.7-2 bpd)
        assertTrue(bpd < 1.7, "held-out bpd " + bpd);

        Conditionals c = new Conditionals(m);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(out);
        double nll = 0;
        for (byte[] img : te) {
            c.encode(img, 0, 0, 784, enc);
            nll += c.nllBits(img, 0);
        }
        enc.finish();
        byte[] coded = out.toByteArray();
        // chain rule over the conditionals equals the upward-pass likelihood
        assertEquals(bpd, nll / (784.0 * te.size()), 1e-4);
        double codedBits = coded.length * 8.0;
        assertTrue(Math.abs(codedBits - nll) / nll < 0.01, "coded " + codedBits + " bits vs NLL " + nll);

        RangeDecoder dec = new RangeDecoder(coded, 0, coded.length);
        Conditionals c2 = new Conditionals(m);
        byte[] img = new byte[784];
        for (byte[] want : te) {
            c2.decode(img, 0, 0, 784, dec);
            assertArrayEquals(want, img);
        }
    }

    @Test
    void builtinModelRoundTripsTestImagesThroughTheFrame() throws Exception {
        Idx.Images test = Idx.read(Assets.require("mnist/t10k-images-idx3-ubyte.gz"));
        int n = 300;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int v : new int[] {0x00000803, n, 28, 28}) {
            raw.write(v >>> 24);
            raw.write(v >>> 16);
            raw.write(v >>> 8);
            raw.write(v);
        }
        for (byte[] img : test.images().subList(0, n)) raw.writeBytes(img);
        byte[] data = raw.toByteArray();
        // 100 images per block: blocks after the first start and end inside an image
        byte[] occ = PcCodecTest.compressWith(data, dev.occam.core.codec.CodecOptions.defaults().withBlockSize(784 * 100).withThreads(2));
        assertArrayEquals(data, PcCodecTest.decompressWith(occ, dev.occam.core.codec.CodecOptions.defaults()));
        PcMixture m = PcCodec.model(dev.occam.core.codec.CodecOptions.defaults()).model();
        double nll = PcTrainer.bitsPerDim(m, test.images().subList(0, n), 2) * 784 * n;
        double bits = occ.length * 8.0;
        // the file (frame and header included) is within 1% of the model's NLL
        assertTrue(bits >= nll && bits < nll * 1.01, bits + " bits vs NLL " + nll);
        assertTrue(bits / (784.0 * n) < 1.4, "bpd " + bits / (784.0 * n));
    }
}
