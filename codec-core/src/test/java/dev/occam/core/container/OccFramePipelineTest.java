package dev.occam.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.CodecOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Multi-threaded pipelines: failures reach the caller and no worker thread is left behind. */
class OccFramePipelineTest {
    private static List<String> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("occam-")).collect(Collectors.toList());
    }

    /** Waits (bounded) for the pools' threads to end after shutdown. */
    private static void assertNoWorkerThreads() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!workerThreads().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(workerThreads().isEmpty(), "worker threads left: " + workerThreads());
    }

    @Test
    void encoderFailurePropagatesAndThreadsEnd() throws Exception {
        for (boolean unchecked : new boolean[] {false, true}) {
            BlockCodec failing = new TestCodecs.FailingEncoder((byte) 7, unchecked);
            byte[] data = new byte[64 * 40];
            data[64 * 17 + 3] = 7; // block 18 fails
            OccOutputStream out = new OccOutputStream(new ByteArrayOutputStream(), failing, TestCodecs.options(64, 4), -1);
            IOException e = assertThrows(IOException.class, () -> {
                try (out) {
                    for (int i = 0; i < data.length; i += 100) out.write(data, i, Math.min(100, data.length - i));
                }
            });
            assertTrue(e.getMessage().contains("block 18") && e.getMessage().contains("poison"), e.getMessage());
            assertThrows(IOException.class, () -> out.write(1), "stays failed");
            assertNoWorkerThreads();
        }
    }

    @Test
    void decoderFailurePropagatesAndThreadsEnd() throws Exception {
        BlockCodec throwing = new TestCodecs.ThrowingDecoder();
        byte[] frame = Frames.encode(throwing, TestCodecs.options(64, 1), new byte[64 * 30], -1);
        assertThrows(IOException.class, () -> Frames.decode(frame, TestCodecs.lookup(throwing), TestCodecs.options(0, 4)));
        assertNoWorkerThreads();
    }

    @Test
    void closingEarlyStopsTheWorkers() throws Exception {
        BlockCodec rle = new TestCodecs.RunLength();
        byte[] data = Frames.mixed(64 * 200, 4);
        byte[] frame = Frames.encode(rle, TestCodecs.options(64, 4), data, -1);
        try (OccInputStream in = new OccInputStream(new ByteArrayInputStream(frame), TestCodecs.lookup(rle),
                TestCodecs.options(0, 4))) {
            byte[] head = in.readNBytes(1000);
            assertArrayEquals(java.util.Arrays.copyOf(data, 1000), head);
        }
        assertNoWorkerThreads();
        // and a complete run leaves none either
        assertArrayEquals(data, Frames.decode(frame, TestCodecs.lookup(rle), CodecOptions.defaults().withThreads(4)));
        assertNoWorkerThreads();
    }
}
