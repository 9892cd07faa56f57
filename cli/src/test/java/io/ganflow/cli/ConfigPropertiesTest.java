package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.Fuzz;
import io.ganflow.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-based tests of configuration parsing: whatever a --set string or a YAML file holds, resolving
 * it either gives a validated config or throws {@link BadInputException} with one line, and never hangs.
 */
class ConfigPropertiesTest {
    @TempDir
    Path dir;

    static final List<String> KEYS = new ArrayList<>(Config.defaults().asText().keySet());

    static final List<String> VALUES = List.of("1", "0", "-1", "2.5", "1e-4", "1e400", "NaN", "-Infinity", "true", "TRUE",
            "yes", "no", "", " ", "adam", "ring8", "csv", "none", "all", "0,1", "99999999999", "1_000", "0x10", "~",
            "null", "é", "\"", "'q'");

    static String key(Random r) {
        String k = KEYS.get(r.nextInt(KEYS.size()));
        switch (r.nextInt(6)) {
            case 0:
                return k.substring(0, r.nextInt(k.length() + 1)); // truncated: a typo
            case 1:
                return Fuzz.anyString(r, 12);
            default:
                return k;
        }
    }

    static String value(Random r) {
        return r.nextInt(4) == 0 ? Fuzz.anyString(r, 12) : VALUES.get(r.nextInt(VALUES.size()));
    }

    static void oneLine(BadInputException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        assertTrue(Main.handle(e, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())) == Main.BAD_INPUT);
    }

    @Test
    void setOverridesResolveOrFailAsBadInput() {
        Fuzz.forAll("--set", 41, r -> {
            List<String> sets = new ArrayList<>();
            for (int i = r.nextInt(4); i >= 0; i--) {
                switch (r.nextInt(5)) {
                    case 0:
                        sets.add(Fuzz.anyString(r, 20));
                        break;
                    case 1:
                        sets.add(key(r) + value(r));
                        break;
                    default:
                        sets.add(key(r) + "=" + value(r));
                }
            }
            return sets;
        }, Object::toString, sets -> {
            try {
                ConfigFiles.Resolved c = ConfigFiles.resolve(null, null, sets, Map.of());
                assertEquals(KEYS.size(), c.config().asText().size());
            } catch (BadInputException e) {
                oneLine(e);
            }
        });
    }

    static final List<String> YAML_TOKENS = List.of("train", "steps", "gan", "opt", "d", "lr", "preset", "data",
            "standardize", ": ", ":", " ", "  ", "\n", "\n", "\n  ", "\n    ", "\t", "- ", "[", "]", "{", "}", ", ", "#",
            "&a ", "*a", "!!str ", "!!int ", "!!binary ", "---\n", "...\n", "\"", "'", "|\n  ", ">\n  ", "? ", "<<: ",
            "%YAML 1.2\n", "1", "5000", "1e-4", "yes", "true", "null", "~", "ring8-gan", "é", ".");

    @Test
    void yamlFilesResolveOrFailAsBadInput() {
        Path f = dir.resolve("c.yaml");
        Fuzz.forAll("yaml", 42, r -> {
            switch (r.nextInt(4)) {
                case 0:
                    return Fuzz.anyString(r, 60);
                case 1: { // well-formed lines with random keys and values
                    StringBuilder b = new StringBuilder();
                    for (int i = r.nextInt(6); i > 0; i--) {
                        b.append(key(r)).append(": ").append(value(r)).append('\n');
                    }
                    return b.toString();
                }
                default:
                    return Fuzz.tokens(r, YAML_TOKENS, 40);
            }
        }, Fuzz::show, text -> {
            Files.write(f, Fuzz.utf8(text)); // lone surrogates become '?', as any editor would save them
            try {
                ConfigFiles.Resolved c = ConfigFiles.resolve(null, f, List.of(), Map.of());
                assertEquals(KEYS.size(), c.config().asText().size());
            } catch (BadInputException e) {
                oneLine(e);
                assertTrue(e.getMessage().contains(f.toString()) || e.getMessage().startsWith("unknown preset"),
                        "names the file: " + e.getMessage());
            }
        });
    }

    @Test
    void yamlFromBytesNeverEscapes() {
        Path f = dir.resolve("b.yaml");
        byte[] valid = Fuzz.utf8("preset: ring8-gan\ntrain:\n  steps: 20\n  seed: 3\nopt.d.lr: 1e-4\n");
        Fuzz.forAll("yaml bytes", 43, r -> r.nextInt(3) == 0 ? Fuzz.bytes(r, 80) : Fuzz.mutate(r, valid), Fuzz::show,
                bytes -> {
                    Files.write(f, bytes);
                    try {
                        ConfigFiles.readYaml(f);
                    } catch (BadInputException e) {
                        oneLine(e);
                        assertTrue(e.getMessage().startsWith("--config " + f), e.getMessage());
                    }
                });
    }
}
