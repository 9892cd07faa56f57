package io.ganflow.config;

import io.ganflow.BadInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated, immutable configuration: a value for every key of the {@link Schema}, with where each
 * value came from (default, a preset, a file, --set). Build one with {@link #builder()}; every set is
 * checked at once, so a typo or a bad value fails before any work starts.
 */
public final class Config {
    private final Schema schema;
    private final Map<String, Object> values;
    private final Map<String, String> raw;
    private final Map<String, String> sources;

    private Config(Schema schema, Map<String, Object> values, Map<String, String> raw, Map<String, String> sources) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    public static Builder builder() {
        return new Builder(Schema.standard());
    }

    /** The defaults of every key. */
    public static Config defaults() {
        return builder().build();
    }

    public int getInt(String key) {
        return (Integer) get(key);
    }

    public long getLong(String key) {
        return (Long) get(key);
    }

    public double getDouble(String key) {
        return (Double) get(key);
    }

    public boolean getBool(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    private Object get(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no config key " + key);
        }
        return v;
    }

    /** Where a key's value came from, e.g. "default", "preset ring8-gan", "--set". */
    public String source(String key) {
        return sources.get(key);
    }

    /** Every key's value as text, in schema order. */
    public Map<String, String> asText() {
        return raw;
    }

    /** A new builder starting from this config's values and sources. */
    public Builder toBuilder() {
        Builder b = new Builder(schema);
        b.values.putAll(values);
        b.raw.putAll(raw);
        b.sources.putAll(sources);
        return b;
    }

    /** A one-line description of a bad value, naming the key, the value, where it came from and what is allowed. */
    public static BadInputException badValue(String key, String value, String source, String problem) {
        return new BadInputException(key + "=" + value + " (from " + source + ") " + problem);
    }

    /** Accumulates values; {@link #set} validates immediately. */
    public static final class Builder {
        private final Schema schema;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, String> raw = new LinkedHashMap<>();
        private final Map<String, String> sources = new LinkedHashMap<>();

        Builder(Schema schema) {
            this.schema = schema;
            for (ConfigKey k : schema.keys()) {
                values.put(k.name(), k.parse(k.defaultValue()));
                raw.put(k.name(), k.defaultValue());
                sources.put(k.name(), "default");
            }
        }

        /** Sets a key from text. Unknown keys and bad values raise {@link BadInputException}. */
        public Builder set(String key, String value, String source) {
            ConfigKey k = schema.get(key).orElseThrow(() -> unknownKey(key, source));
            if (value == null) {
                throw badValue(key, "", source, "has no value");
            }
            try {
                values.put(key, k.parse(value));
            } catch (IllegalArgumentException e) {
                throw badValue(key, value.trim(), source, e.getMessage());
            }
            raw.put(key, value.trim());
            sources.put(key, source);
            return this;
        }

        /** Sets every entry of a map. */
        public Builder setAll(Map<String, String> entries, String source) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                set(e.getKey(), e.getValue(), source);
            }
            return this;
        }

        private BadInputException unknownKey(String key, String source) {
            String hint = schema.suggest(key).map(s -> "; did you mean '" + s + "'?").orElse("");
            return new BadInputException("unknown config key '" + key + "' (from " + source + ")" + hint
                    + " Run 'ganflow keys' to list every key.");
        }

        public Config build() {
            return new Config(schema, values, raw, sources);
        }
    }
}
