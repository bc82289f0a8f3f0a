package dev.occam.kv;

import dev.occam.core.testing.Assets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: the stories260k model (skipped without assets) and the short stories in the test resources. */
final class Stories {
    private static KvModel model;

    private Stories() {
    }

    /** The model directory, or the test is skipped. */
    static Path modelDir() {
        return Assets.require("lm/stories260k/model.onnx").getParent();
    }

    /** One shared model per test JVM (closing ORT sessions between tests buys nothing). */
    static synchronized KvModel model() throws IOException {
        Path dir = modelDir();
        if (model == null) model = KvModel.open(dir, null);
        return model;
    }

    /** The four short stories of stories.txt (separated by lines "---"). */
    static List<String> texts() throws IOException {
        try (InputStream in = Stories.class.getResourceAsStream("stories.txt")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> r = new ArrayList<>();
            for (String s : all.split("\n---\n")) r.add(s.strip());
            return r;
        }
    }
}
