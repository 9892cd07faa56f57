package io.ganflow.config;

import io.ganflow.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The presets: YAML files of config keys, one per preset. The built-ins are resources under
 * {@code presets/} (listed in {@code presets/index.txt}); each starts with comments naming its source and
 * its measured result. A user's directory of {@code NAME.yaml} files adds more ({@link #addDirectory}, the
 * CLI's {@code --preset-dir}). A preset file holds a {@code description:} line and any config keys, nested
 * or dotted. {@link #DEFAULT} is what {@code ganflow train} runs with no arguments.
 */
public final class Presets {
    public static final String DEFAULT = "ring8-wgan-gp";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

    private static final Map<String, Preset> ALL = new LinkedHashMap<>();
    private static final Map<String, String> ORIGIN = new LinkedHashMap<>();

    static {
        for (String name : builtInNames()) {
            String resource = "presets/" + name + ".yaml";
            add(parse(name, readResource(resource), "preset resource " + resource), "built-in");
        }
    }

    private Presets() {}

    private static List<String> builtInNames() {
        List<String> names = new ArrayList<>();
        for (String line : readResource("presets/index.txt").split("\n")) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#")) {
                names.add(l);
            }
        }
        return names;
    }

    private static String readResource(String name) {
        try (InputStream in = Presets.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the ganflow-core jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /**
     * Parses one preset file's text. Every key must be a known config key with an allowed value.
     *
     * @param source how messages name the file
     */
    public static Preset parse(String name, String yaml, String source) {
        Map<String, String> values = new LinkedHashMap<>(YamlKeys.parse(yaml, source));
        String description = values.remove("description");
        if (values.containsKey("preset")) {
            throw new BadInputException(source + ": a preset cannot name another preset ('preset: " + values.get("preset")
                    + "'); list its keys instead");
        }
        Config.Builder check = Config.builder();
        check.setAll(values, source);
        return new Preset(name, description == null ? "(no description)" : description, values);
    }

    /** Reads {@code NAME.yaml} as the preset NAME. */
    public static Preset readFile(Path file) {
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5)
                : fileName.endsWith(".yml") ? fileName.substring(0, fileName.length() - 4) : fileName;
        if (!NAME.matcher(name).matches()) {
            throw new BadInputException(file + ": '" + name + "' is not a preset name; allowed: letters, digits, '_', '-', '.'");
        }
        try {
            return parse(name, Files.readString(file, StandardCharsets.UTF_8), "preset file " + file);
        } catch (IOException e) {
            throw new BadInputException("preset file " + file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Adds every {@code *.yaml} / {@code *.yml} file of a directory as a preset. A name that is already
     * taken, by a built-in or an earlier directory, is refused.
     *
     * @return the names added, sorted
     */
    public static synchronized List<String> addDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("--preset-dir " + dir + ": not a directory");
        }
        Map<String, Preset> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            for (Path f : ds) {
                Preset p = readFile(f);
                if (ALL.containsKey(p.name()) || found.containsKey(p.name())) {
                    throw new BadInputException(f + ": preset name '" + p.name() + "' is already taken by "
                            + ORIGIN.getOrDefault(p.name(), "another file in " + dir) + "; rename the file");
                }
                found.put(p.name(), p);
            }
        } catch (IOException e) {
            throw new BadInputException("--preset-dir " + dir + ": cannot read: " + e.getMessage());
        }
        for (Preset p : found.values()) {
            add(p, dir.toString());
        }
        return new ArrayList<>(found.keySet());
    }

    private static synchronized void add(Preset p, String origin) {
        ALL.put(p.name(), p);
        ORIGIN.put(p.name(), origin);
    }

    public static synchronized List<Preset> all() {
        return new ArrayList<>(ALL.values());
    }

    /** Where a preset came from: "built-in" or the directory it was read from. */
    public static synchronized String origin(String name) {
        return ORIGIN.getOrDefault(name, "unknown");
    }

    public static synchronized Optional<Preset> find(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    public static synchronized Preset get(String name) {
        return find(name).orElseThrow(() -> new BadInputException("unknown preset '" + name + "'; allowed: "
                + String.join(", ", ALL.keySet())));
    }
}
