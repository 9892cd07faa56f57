package io.ganflow.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where config keys are declared: {@link Schema} declares the shared ones (data, nets, optimisers, the loop,
 * evaluation, logging) and each {@link Family} its own. A key declared twice is a programming error.
 */
public final class Keys {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    Keys() {}

    /** A key of a type without range or choices (string, bool). */
    public Keys add(String name, KeyType type, String def, String description) {
        return add(new ConfigKey(name, type, def, List.of(), null, null, false, false, description));
    }

    public Keys add(ConfigKey k) {
        if (keys.putIfAbsent(k.name(), k) != null) {
            throw new IllegalArgumentException("config key " + k.name() + " is declared twice");
        }
        return this;
    }

    /** A key whose value is one of {@code choices}. */
    public Keys choice(String name, String def, List<String> choices, String description) {
        return add(new ConfigKey(name, KeyType.CHOICE, def, List.copyOf(choices), null, null, false, false, description));
    }

    /** A number in [min, max] (either end null: open; exclusive where the flag says so). */
    public Keys number(String name, KeyType type, String def, Double min, boolean minEx, Double max, boolean maxEx,
            String description) {
        return add(new ConfigKey(name, type, def, List.of(), min, max, minEx, maxEx, description));
    }

    Map<String, ConfigKey> asMap() {
        return keys;
    }
}
