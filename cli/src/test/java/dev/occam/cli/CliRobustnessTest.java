package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that are not regular files, failing sources, thread and block-size limits, multi-frame lists. */
class CliRobustnessTest {
    @TempDir
    Path dir;

    /** Makes a FIFO with mkfifo; skips the test with a message when mkfifo is not available. */
    Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return null;
        }
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        return f;
    }

    /** Writes data into the FIFO on a daemon thread (opening it blocks until a reader opens it). */
    static Thread feed(Path fifo, byte[] data) {
        Thread t = new Thread(() -> {
            try {
                Files.write(fifo, data);
            } catch (IOException e) {
                // the reader went away; the test's assertions report the problem
            }
        }, "fifo-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Unblocks a writer whose reader never opened the FIFO, so no thread is left hanging. */
    static void release(Path fifo, Thread writer) throws Exception {
        writer.join(2000);
        if (writer.isAlive()) {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                in.readAllBytes();
            }
            writer.join(10_000);
        }
    }

    @Test
    void compressesDecompressesAndListsFromFifos() throws Exception {
        byte[] data = CliTest.sample(300_000, 11);
        Path f = fifo("in.fifo");
        Thread w = feed(f, data);
        Cli.Result c = Cli.run("compress", "--codec", "testxor", "-c", f.toString());
        release(f, w);
        assertEquals(0, c.code(), c.toString());
        assertArrayEquals(CliTest.encode(data, 5), c.stdout());

        w = feed(f, c.stdout());
        Cli.Result d = Cli.run("decompress", "-c", f.toString());
        release(f, w);
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(data, d.stdout());

        w = feed(f, c.stdout());
        Cli.Result l = Cli.run("list", "--format", "csv", f.toString());
        release(f, w);
        assertEquals(0, l.code(), l.toString());
        assertEquals(String.valueOf(c.stdout().length), ReportsTest.csv(l.out().split("\n")[1]).get(6));
    }
}
