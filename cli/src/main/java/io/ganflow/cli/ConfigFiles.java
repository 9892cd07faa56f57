package io.ganflow.cli;

import io.ganflow.BadInputException;
import java.util.Map;

/**
 * Command-line parts of configuration. The layers themselves (key defaults, preset, YAML file, --set,
 * flags) are resolved by {@link io.ganflow.run.TrainingRun.Builder}; YAML files are read by
 * {@link io.ganflow.config.YamlKeys}.
 */
final class ConfigFiles {
    private ConfigFiles() {}

    /** Parses "key=value" from --set. */
    static Map.Entry<String, String> parseSet(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException("--set " + kv + ": expected key=value, e.g. --set train.steps=2000");
        }
        return Map.entry(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
}
