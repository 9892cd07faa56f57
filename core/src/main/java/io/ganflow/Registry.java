package io.ganflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Named factories of one kind (data sets, nets, methods, objectives, metrics). Built-ins register when the
 * registry is created; users add their own with {@link #register} or through a {@link java.util.ServiceLoader}
 * plug-in. The names of a registry are the allowed values of its config key, so a choice is written once.
 *
 * @param <T> the factory type
 */
public final class Registry<T> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.\\-]*");
    private static final AtomicLong GENERATION = new AtomicLong();

    /** A registered factory with its one-line description. */
    public record Entry<T>(String name, String description, T factory) {}

    private final String kind;
    private final String key;
    private final Map<String, Entry<T>> entries = new LinkedHashMap<>();

    /**
     * @param kind what the entries are, for messages ("data set")
     * @param key the config key whose value names an entry ("data.name"), for messages
     */
    public Registry(String kind, String key) {
        this.kind = kind;
        this.key = key;
    }

    /**
     * Adds a factory under a new name (lower case letters, digits, '_', '-', '.').
     *
     * @throws IllegalArgumentException if the name is malformed or already taken
     */
    public synchronized Registry<T> register(String name, String description, T factory) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " name '" + name + "' is not allowed; use lower-case letters,"
                    + " digits, '_', '-' and '.'");
        }
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException(kind + " '" + name + "' is already registered");
        }
        entries.put(name, new Entry<>(name, description, java.util.Objects.requireNonNull(factory, "factory")));
        GENERATION.incrementAndGet();
        return this;
    }

    /** Removes a user's entry (tests, hot reload); returns whether it existed. */
    public synchronized boolean unregister(String name) {
        boolean removed = entries.remove(name) != null;
        if (removed) {
            GENERATION.incrementAndGet();
        }
        return removed;
    }

    public synchronized Optional<Entry<T>> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** The factory for {@code name}; a {@link BadInputException} naming the key and the allowed names if none. */
    public synchronized T get(String name) {
        Entry<T> e = entries.get(name);
        if (e == null) {
            throw new BadInputException(key + "=" + name + " is not allowed; allowed: " + String.join(", ", names()));
        }
        return e.factory();
    }

    public synchronized List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    public synchronized List<Entry<T>> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    public String kind() {
        return kind;
    }

    public String key() {
        return key;
    }

    /** Changes whenever any registry changes; lets the config schema refresh its choices. */
    public static long generation() {
        return GENERATION.get();
    }
}
