package dev.occam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output shapes of codecs, list and bench (table, CSV, JSON). */
class ReportsTest {
    @TempDir
    Path dir;

    /** Splits one CSV line (RFC 4180 quotes). */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (c == '"') {
                    q = false;
                } else {
                    sb.append(c);
                }
            } else if (c == '"') {
                q = true;
            } else if (c == ',') {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        out.add(sb.toString());
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonArray(String text) {
        return (List<Map<String, Object>>) MiniJson.parse(text);
    }

    @Test
    void codecsListsEveryCodecInEveryFormat() {
        Cli.Result t = Cli.run("codecs");
        assertEquals(0, t.code(), t.toString());
        String[] lines = t.out().split("\n");
        assertTrue(lines[0].startsWith("name "), lines[0]);
        String xor = null;
        for (String l : lines) if (l.startsWith("testxor ")) xor = l;
        assertTrue(xor != null, t.out());
        assertTrue(xor.matches("testxor +txr +\\.txr +classical +1\\.\\.9 +5 +yes +yes +test-only XOR codec with CRC32 trailer"), xor);

        Cli.Result c = Cli.run("codecs", "--format", "csv");
        String[] rows = c.out().split("\n");
        assertEquals(List.of("name", "aliases", "extension", "kind", "levels", "default_level", "compress", "decompress",
                "description"), csv(rows[0]));
        assertEquals(dev.occam.core.codec.CodecRegistry.getDefault().all().size() + 1, rows.length);
        boolean foundDecodeOnly = false;
        for (String r : rows) {
            List<String> f = csv(r);
            assertEquals(9, f.size(), r);
            if (f.get(0).equals("testdeconly")) {
                foundDecodeOnly = true;
                assertEquals("no", f.get(6));
            }
        }
        assertTrue(foundDecodeOnly);

        List<Map<String, Object>> js = jsonArray(Cli.run("codecs", "--format", "JSON").out());
        assertEquals(rows.length - 1, js.size());
        Map<String, Object> nm = js.stream().filter(m -> m.get("name").equals("testnomagic")).findFirst().orElseThrow();
        assertNull(nm.get("default_level"));
        assertEquals("-", nm.get("levels"));
    }

    @Test
    void listShowsClassicalFormatsAndFailsOnUnknownFiles() throws IOException {
        byte[] a = CliTest.sample(1234, 1);
        Path pa = Files.write(dir.resolve("a.txr"), CliTest.encode(a, 5));
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[] {1, 2, 3});
        Cli.Result r = Cli.run("list", "--format", "csv", pa.toString(), junk.toString());
        assertEquals(1, r.code());
        assertTrue(r.stderr().startsWith("occam: " + junk + ": corrupt input: not in a known compressed format"), r.stderr());
        String[] rows = r.out().split("\n");
        assertEquals(List.of("file", "format", "codec", "params", "model", "blocks", "compressed_bytes",
                "uncompressed_bytes", "ratio", "original_bytes"), csv(rows[0]));
        assertEquals(2, rows.length, r.out());
        List<String> f = csv(rows[1]);
        assertEquals(pa.toString(), f.get(0));
        assertEquals("testxor", f.get(1));
        assertEquals(String.valueOf(Files.size(pa)), f.get(6));
        assertEquals("", f.get(7), "raw size unknown for this format");

        List<Map<String, Object>> js = jsonArray(Cli.run("l", "--format", "json", pa.toString()).out());
        assertEquals(1, js.size());
        assertEquals((double) Files.size(pa), js.get(0).get("compressed_bytes"));
        assertNull(js.get(0).get("uncompressed_bytes"));

        Cli.Result table = Cli.run("list", pa.toString());
        assertEquals(0, table.code());
        assertTrue(table.out().split("\n")[1].startsWith(pa + "  testxor"), table.out());
        assertEquals(2, Cli.run("list").code(), "list needs a file");
    }

    @Test
    void benchCsvJsonAndTable() throws IOException {
        byte[] a = CliTest.sample(20_000, 2);
        byte[] b = CliTest.sample(3_000, 3);
        Path pa = Files.write(dir.resolve("a,1.txt"), a); // a comma: CSV must quote it
        Path pb = Files.write(dir.resolve("b.txt"), b);
        Cli.Result r = Cli.run("bench", "--codecs", "testxor,testnomagic", "--levels", "1,3-4", "--repeat", "2",
                "--format", "csv", pa.toString(), pb.toString());
        assertEquals(0, r.code(), r.toString());
        String[] rows = r.out().split("\n");
        assertEquals(List.of(BenchCommand.COLUMNS), csv(rows[0]));
        // 2 files x (3 levels of testxor + 1 run of level-less testnomagic)
        assertEquals(1 + 2 * 4, rows.length, r.out());
        assertTrue(r.stderr().contains("testnomagic has no levels"), r.stderr());
        List<String> first = csv(rows[1]);
        assertEquals(List.of(pa.toString(), "testxor", "1", "20000", String.valueOf(CliTest.encode(a, 1).length)),
                first.subList(0, 5));
        double ratio = Double.parseDouble(first.get(5));
        assertEquals(20000.0 / CliTest.encode(a, 1).length, ratio, 1e-3);
        assertEquals(8.0 * CliTest.encode(a, 1).length / 20000, Double.parseDouble(first.get(6)), 1e-3);
        assertTrue(Double.parseDouble(first.get(7)) > 0 && Double.parseDouble(first.get(8)) > 0);
        assertEquals("2", first.get(9));
        List<String> levelless = csv(rows[4]);
        assertEquals("testnomagic", levelless.get(1));
        assertEquals("", levelless.get(2));

        Cli.Result j = Cli.run("bench", "--codecs", "testxor", "--levels", "9", "--repeat", "1", "--format", "json",
                pb.toString());
        assertEquals(0, j.code(), j.toString());
        List<Map<String, Object>> js = jsonArray(j.out());
        assertEquals(1, js.size());
        assertEquals(List.of(BenchCommand.COLUMNS), new ArrayList<>(js.get(0).keySet()));
        assertEquals(9.0, js.get(0).get("level"));
        assertEquals((double) CliTest.encode(b, 9).length, js.get(0).get("compressed_bytes"));

        Cli.Result t = Cli.run("bench", "--codecs", "testxor", "--repeat", "1", pb.toString());
        assertEquals(0, t.code(), t.toString());
        String[] tl = t.out().split("\n");
        assertTrue(tl[0].startsWith("#") && tl[1].startsWith("#") && tl[1].contains("10^6"), t.out());
        assertEquals(3, tl.length, t.out());
        assertTrue(tl[2].matches("testxor +5 # " + java.util.regex.Pattern.quote(pb.toString())
                + " +: +3000 -> +" + CliTest.encode(b, 5).length + " \\(x\\d+\\.\\d{3}, \\d+\\.\\d{3} bpb\\), +\\d+\\.\\d\\d MB/s, +\\d+\\.\\d\\d MB/s"), tl[2]);
    }

    @Test
    void benchEmptyFileGivesNullRatioInJson() throws IOException {
        Path e = Files.write(dir.resolve("empty"), new byte[0]);
        Cli.Result j = Cli.run("bench", "--codecs", "testxor", "--repeat", "1", "--format", "json", e.toString());
        assertEquals(0, j.code(), j.toString());
        Map<String, Object> row = jsonArray(j.out()).get(0);
        assertEquals(0.0, row.get("original_bytes"));
        assertNull(row.get("bits_per_byte"));
    }

    @Test
    void benchFailuresAndUsage() throws IOException {
        Path p = Files.write(dir.resolve("p.txt"), CliTest.sample(5000, 4));
        Cli.Result broken = Cli.run("bench", "--codecs", "testbroken,testxor", "--repeat", "1", "--format", "csv",
                p.toString(), dir.resolve("missing").toString());
        assertEquals(1, broken.code());
        assertTrue(broken.stderr().contains("occam: " + p + ": testbroken level 5: round trip FAILED: decoded bytes"
                + " differ from the input at byte 10"), broken.stderr());
        assertTrue(broken.stderr().contains("occam: " + dir.resolve("missing") + ": No such file"), broken.stderr());
        String[] rows = broken.out().split("\n");
        assertEquals(2, rows.length, "header + the good testxor row: " + broken.out());
        assertEquals("testxor", csv(rows[1]).get(1));

        assertEquals(2, Cli.run("bench", "--codecs", "nosuch", p.toString()).code());
        assertEquals(2, Cli.run("bench", "--codecs", "testdeconly", p.toString()).code());
        assertEquals(2, Cli.run("bench", "--codecs", "testxor", "--levels", "12-14", p.toString()).code());
        assertEquals(2, Cli.run("bench", "--codecs", "testxor", "--levels", "x", p.toString()).code());
        assertEquals(2, Cli.run("bench", "--codecs", "testxor", "--repeat", "0", p.toString()).code());
        assertEquals(2, Cli.run("bench").code());
    }

    @Test
    void sizeAndLevelParsers() {
        assertEquals(65536, Sizes.parseSize("64k"));
        assertEquals(65536, Sizes.parseSize("64KiB"));
        assertEquals(1 << 20, Sizes.parseSize("1M"));
        assertEquals(1 << 30, Sizes.parseSize("1g"));
        assertEquals(1000, Sizes.parseSize("1000"));
        assertEquals(List.of(1, 3, 4, 5, 9), Sizes.parseLevels("9,1,3-5,4"));
        assertEquals(List.of(-5, -4, -3), Sizes.parseLevels("-5--3"));
        assertEquals(List.of(2, 3), Sizes.parseLevels("2..3"));
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> Sizes.parseSize("3G"));
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> Sizes.parseLevels("5-1"));
    }

    @Test
    void levelShortcutRewriting() {
        assertEquals(List.of("compress", "--level=19", "-T", "-3", "f"),
                List.of(Occam.rewriteLevelShortcuts(new String[] {"compress", "-19", "-T", "-3", "f"})));
        assertEquals(List.of("c", "-o", "-5", "--", "-6"),
                List.of(Occam.rewriteLevelShortcuts(new String[] {"c", "-o", "-5", "--", "-6"})));
        assertEquals(List.of("decompress", "-5"), List.of(Occam.rewriteLevelShortcuts(new String[] {"decompress", "-5"})));
    }
}
