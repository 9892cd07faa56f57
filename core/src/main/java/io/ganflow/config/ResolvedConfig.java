package io.ganflow.config;

import io.ganflow.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The resolved configuration file of a run ({@code config.yaml}): every key, one dotted key per line, with
 * where its value came from as a comment. It is itself a valid config file.
 */
public final class ResolvedConfig {
    /** Appended to the source of values that come from the default preset because no preset was named. */
    public static final String DEFAULT_MARK = " (default)";

    private ResolvedConfig() {}

    /** Writes {@code c} to {@code file}, naming the preset it started from. */
    public static void write(Config c, String preset, Path file) throws IOException {
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
            if (io.ganflow.StorageException.isStorageProblem(e)) {
                throw io.ganflow.StorageException.writing(file, e);
            }
            throw e;
        }
    }

    /** Reads a {@code config.yaml} written by {@link #write}; the source of every value is {@code source}. */
    public static Config read(Path file, String source) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        return Config.builder().setAll(YamlKeys.parse(text, file.toString()), source).build();
    }

    /** The preset named on the {@code # preset:} line of a {@code config.yaml}, or "custom". */
    public static String presetOf(Path file) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("# preset: ")) {
                    String p = line.substring("# preset: ".length()).trim();
                    return p.endsWith(DEFAULT_MARK.trim()) ? p.substring(0, p.length() - DEFAULT_MARK.length()).trim() : p;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "custom";
    }

    /** A value as a YAML scalar, quoted where YAML would read it differently. */
    public static String yamlScalar(String v) {
        if (v.isEmpty() || !v.matches("[A-Za-z0-9_.+\\-/]+") || v.equalsIgnoreCase("null") || v.equals("~")) {
            return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return v;
    }

    /** Rebuilds the exact config a checkpoint was trained with, from its metadata. */
    @SuppressWarnings("unchecked")
    public static Config fromCheckpointMeta(Map<String, Object> meta, Path file) {
        Object cfg = meta.get("config");
        if (!(cfg instanceof Map)) {
            throw new BadInputException(file + ": checkpoint carries no config");
        }
        Config.Builder b = Config.builder();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) cfg).entrySet()) {
            b.set(e.getKey(), String.valueOf(e.getValue()), "checkpoint");
        }
        return b.build();
    }
}
