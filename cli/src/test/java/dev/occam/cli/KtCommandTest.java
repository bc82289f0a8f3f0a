package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code occam kt generate|solve|decode|eval}: outputs, round trips, exit codes. */
class KtCommandTest {
    @TempDir
    Path dir;

    static byte[] data() {
        byte[] b = new byte[128 * 6 + 50];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i / 128 % 2 == 0 ? i % 128 : "the quick brown fox ".charAt(i % 20));
        return b;
    }

    @Test
    void generateIsReproducibleAndEvalReadsIt() throws Exception {
        Path a = dir.resolve("a.kt"), b = dir.resolve("b.kt");
        assertEquals(0, Cli.run("kt", "generate", "--seed", "4", "--count", "20", "--train-size", "100", "-o", a.toString()).code());
        assertEquals(0, Cli.run("kt", "generate", "--seed", "4", "--count", "20", "--train-size", "100", "-o", b.toString()).code());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        String text = Files.readString(a);
        assertEquals(20, text.lines().filter(l -> l.startsWith("# task")).count());
        Cli.Result exists = Cli.run("kt", "generate", "--count", "2", "-o", a.toString());
        assertEquals(1, exists.code());
        assertTrue(exists.stderr().contains("already exists"), exists.stderr());

        Cli.Result r = Cli.run("kt", "eval", "--tasks", a.toString(), "--budget-ms", "200", "-T", "1", "--format", "json");
        assertEquals(0, r.code(), r.stderr());
        Object json = MiniJson.parse(new String(r.stdout(), StandardCharsets.UTF_8));
        Map<?, ?> row = (Map<?, ?>) ((List<?>) json).get(0);
        assertEquals(20L, ((Number) row.get("items")).longValue());
        double acc = ((Number) row.get("accuracy")).doubleValue();
        assertTrue(acc > 0.5 && acc <= 1.0, "accuracy " + acc);
        assertTrue(((Number) row.get("our_rate")).doubleValue() > 0);
        double notSetList = ((Number) row.get("accurate_not_set_list")).doubleValue();
        double fallbackOnly = ((Number) row.get("fallback_only_accuracy")).doubleValue();
        assertTrue(notSetList <= acc && acc - notSetList <= fallbackOnly + 1e-9, notSetList + " / " + fallbackOnly + " / " + acc);
        assertEquals(0L, ((Number) row.get("solver_failures")).longValue());

        Cli.Result csv = Cli.run("kt", "eval", "--count", "5", "--seed", "2", "--train-size", "10", "--budget-ms", "100", "-T", "1", "--format", "csv");
        assertEquals(0, csv.code(), csv.stderr());
        String[] lines = new String(csv.stdout(), StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("dataset,items,accuracy"), lines[0]);
    }

    @Test
    void solveThenDecodeRestoresTheFile() throws Exception {
        Path in = dir.resolve("d.bin");
        byte[] raw = data();
        Files.write(in, raw);
        Cli.Result r = Cli.run("kt", "solve", in.toString(), "--budget-ms", "100", "-T", "1");
        assertEquals(0, r.code(), r.stderr());
        Path okt = dir.resolve("d.bin.okt");
        assertTrue(Files.size(okt) < raw.length);
        assertTrue(r.stderr().contains("chunks solved"), r.stderr());
        Cli.Result again = Cli.run("kt", "solve", in.toString());
        assertEquals(1, again.code());
        Cli.Result refuse = Cli.run("kt", "decode", okt.toString());
        assertEquals(1, refuse.code(), "d.bin exists");
        Path out = dir.resolve("back.bin");
        assertEquals(0, Cli.run("kt", "decode", okt.toString(), "-o", out.toString()).code());
        assertArrayEquals(raw, Files.readAllBytes(out));
        Cli.Result stdout = Cli.run("kt", "decode", okt.toString(), "-o", "-");
        assertEquals(0, stdout.code());
        assertArrayEquals(raw, stdout.stdout());
    }

    @Test
    void badInputsFailCleanly() throws Exception {
        Path in = dir.resolve("d.bin");
        Files.write(in, data());
        assertEquals(0, Cli.run("kt", "solve", in.toString(), "--budget-ms", "50", "-T", "1").code());
        byte[] okt = Files.readAllBytes(dir.resolve("d.bin.okt"));
        Path cut = dir.resolve("cut.okt");
        Files.write(cut, java.util.Arrays.copyOf(okt, okt.length - 5));
        Cli.Result r = Cli.run("kt", "decode", cut.toString(), "-o", dir.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().startsWith("occam: " + cut + ": corrupt input"), r.stderr());
        assertFalse(Files.exists(dir.resolve("x")));
        byte[] flipped = okt.clone();
        flipped[okt.length / 2] ^= 0x10;
        Path bad = dir.resolve("bad.okt");
        Files.write(bad, flipped);
        r = Cli.run("kt", "decode", bad.toString(), "-o", dir.resolve("y").toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().contains("corrupt input"), r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());

        Cli.Result missing = Cli.run("kt", "decode", dir.resolve("nope.okt").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.stderr().contains("No such file"), missing.stderr());
        assertEquals(2, Cli.run("kt", "solve", in.toString(), "--budget-ms", "0").code());
        assertEquals(2, Cli.run("kt", "eval", "--bogus").code());
        assertEquals(2, Cli.run("kt").code());

        Path tasks = dir.resolve("t.kt");
        Files.writeString(tasks, "# task 0\nsequence_1 = range_func_up(1, 5)\noutput = reverse_list(sequence_1)\n\n# task 1\nsequence_1 = range_func_up(1, 5)\noutput = frob(sequence_1)\n");
        Cli.Result malformed = Cli.run("kt", "eval", "--tasks", tasks.toString());
        assertEquals(1, malformed.code());
        assertTrue(malformed.stderr().contains("task 1 at line 7"), malformed.stderr());
    }

    @Test
    void evalReportsEachBadTaskWithItsLineAndEvaluatesTheRest() throws Exception {
        Path tasks = dir.resolve("mixed.kt");
        String text = String.join("\n",
                "# task 0: fine", // line 1
                "sequence_1 = range_func_up(1, 5)",
                "output = reverse_list(sequence_1)",
                "",
                "# task 1: malformed", // line 5
                "sequence_1 = range_func_up(1, 5)",
                "output = frob(sequence_1)", // line 7
                "",
                "# task 2: blows up (20^5 elements)", // line 9
                "sequence_1 = repeat_num(20, 7)",
                "sequence_2 = repeat_list(20, sequence_1)",
                "sequence_3 = repeat_list(20, sequence_2)",
                "sequence_4 = repeat_list(20, sequence_3)", // line 13
                "output = repeat_list(20, sequence_4)",
                "",
                "# task 3: out-of-range literal", // line 16
                "output = set_list([1, 300, 2])", // line 17
                "",
                "# task 4: fine", // line 19
                "sequence_1 = repeat_num(6, 42)",
                "output = add_item_list(sequence_1, 3)",
                "");
        Files.writeString(tasks, text);
        Cli.Result r = Cli.run("kt", "eval", "--tasks", tasks.toString(), "--budget-ms", "200", "-T", "1", "--format", "json");
        assertEquals(1, r.code(), r.stderr());
        List<String> errs = r.stderr().lines().toList();
        assertEquals(3, errs.size(), r.stderr());
        assertTrue(errs.get(0).startsWith("occam: " + tasks + ": task 1 at line 7: "), errs.get(0));
        assertTrue(errs.get(1).startsWith("occam: " + tasks + ": task 2 at line 13: "), errs.get(1));
        assertTrue(errs.get(2).startsWith("occam: " + tasks + ": task 3 at line 17: "), errs.get(2));
        assertFalse(r.stderr().contains("Exception"), r.stderr());
        // the two good tasks were still evaluated and reported
        Object json = MiniJson.parse(new String(r.stdout(), StandardCharsets.UTF_8));
        Map<?, ?> row = (Map<?, ?>) ((List<?>) json).get(0);
        assertEquals(2L, ((Number) row.get("items")).longValue());
        assertEquals(1.0, ((Number) row.get("accuracy")).doubleValue(), 1e-9);
    }
}
