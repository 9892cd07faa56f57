package io.ganflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Preset;
import io.ganflow.config.Presets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a configuration from its layers, later ones winning: key defaults, then the preset, then the
 * YAML file, then {@code --set} overrides, then the dedicated flags (--steps, --seed, --threads).
 *
 * <p>A YAML file may nest keys ({@code train: {steps: 5000}}) or write them dotted
 * ({@code train.steps: 5000}), and may name a base preset with a top-level {@code preset:} key.
 */
public final class ConfigFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigFiles() {}

    /** The flattened key/value pairs of a YAML config file. */
    public static Map<String, String> readYaml(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--config " + file + ": file not found");
        } catch (IOException e) {
            throw new BadInputException("--config " + file + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new BadInputException("--config " + file + ": not valid YAML" + where + ": "
                    + e.getOriginalMessage().split("\n")[0]);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new BadInputException("--config " + file + ": expected a mapping of keys to values at the top level");
        }
        flatten(file, "", root, out);
        return out;
    }

    private static void flatten(Path file, String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(file, key, v, out);
            } else if (v.isArray()) {
                throw new BadInputException("--config " + file + ": key '" + key
                        + "' holds a list; every key takes a single value");
            } else if (v.isNull()) {
                throw new BadInputException("--config " + file + ": key '" + key + "' has no value");
            } else {
                out.put(key, v.asText());
            }
        }
    }

    /** Parses "key=value" from --set. */
    public static Map.Entry<String, String> parseSet(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException("--set " + kv + ": expected key=value, e.g. --set train.steps=2000");
        }
        return Map.entry(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }

    /**
     * Resolves every layer into a validated config.
     *
     * @param preset the --preset name, or null
     * @param file the --config file, or null
     * @param sets the --set key=value strings
     * @param flags dedicated flags as key/value (e.g. train.steps from --steps)
     * @return the config and the name of the preset used (or "custom")
     */
    public static Resolved resolve(String preset, Path file, List<String> sets, Map<String, String> flags) {
        Map<String, String> fileValues = file == null ? Map.of() : readYaml(file);
        String presetName = preset;
        if (fileValues.containsKey("preset")) {
            String p = fileValues.get("preset");
            if (presetName != null && !presetName.equals(p)) {
                throw new BadInputException("--preset " + presetName + " conflicts with 'preset: " + p + "' in " + file
                        + "; give one of them");
            }
            presetName = p;
        }
        if (presetName == null && file == null) {
            presetName = Presets.DEFAULT;
        }
        Config.Builder b = Config.builder();
        if (presetName != null) {
            Preset p = Presets.get(presetName);
            b.setAll(p.values(), "preset " + p.name());
        }
        Map<String, String> rest = new LinkedHashMap<>(fileValues);
        rest.remove("preset");
        b.setAll(rest, file == null ? "" : file.toString());
        for (String kv : sets) {
            Map.Entry<String, String> e = parseSet(kv);
            b.set(e.getKey(), e.getValue(), "--set");
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            b.set(e.getKey(), e.getValue(), "--" + flagName(e.getKey()));
        }
        return new Resolved(b.build(), presetName == null ? "custom" : presetName);
    }

    private static String flagName(String key) {
        return key.substring(key.indexOf('.') + 1);
    }

    /** Writes the resolved config as YAML, one dotted key per line, with each value's source. */
    public static void writeResolved(Config c, String preset, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# ganflow resolved configuration: every key, with where its value came from.\n");
        sb.append("# Re-run it with: ganflow train --config ").append(file.getFileName()).append('\n');
        sb.append("# preset: ").append(preset).append('\n');
        for (Map.Entry<String, String> e : c.asText().entrySet()) {
            sb.append(e.getKey()).append(": ").append(yamlScalar(e.getValue()))
                    .append("  # ").append(c.source(e.getKey())).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    static String yamlScalar(String v) {
        if (v.isEmpty() || !v.matches("[A-Za-z0-9_.+\\-/]+") || v.equalsIgnoreCase("null") || v.equals("~")) {
            return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return v;
    }

    /** A resolved config and the preset it started from. */
    public record Resolved(Config config, String preset) {}
}
