package io.ganflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presets are YAML resources, one per preset, and a user's directory adds more. */
class PresetsTest {
    @TempDir
    Path dir;

    @Test
    void everyBuiltInIsAResourceWithSourceAndMeasuredResult() throws IOException {
        List<Preset> all = Presets.all();
        assertTrue(all.size() >= 27, "presets: " + all.size());
        for (Preset p : all) {
            if (!Presets.origin(p.name()).equals("built-in")) {
                continue;
            }
            String text;
            try (var in = getClass().getClassLoader().getResourceAsStream("presets/" + p.name() + ".yaml")) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(text.contains("# Source:") && text.contains("# Measured"), p.name());
            Config.builder().setAll(p.values(), "preset").build(); // every value valid
        }
        Preset d = Presets.get(Presets.DEFAULT);
        assertEquals("wasserstein", d.values().get("gan.objective"));
        assertEquals("5e-4", d.values().get("opt.g.lr")); // the text as written, not a reformatted double
    }

    @Test
    void aUserDirectoryAddsPresetsNestedOrDotted() throws IOException {
        Files.writeString(dir.resolve("wide-ring.yaml"), "description: wide\ndata.name: ring8\n"
                + "gan: {objective: hinge, n_critic: 2}\nmodel:\n  g:\n    width: 64\n");
        assertEquals(List.of("wide-ring"), Presets.addDirectory(dir));
        Preset p = Presets.get("wide-ring");
        assertEquals("hinge", p.values().get("gan.objective"));
        assertEquals("64", p.values().get("model.g.width"));
        assertEquals(dir.toString(), Presets.origin("wide-ring"));
    }

    @Test
    void badPresetFilesAreRefusedNamingTheFile() throws IOException {
        Path d1 = Files.createDirectory(dir.resolve("dup"));
        Files.writeString(d1.resolve("ring8-wgan-gp.yaml"), "data.name: ring8\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Presets.addDirectory(d1));
        assertTrue(e.getMessage().contains("already taken by built-in"), e.getMessage());

        Path d2 = Files.createDirectory(dir.resolve("twice"));
        Files.writeString(d2.resolve("p.yaml"), "train.steps: 5\ntrain.steps: 6\n");
        e = assertThrows(BadInputException.class, () -> Presets.addDirectory(d2));
        assertTrue(e.getMessage().contains("p.yaml") && e.getMessage().contains("train.steps"), e.getMessage());

        Path d3 = Files.createDirectory(dir.resolve("badkey"));
        Files.writeString(d3.resolve("q.yaml"), "train.stepz: 5\n");
        e = assertThrows(BadInputException.class, () -> Presets.addDirectory(d3));
        assertTrue(e.getMessage().contains("train.stepz") && e.getMessage().contains("train.steps"), e.getMessage());
    }
}
