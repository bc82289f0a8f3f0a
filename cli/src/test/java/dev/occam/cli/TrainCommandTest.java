package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.pc.PcModel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code occam train pc}, then compress/decompress with the trained model. */
class TrainCommandTest {
    @TempDir
    Path dir;

    static byte[] idx(int n, int rows, int cols, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int v : new int[] {0x00000803, n, rows, cols}) {
            o.write(v >>> 24);
            o.write(v >>> 16);
            o.write(v >>> 8);
            o.write(v);
        }
        for (int t = 0; t < n; t++) {
            int c = r.nextInt(cols);
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) o.write(j == c || j == c - 1 ? 180 + r.nextInt(70) : r.nextInt(8) == 0 ? 1 : 0);
        }
        return o.toByteArray();
    }

    @Test
    void trainsAModelThatThePcCodecUses() throws Exception {
        Path data = dir.resolve("train.idx");
        Files.write(data, idx(300, 3, 6, 1));
        Path model = dir.resolve("m.pcm");
        Cli.Result r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "3", "--epochs", "2", "-T", "1", "-o", model.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("held-out"), r.stderr());
        PcModel m = PcModel.load(model);
        assertEquals(3, m.rows());
        assertEquals(6, m.cols());
        assertEquals(3, m.latentStates());
        if (Files.getFileAttributeView(model, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            // permissions as for every other output (0666 less the umask), not a temp file's 0600
            Path ref = Files.write(dir.resolve("ref"), new byte[0]);
            assertEquals(Files.getPosixFilePermissions(ref), Files.getPosixFilePermissions(model));
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith(".")).count(), "no temp file left");
        }

        Path test = dir.resolve("test.idx");
        byte[] raw = idx(50, 3, 6, 2);
        Files.write(test, raw);
        r = Cli.run("compress", "--codec", "pc", "--model", model.toString(), test.toString());
        assertEquals(0, r.code(), r.toString());
        Path occ = dir.resolve("test.idx.occ");
        assertTrue(Files.size(occ) < raw.length, Files.size(occ) + " vs " + raw.length);
        Files.delete(test);
        r = Cli.run("decompress", "--model", model.toString(), occ.toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(raw, Files.readAllBytes(test));

        // the output exists: refused without -f
        r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "2", "--epochs", "1", "-o", model.toString());
        assertEquals(1, r.code(), r.toString());
    }

    @Test
    void badInputsGiveClearErrorsAndWriteNothing() throws Exception {
        Path data = dir.resolve("bad.idx");
        byte[] raw = idx(20, 3, 6, 3);
        Files.write(data, java.util.Arrays.copyOf(raw, raw.length - 5));
        Path model = dir.resolve("m.pcm");
        Cli.Result r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "2", "--epochs", "1", "-o", model.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("truncated"), r.stderr());
        assertFalse(Files.exists(model));

        r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "0", "-o", model.toString());
        assertEquals(2, r.code(), r.toString());
        assertFalse(Files.exists(model));

        // checked before any training: a missing output directory, a negative image cap
        Path good = Files.write(dir.resolve("good.idx"), raw);
        r = Cli.run("train", "pc", "--data", good.toString(), "-o", dir.resolve("no/such/dir/m.pcm").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("does not exist"), r.stderr());
        assertFalse(r.stderr().contains("epoch"), "refused before training: " + r.stderr());
        r = Cli.run("train", "pc", "--data", good.toString(), "--max-images", "-3", "-o", model.toString());
        assertEquals(2, r.code(), r.toString());
        assertFalse(Files.exists(model));

        // images of the wrong size for the built-in 28x28 model: nothing written
        Path small = dir.resolve("small.idx");
        Files.write(small, raw);
        r = Cli.run("compress", "--codec", "pc", small.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("28x28"), r.stderr());
        assertFalse(Files.exists(dir.resolve("small.idx.occ")));
    }

    @Test
    void helpTextsFormatWithoutPicocliWarnings() {
        // picocli reports a description it cannot format (an unescaped %) on System.err and prints it raw
        java.io.PrintStream saved = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        StringBuilder helps = new StringBuilder();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(List.of(Occam.commandLine(Cli.env())));
            while (!todo.isEmpty()) {
                picocli.CommandLine c = todo.pop();
                todo.addAll(c.getSubcommands().values());
                List<String> args = new java.util.ArrayList<>(List.of(c.getCommandSpec().qualifiedName(" ").split(" ")));
                args.remove(0); // "occam"
                args.add("--help");
                Cli.Result r = Cli.run(args.toArray(new String[0]));
                assertEquals(0, r.code(), args + ": " + r);
                helps.append(r.out());
            }
        } finally {
            System.setErr(saved);
        }
        String warned = warnings.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(warned.contains("picocli WARN") || warned.contains("Format specifier"), warned);
        assertTrue(helps.toString().contains("(default: 2% of the training patches)"), "train pc --help: %% printed as %");
        assertTrue(helps.toString().contains("(default: the last 2% of --data,"));
    }
}
