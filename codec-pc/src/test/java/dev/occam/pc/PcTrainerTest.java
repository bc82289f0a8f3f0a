package dev.occam.pc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PcTrainerTest {
    /**
     * One training image gives zero mutual information everywhere, so the Chow-Liu tree is a star:
     * the root has D-1 children, and the product of their messages underflows a double unless the
     * upward pass rescales it. The likelihood must stay finite and the model must learn the image.
     */
    @Test
    void aStarShapedTreeDoesNotUnderflow() throws InterruptedException {
        int rows = 28;
        int cols = 28;
        byte[] image = new byte[rows * cols];
        new Random(3).nextBytes(image);
        PcTrainer.Settings s = new PcTrainer.Settings(16, 1, 1, 1, 0.5, 0.01, 0.01, 1, 5);
        PcModel m = PcTrainer.train(List.of(image), List.of(), rows, cols, s, p -> { });
        double bpd = PcTrainer.bitsPerDim(m, List.of(image), 1);
        assertTrue(Double.isFinite(bpd), "bits per dimension must be finite, got " + bpd);
        assertTrue(bpd < 8, "the model must do better than 8 bits per pixel on its only training image: " + bpd);
    }
}
