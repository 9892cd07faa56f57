package io.ganflow.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import io.ganflow.config.Config;
import io.ganflow.config.Preset;
import io.ganflow.config.Presets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
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
    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();

    /** Appended to the source of values that come from the default preset because no preset was named. */
    static final String DEFAULT_MARK = " (default)";

    private ConfigFiles() {}

    /**
     * The flattened key/value pairs of a YAML config file, in file order. A key given twice, in the same
     * mapping or once dotted and once nested ({@code train.steps: 1} and {@code train: {steps: 2}}), is
     * refused with both line numbers: YAML parsers differ on which one wins, so ganflow picks neither.
     */
    public static Map<String, String> readYaml(Path file) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new BadInputException("--config " + file + ": is a directory, expected a YAML file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--config " + file + ": file not found");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException("--config " + file + ": not UTF-8 text (is it a binary file?)");
        } catch (IOException e) {
            throw new BadInputException("--config " + file + ": cannot read: " + StorageException.reason(e));
        }
        return parseYaml(file, text);
    }

    /** {@link #readYaml} on text already read; {@code file} only names it in messages. */
    static Map<String, String> parseYaml(Path file, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML_FACTORY.createParser(text)) {
            // A syntax error anywhere is reported first, as such, before what the keys mean.
            while (p.nextToken() != null) {
                // just parse
            }
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw notValid(file, e);
        }
        try (JsonParser p = YAML_FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return out;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new BadInputException("--config " + file + ": expected a mapping of keys to values at the top"
                        + " level, found " + describe(t) + " at line " + p.currentTokenLocation().getLineNr());
            }
            readMapping(file, p, "", out, lines);
            if (p.nextToken() != null) {
                throw new BadInputException("--config " + file + ": holds more than one YAML document (a second one"
                        + " starts at line " + p.currentTokenLocation().getLineNr() + "); give one");
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw notValid(file, e);
        }
        return out;
    }

    /** "not valid YAML at line L, column C: reason", for the parser's and the YAML library's own errors. */
    private static BadInputException notValid(Path file, Throwable e) {
        if (e instanceof BadInputException) {
            return (BadInputException) e;
        }
        if (e instanceof JsonProcessingException) {
            JsonProcessingException j = (JsonProcessingException) e;
            String where = j.getLocation() == null ? "" : " at line " + j.getLocation().getLineNr() + ", column "
                    + j.getLocation().getColumnNr();
            String why = j.getOriginalMessage() == null ? e.getClass().getSimpleName() : j.getOriginalMessage();
            return new BadInputException("--config " + file + ": not valid YAML" + where + ": "
                    + why.strip().split("\n")[0]);
        }
        // e.g. an alias or a tag the library cannot resolve, or nesting too deep
        String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage().strip().split("\n")[0];
        return new BadInputException("--config " + file + ": not valid YAML: " + why);
    }

    private static void readMapping(Path file, JsonParser p, String prefix, Map<String, String> out,
            Map<String, Integer> lines) throws IOException {
        Map<String, Integer> here = new HashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw new BadInputException("--config " + file + ": unexpected " + describe(t) + " at line "
                        + p.currentTokenLocation().getLineNr());
            }
            String name = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            Integer first = here.putIfAbsent(name, line);
            if (first != null) {
                throw twice(file, key, first, line);
            }
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                readMapping(file, p, key, out, lines);
            } else if (v == JsonToken.START_ARRAY) {
                throw new BadInputException("--config " + file + ": line " + line + ": key '" + key
                        + "' holds a list; every key takes a single value");
            } else if (v == JsonToken.VALUE_NULL) {
                throw new BadInputException("--config " + file + ": line " + line + ": key '" + key + "' has no value");
            } else if (v != null && v.isScalarValue()) {
                if (lines.containsKey(key)) {
                    throw twice(file, key, lines.get(key), line);
                }
                out.put(key, p.getText());
                lines.put(key, line);
            } else {
                throw new BadInputException("--config " + file + ": line " + line + ": key '" + key
                        + "' has an unexpected value (" + describe(v) + ")");
            }
        }
    }

    private static BadInputException twice(Path file, String key, int first, int line) {
        return new BadInputException("--config " + file + ": line " + line + ": key '" + key + "' is given twice"
                + " (first at line " + first + "); give each key once");
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        switch (t) {
            case START_ARRAY:
                return "a list";
            case START_OBJECT:
                return "a mapping";
            case VALUE_EMBEDDED_OBJECT:
                return "binary data";
            default:
                return t.isScalarValue() ? "a single value" : t.toString();
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
     * @return the config, the name of the preset it started from (the default preset when neither
     *     --preset nor the file names one), and a note saying so when a file names none
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
        String note = null;
        String presetSource = null;
        if (presetName == null) {
            // Like plain 'ganflow train': a config file that names no preset starts from the default one,
            // not from the bare key defaults (a WGAN without penalty or clipping).
            presetName = Presets.DEFAULT;
            if (file != null) {
                presetSource = "preset " + Presets.DEFAULT + DEFAULT_MARK;
                // A file that sets every key (a run's config.yaml) does not depend on the preset: no note.
                if (!fileValues.keySet().containsAll(Config.defaults().asText().keySet())) {
                    note = "--config " + file + " names no 'preset:'; keys it does not set come from the default"
                            + " preset, " + Presets.DEFAULT + " (add 'preset: NAME' to choose another)";
                }
            }
        }
        Config.Builder b = Config.builder();
        Preset p = Presets.get(presetName);
        b.setAll(p.values(), presetSource != null ? presetSource : "preset " + p.name());
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
        return new Resolved(b.build(), presetName, note);
    }

    private static String flagName(String key) {
        return key.substring(key.indexOf('.') + 1);
    }

    /** Writes the resolved config as YAML, one dotted key per line, with each value's source. */
    public static void writeResolved(Config c, String preset, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# ganflow resolved configuration: every key, with where its value came from.\n");
        sb.append("# Re-run it with: ganflow train --config ").append(file.getFileName()).append('\n');
        boolean implicit = c.asText().keySet().stream()
                .anyMatch(k -> ("preset " + preset + DEFAULT_MARK).equals(c.source(k)));
        sb.append("# preset: ").append(preset).append(implicit ? DEFAULT_MARK : "").append('\n');
        for (Map.Entry<String, String> e : c.asText().entrySet()) {
            sb.append(e.getKey()).append(": ").append(yamlScalar(e.getValue()))
                    .append("  # ").append(c.source(e.getKey())).append('\n');
        }
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (StorageException.isStorageProblem(e)) {
                throw StorageException.writing(file, e);
            }
            throw e;
        }
    }

    static String yamlScalar(String v) {
        if (v.isEmpty() || !v.matches("[A-Za-z0-9_.+\\-/]+") || v.equalsIgnoreCase("null") || v.equals("~")) {
            return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return v;
    }

    /**
     * A resolved config, the preset it started from, and a note for the user (null when none): a config
     * file without a preset line starts from the default preset.
     */
    public record Resolved(Config config, String preset, String note) {
        public Resolved(Config config, String preset) {
            this(config, preset, null);
        }
    }
}
