package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.occam.core.testing.Assets;
import dev.occam.kv.KvCache;
import dev.occam.kv.KvSession;
import dev.occam.kv.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code occam kv}: capture, exact and predict round trips, and every refusal leaves no output. */
class KvCommandTest {
    @TempDir
    Path dir;
    Path model;
    Path cache;

    @BeforeEach
    void capture() throws Exception {
        model = Assets.require("lm/stories260k/model.onnx").getParent();
        Files.writeString(dir.resolve("a.txt"), "Once upon a time, there was a little dog named Max. Max liked to run in the park.");
        Files.writeString(dir.resolve("b.txt"), "Once upon a time, there was a little dog named Max. One day Max found a red ball.");
        cache = dir.resolve("kv.safetensors");
        Cli.Result r = Cli.run("kv", "capture", "--model", model.toString(), "--text", dir.resolve("a.txt").toString(),
                dir.resolve("b.txt").toString(), "-o", cache.toString());
        assertEquals(0, r.code(), r.toString());
    }

    /** No output file and no temp file left in the directory. */
    void assertNothingLeft(Path out) throws Exception {
        assertFalse(Files.exists(out), out + " must not exist");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".occam-tmp")));
        }
    }

    Cli.Result failing(Path out, String expected, String... args) throws Exception {
        Cli.Result r = Cli.run(args);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().startsWith("occam: "), r.stderr());
        assertTrue(r.stderr().contains(expected), r.stderr());
        assertEquals(1, r.stderr().strip().split("\n").length, "one line: " + r.stderr());
        assertNothingLeft(out);
        return r;
    }

    @Test
    void exactAndPredictRoundTrips() throws Exception {
        Path okv = dir.resolve("kv.okv");
        Cli.Result c = Cli.run("kv", "compress", "--model", model.toString(), cache.toString(), "-o", okv.toString());
        assertEquals(0, c.code(), c.toString());
        Path back = dir.resolve("back.safetensors");
        Cli.Result d = Cli.run("kv", "decompress", "--model", model.toString(), okv.toString(), "-o", back.toString());
        assertEquals(0, d.code(), d.toString());
        assertArrayEquals(Files.readAllBytes(cache), Files.readAllBytes(back));
        assertTrue(Files.size(okv) < 200, "two short sessions sharing a prefix: " + Files.size(okv) + " bytes");
        // existing output is refused without -f
        failing(dir.resolve("none"), "already exists", "kv", "decompress", "--model", model.toString(), okv.toString(), "-o", back.toString());
        // predict mode, lossless, decoded without the model
        Path p = dir.resolve("p.okv");
        assertEquals(0, Cli.run("kv", "compress", "--mode", "predict", cache.toString(), "-o", p.toString()).code());
        Path pb = dir.resolve("p.safetensors");
        assertEquals(0, Cli.run("kv", "decompress", p.toString(), "-o", pb.toString()).code());
        assertArrayEquals(Files.readAllBytes(cache), Files.readAllBytes(pb));
    }

    @Test
    void exactModeWithoutModelIsAUsageError() {
        Cli.Result r = Cli.run("kv", "compress", cache.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.stderr().contains("--model"));
    }

    @Test
    void anotherModelIsRefused() throws Exception {
        Path other = dir.resolve("other");
        Files.createDirectory(other);
        Files.copy(model.resolve("model.onnx"), other.resolve("model.onnx"));
        Files.write(other.resolve("tokenizer.json"), (Files.readString(model.resolve("tokenizer.json")) + "\n").getBytes());
        Path out = dir.resolve("x.okv");
        failing(out, "captured with model", "kv", "compress", "--model", other.toString(), cache.toString(), "-o", out.toString());
        Path okv = dir.resolve("kv.okv");
        assertEquals(0, Cli.run("kv", "compress", "--model", model.toString(), cache.toString(), "-o", okv.toString()).code());
        Path back = dir.resolve("back.safetensors");
        failing(back, "compressed with model", "kv", "decompress", "--model", other.toString(), okv.toString(), "-o", back.toString());
    }

    KvCache read() throws Exception {
        return KvCache.fromSafetensors(Safetensors.read(cache), "kv");
    }

    @Test
    void shapeMismatchNanAndTruncationAreRefused() throws Exception {
        KvCache c = read();
        List<KvSession> fewer = new ArrayList<>();
        for (KvSession s : c.sessions()) fewer.add(new KvSession(s.tokens(), Arrays.copyOf(s.keys(), 4), Arrays.copyOf(s.values(), 4)));
        Path shape = dir.resolve("shape.safetensors");
        Files.write(shape, new KvCache(4, c.heads(), c.headDim(), c.dtype(), c.tokenType(), fewer, c.metadata()).toSafetensors().toBytes());
        Path out = dir.resolve("shape.okv");
        failing(out, "shape mismatch", "kv", "compress", "--model", model.toString(), shape.toString(), "-o", out.toString());

        KvSession s0 = c.sessions().get(0);
        int[][] keys = s0.keys().clone();
        keys[2] = keys[2].clone();
        keys[2][17] = Float.floatToRawIntBits(Float.NaN);
        List<KvSession> nan = new ArrayList<>(c.sessions());
        nan.set(0, new KvSession(s0.tokens(), keys, s0.values()));
        Path bad = dir.resolve("nan.safetensors");
        Files.write(bad, new KvCache(c.layers(), c.heads(), c.headDim(), c.dtype(), c.tokenType(), nan, c.metadata()).toSafetensors().toBytes());
        Path out2 = dir.resolve("nan.okv");
        failing(out2, "NaN", "kv", "compress", "--mode", "predict", bad.toString(), "-o", out2.toString());

        byte[] all = Files.readAllBytes(cache);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 100));
        Path out3 = dir.resolve("cut.okv");
        failing(out3, "truncated", "kv", "compress", "--model", model.toString(), cut.toString(), "-o", out3.toString());

        Path okv = dir.resolve("kv.okv");
        assertEquals(0, Cli.run("kv", "compress", "--model", model.toString(), cache.toString(), "-o", okv.toString()).code());
        byte[] z = Files.readAllBytes(okv);
        Path cutOkv = dir.resolve("cut.okv");
        Files.write(cutOkv, Arrays.copyOf(z, z.length - 3));
        Path back = dir.resolve("cut.back");
        failing(back, "corrupt input", "kv", "decompress", "--model", model.toString(), cutOkv.toString(), "-o", back.toString());
    }

    @Test
    void benchPrintsEveryMethodAsCsv() {
        Cli.Result r = Cli.run("kv", "bench", "--model", model.toString(), "--kl-stride", "8", "--format", "csv", cache.toString());
        assertEquals(0, r.code(), r.toString());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("file,method,bytes,bits_per_position"), lines[0]);
        String all = r.out();
        for (String m : new String[] {"occam-exact", "occam-predict(b=0)", "fp16", "zstd-19(fp16)", "kivi-2", "turboquant-3", "occam-predict(rms=kivi-2)"}) {
            assertTrue(all.contains("," + m + ","), m + " missing in " + all);
        }
    }
}
