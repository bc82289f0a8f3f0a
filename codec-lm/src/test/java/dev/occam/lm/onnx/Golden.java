package dev.occam.lm.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.occam.core.testing.Assets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stories260k test vectors (golden.json), read for tests. */
final class Golden {
    record Encoded(String text, int[] ids) {
    }

    record Generation(String prompt, int[] promptIds, int[] greedyIds, float[][] logits, String text) {
    }

    final List<Encoded> encode = new ArrayList<>();
    final List<Generation> gen = new ArrayList<>();

    static Path modelDir() {
        return Assets.require("lm/stories260k/model.onnx").getParent();
    }

    static Golden load() throws IOException {
        Path f = Assets.require("lm/stories260k/golden.json");
        JsonObject root = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
        Golden g = new Golden();
        for (JsonElement e : root.getAsJsonArray("encode")) {
            JsonObject o = e.getAsJsonObject();
            g.encode.add(new Encoded(o.get("text").getAsString(), ints(o.getAsJsonArray("ids"))));
        }
        for (JsonElement e : root.getAsJsonArray("gen")) {
            JsonObject o = e.getAsJsonObject();
            JsonArray ls = o.getAsJsonArray("logits");
            float[][] logits = new float[ls.size()][];
            for (int i = 0; i < ls.size(); i++) {
                JsonArray row = ls.get(i).getAsJsonArray();
                logits[i] = new float[row.size()];
                for (int j = 0; j < row.size(); j++) logits[i][j] = row.get(j).getAsFloat();
            }
            g.gen.add(new Generation(o.get("prompt").getAsString(), ints(o.getAsJsonArray("prompt_ids")),
                    ints(o.getAsJsonArray("greedy_ids")), logits,
                    o.get("text").getAsString()));
        }
        return g;
    }

    private static int[] ints(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsInt();
        return r;
    }
}
