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
}
