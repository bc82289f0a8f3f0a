package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.pc.PcMixture;
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
    void saveEpochsWritesEveryEpochAndTheLastEqualsTheOutput() throws Exception {
        Path data = dir.resolve("train.idx");
        Files.write(data, idx(200, 3, 6, 4));
        Path model = dir.resolve("m.pcm");
        Cli.Result r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "2", "--epochs", "3", "--save-epochs", "-T", "1",
                "-o", model.toString());
        assertEquals(0, r.code(), r.toString());
        byte[] last = Files.readAllBytes(dir.resolve("m.epoch3.pcm"));
        assertArrayEquals(Files.readAllBytes(model), last);
        byte[] first = Files.readAllBytes(dir.resolve("m.epoch1.pcm"));
        assertEquals(2, PcModel.load(dir.resolve("m.epoch1.pcm")).latentStates());
        assertFalse(java.util.Arrays.equals(first, last), "epoch 1 and epoch 3 models differ");
        assertTrue(Files.exists(dir.resolve("m.epoch2.pcm")));

        // an existing epoch file is not overwritten without -f, and nothing is trained
        Files.delete(model);
        r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "2", "--epochs", "3", "--save-epochs", "-o", model.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("m.epoch1.pcm already exists"), r.stderr());
        assertFalse(Files.exists(model));
        r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "2", "--epochs", "3", "--save-epochs", "-T", "1", "-f", "-o", model.toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(last, Files.readAllBytes(model), "same command, same thread count: same model");
    }

    /** An IDX label file: magic 00 00 08 01, count, one byte per label. */
    static byte[] labels(int[] l) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int v : new int[] {0x00000801, l.length}) {
            o.write(v >>> 24);
            o.write(v >>> 16);
            o.write(v >>> 8);
            o.write(v);
        }
        for (int v : l) o.write(v);
        return o.toByteArray();
    }

    @Test
    void trainsAMixtureThatThePcCodecUses() throws Exception {
        Path data = dir.resolve("train.idx");
        Files.write(data, idx(300, 3, 6, 5));
        Path single = dir.resolve("one.pcm");
        Cli.Result r = Cli.run("train", "pc", "--data", data.toString(), "--latent", "3", "--epochs", "2", "-T", "1", "-o", single.toString());
        assertEquals(0, r.code(), r.toString());
        Path mix = dir.resolve("mix.pcm");
        r = Cli.run("train", "pc", "--data", data.toString(), "--init", single.toString(), "--components", "3", "--epochs", "2",
                "--augment-shifts", "-T", "2", "-o", mix.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("mixture of 3") && r.stderr().contains("k-means"), r.stderr());
        assertEquals(3, PcMixture.load(mix).components());
        assertEquals(3, PcMixture.load(mix).latentStates(), "a mixture keeps the --init model's k");

        int[] lab = new int[300];
        for (int j = 0; j < lab.length; j++) lab[j] = j % 7;
        Path labelFile = Files.write(dir.resolve("labels.idx"), labels(lab));
        Path mixL = dir.resolve("mixl.pcm");
        r = Cli.run("train", "pc", "--data", data.toString(), "--init", single.toString(), "--components", "2", "--labels", labelFile.toString(),
                "--epochs", "1", "-T", "1", "-o", mixL.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("--labels"), r.stderr());

        Path test = dir.resolve("test.idx");
        byte[] raw = idx(40, 3, 6, 6);
        Files.write(test, raw);
        r = Cli.run("compress", "--codec", "pc", "--model", mix.toString(), test.toString());
        assertEquals(0, r.code(), r.toString());
        Files.delete(test);
        r = Cli.run("decompress", "--model", mix.toString(), dir.resolve("test.idx.occ").toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(raw, Files.readAllBytes(test));

        // the compact format: pc-compact of the file = --compact of the same run; it codes the same data
        Path small = dir.resolve("mix-small.pcm");
        r = Cli.run("train", "pc-compact", mix.toString(), "-o", small.toString());
        assertEquals(0, r.code(), r.toString());
        Path direct = dir.resolve("mix-direct.pcm");
        r = Cli.run("train", "pc", "--data", data.toString(), "--init", single.toString(), "--components", "3", "--epochs", "2",
                "--augment-shifts", "-T", "2", "--compact", "-o", direct.toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(small));
        assertTrue(Files.size(small) < Files.size(mix), Files.size(small) + " vs " + Files.size(mix));
        Files.write(test, raw);
        r = Cli.run("compress", "--codec", "pc", "--model", small.toString(), "-f", test.toString());
        assertEquals(0, r.code(), r.toString());
        Files.delete(test);
        r = Cli.run("decompress", "--model", small.toString(), dir.resolve("test.idx.occ").toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(raw, Files.readAllBytes(test));
        r = Cli.run("train", "pc-compact", mix.toString(), "-o", small.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("already exists"), r.stderr());
        r = Cli.run("train", "pc-compact", dir.resolve("none.pcm").toString(), "-o", dir.resolve("n2.pcm").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("none.pcm: no such file"), r.stderr());
        r = Cli.run("train", "pc-compact", data.toString(), "-o", dir.resolve("n3.pcm").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("train.idx") && r.stderr().contains("not an Occam PC model"), r.stderr());
        assertFalse(Files.exists(dir.resolve("n3.pcm")));

        // a mixture codes IDX data, not single images
        Path pgm = dir.resolve("x.pgm");
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        img.writeBytes("P5\n6 3\n255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        img.writeBytes(java.util.Arrays.copyOfRange(raw, 16, 34));
        Files.write(pgm, img.toByteArray());
        r = Cli.run("compress", "--codec", "pc", "--model", mix.toString(), pgm.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("x.pgm") && r.stderr().contains("IDX datasets only"), r.stderr());
        assertFalse(Files.exists(dir.resolve("x.pgm.occ")));

        // errors: usage, label count, a mixture where one model is needed
        r = Cli.run("train", "pc", "--data", data.toString(), "--components", "2", "-o", dir.resolve("x.pcm").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.stderr().contains("--components needs --init"), r.stderr());
        r = Cli.run("train", "pc", "--data", data.toString(), "--labels", labelFile.toString(), "-o", dir.resolve("x.pcm").toString());
        assertEquals(2, r.code(), r.toString());
        Path few = Files.write(dir.resolve("few.idx"), labels(new int[10]));
        r = Cli.run("train", "pc", "--data", data.toString(), "--init", single.toString(), "--components", "2", "--labels", few.toString(),
                "-o", dir.resolve("x.pcm").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("few.idx: 10 labels for 300 images"), r.stderr());
        r = Cli.run("train", "pc", "--data", data.toString(), "--init", mix.toString(), "-o", dir.resolve("x.pcm").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("mix.pcm") && r.stderr().contains("mixture"), r.stderr());
        assertFalse(Files.exists(dir.resolve("x.pcm")));
        // a label file whose header claims 2^31 - 16 labels: refused before anything is allocated
        byte[] liar = labels(new int[0]);
        liar[4] = 0x7F;
        liar[5] = (byte) 0xFF;
        liar[6] = (byte) 0xFF;
        liar[7] = (byte) 0xF0;
        Path big = Files.write(dir.resolve("big.idx"), liar);
        r = Cli.run("train", "pc", "--data", data.toString(), "--init", single.toString(), "--components", "2", "--labels", big.toString(),
                "-o", dir.resolve("x.pcm").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("big.idx: 2147483632 labels for 300 images"), r.stderr());
        // the output may not be an input, even with -f
        byte[] before = Files.readAllBytes(single);
        r = Cli.run("train", "pc", "--data", data.toString(), "--init", single.toString(), "-f", "-o", single.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("is also an input"), r.stderr());
        assertArrayEquals(before, Files.readAllBytes(single));
        // no training images: a clear error, also when k-means would have to cluster them
        Path empty = Files.write(dir.resolve("empty.idx"), idx(0, 3, 6, 1));
        r = Cli.run("train", "pc", "--data", empty.toString(), "--held-out", data.toString(), "--init", single.toString(), "--components", "2",
                "-o", dir.resolve("x.pcm").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("empty.idx: no training images"), r.stderr());
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
