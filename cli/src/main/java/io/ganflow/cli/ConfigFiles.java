package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.ResolvedConfig;
import io.ganflow.config.YamlKeys;
import io.ganflow.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Command-line parts of configuration: --config files, --set strings and the layers they make. The
 * layers themselves are resolved by {@link TrainingRun.Builder#resolveConfig()}, YAML is read by
 * {@link YamlKeys}, and config.yaml is written by {@link ResolvedConfig}; this class names them as the
 * command line sees them.
 */
public final class ConfigFiles {
    /** Appended to the source of values that come from the default preset because no preset was named. */
    static final String DEFAULT_MARK = ResolvedConfig.DEFAULT_MARK;

    private ConfigFiles() {}

    /** The flattened key/value pairs of a YAML config file, in file order (see {@link YamlKeys}). */
    public static Map<String, String> readYaml(Path file) {
        return YamlKeys.readFile(file, "--config " + file);
    }

    /** {@link #readYaml} on text already read; {@code file} only names it in messages. */
    static Map<String, String> parseYaml(Path file, String text) {
        return YamlKeys.parse(text, "--config " + file);
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
     * Resolves every layer into a validated config, without loading data or building anything.
     *
     * @param preset the --preset name, or null
     * @param file the --config file, or null
     * @param sets the --set key=value strings
     * @param flags dedicated flags as key/value (e.g. train.steps from --steps)
     */
    public static Resolved resolve(String preset, Path file, List<String> sets, Map<String, String> flags) {
        TrainingRun.Builder b = TrainingRun.builder();
        if (preset != null) {
            b.preset(preset);
        }
        if (file != null) {
            b.configFile(file);
        }
        for (String kv : sets) {
            Map.Entry<String, String> e = parseSet(kv);
            b.set(e.getKey(), e.getValue(), "--set");
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            b.set(e.getKey(), e.getValue(), "--" + e.getKey().substring(e.getKey().indexOf('.') + 1));
        }
        TrainingRun.Resolved r = b.resolveConfig();
        return new Resolved(r.config(), r.preset(), r.note().orElse(null));
    }

    /** Writes the resolved config as YAML, one dotted key per line, with each value's source. */
    public static void writeResolved(Config c, String preset, Path file) throws IOException {
        ResolvedConfig.write(c, preset, file);
    }

    static String yamlScalar(String v) {
        return ResolvedConfig.yamlScalar(v);
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
