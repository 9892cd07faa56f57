package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML config files: duplicate keys, values kept as written, the default preset, strict booleans. */
class ConfigFilesTest {
    static final Path F = Path.of("c.yaml");

    static String rejected(String yaml) {
        return assertThrows(BadInputException.class, () -> ConfigFiles.parseYaml(F, yaml)).getMessage();
    }

    @Test
    void duplicateKeysAreRefusedWithBothLines() {
        assertEquals("--config c.yaml: line 3: key 'train.steps' is given twice (first at line 2); give each key once",
                rejected("train:\n  steps: 20\n  steps: 30\n"));
        assertEquals("--config c.yaml: line 3: key 'train.steps' is given twice (first at line 1); give each key once",
                rejected("train.steps: 20\ntrain:\n  steps: 30\n"));
        assertEquals("--config c.yaml: line 3: key 'train' is given twice (first at line 1); give each key once",
                rejected("train:\n  steps: 20\ntrain:\n  seed: 3\n"));
        assertEquals("--config c.yaml: line 2: key 'preset' is given twice (first at line 1); give each key once",
                rejected("preset: ring8-gan\npreset: ring8-nsgan\n"));
    }

    @Test
    void valuesAreKeptAsWrittenAndNestingIsFlattened() {
        Map<String, String> m = ConfigFiles.parseYaml(F, "opt:\n  d:\n    lr: 1e-4\ntrain.steps: 1_000\n"
                + "data.standardize: yes\ngan.gp.center: \"0\"\n");
        assertEquals(Map.of("opt.d.lr", "1e-4", "train.steps", "1_000", "data.standardize", "yes", "gan.gp.center", "0"), m);
        assertEquals(List.of("opt.d.lr", "train.steps", "data.standardize", "gan.gp.center"), List.copyOf(m.keySet()));
        assertEquals(Map.of(), ConfigFiles.parseYaml(F, ""));
        assertEquals(Map.of(), ConfigFiles.parseYaml(F, "# only a comment\n"));
    }

    @Test
    void structuralProblemsNameTheLine() {
        assertTrue(rejected("train:\n  steps: [1, 2\n").startsWith("--config c.yaml: not valid YAML at line"));
        assertEquals("--config c.yaml: line 2: key 'train.steps' holds a list; every key takes a single value",
                rejected("train:\n  steps: [1, 2]\n"));
        assertEquals("--config c.yaml: line 1: key 'train.steps' has no value", rejected("train.steps:\n"));
        assertEquals("--config c.yaml: expected a mapping of keys to values at the top level, found a list at line 1",
                rejected("- a\n- b\n"));
        assertTrue(rejected("a: 1\n---\nb: 2\n").startsWith("--config c.yaml: holds more than one YAML document"));
    }

    @Test
    void aFileWithoutAPresetStartsFromTheDefaultPreset(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path y = java.nio.file.Files.writeString(dir.resolve("c.yaml"), "train:\n  steps: 10\n");
        ConfigFiles.Resolved r = ConfigFiles.resolve(null, y, List.of(), Map.of());
        assertEquals("ring8-wgan-gp", r.preset());
        assertEquals("0.1", r.config().asText().get("gan.gp.weight"));
        assertEquals("preset ring8-wgan-gp (default)", r.config().source("gan.gp.weight"));
        assertTrue(r.note().contains("names no 'preset:'"), r.note());
        r = ConfigFiles.resolve("ring8-nsgan", y, List.of(), Map.of());
        assertNull(r.note());
        assertEquals("preset ring8-nsgan", r.config().source("gan.objective"));
        r = ConfigFiles.resolve(null, null, List.of(), Map.of());
        assertNull(r.note());
        assertEquals("preset ring8-wgan-gp", r.config().source("gan.gp.weight"), "plain 'ganflow train' is unchanged");
    }

    @Test
    void booleansAreTrueOrFalseInAnyCaseAndNothingElse() {
        for (String ok : List.of("true", "TRUE", "False", " false ")) {
            Config.builder().set("data.standardize", ok, "--set");
        }
        for (String bad : List.of("yes", "no", "on", "off", "1", "0", "y", "")) {
            String m = assertThrows(BadInputException.class,
                    () -> Config.builder().set("data.standardize", bad, "--set")).getMessage();
            assertEquals("data.standardize=" + bad.trim() + " (from --set) is not allowed; allowed: true, false", m);
        }
    }
}
