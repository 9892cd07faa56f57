package io.ganflow.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ganflow.BadInputException;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads config keys from YAML text: nested ({@code train: {steps: 5000}}) or dotted ({@code train.steps:
 * 5000}), flattened to dotted keys whose values keep their text as written ({@code 5e-4} stays
 * {@code 5e-4}). A key given twice, in the same mapping or once dotted and once nested, is refused with both
 * line numbers (YAML parsers differ on which one wins, so ganflow picks neither); so are lists, empty
 * values, a second document and syntax errors, each naming the source and the line.
 */
public final class YamlKeys {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlKeys() {}

    /**
     * Reads a YAML file of keys; {@code source} names it in messages (e.g. "--config my.yaml"). A missing file,
     * a directory, text that is not UTF-8 and read errors are refused naming the file.
     */
    public static Map<String, String> readFile(java.nio.file.Path file, String source) {
        String text;
        try {
            if (java.nio.file.Files.isDirectory(file)) {
                throw new BadInputException(source + ": is a directory, expected a YAML file");
            }
            text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException(source + ": file not found");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException(source + ": not UTF-8 text (is it a binary file?)");
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot read: " + io.ganflow.StorageException.reason(e));
        }
        return parse(text, source);
    }

    /**
     * @param text the YAML document
     * @param source how messages name it, e.g. "--config my.yaml" or "preset file ring8.yaml"
     */
    public static Map<String, String> parse(String text, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            // A syntax error anywhere is reported first, as such, before what the keys mean.
            while (p.nextToken() != null) {
                // just parse
            }
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw notValid(source, e);
        }
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return out;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new BadInputException(source + ": expected a mapping of keys to values at the top level, found "
                        + describe(t) + " at line " + p.currentTokenLocation().getLineNr());
            }
            readMapping(source, p, "", out, lines);
            if (p.nextToken() != null) {
                throw new BadInputException(source + ": holds more than one YAML document (a second one starts at line "
                        + p.currentTokenLocation().getLineNr() + "); give one");
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw notValid(source, e);
        }
        return out;
    }

    /** "not valid YAML at line L, column C: reason", for the parser's and the YAML library's own errors. */
    private static BadInputException notValid(String source, Throwable e) {
        if (e instanceof BadInputException b) {
            return b;
        }
        if (e instanceof JsonProcessingException j) {
            String where = j.getLocation() == null ? "" : " at line " + j.getLocation().getLineNr() + ", column "
                    + j.getLocation().getColumnNr();
            String why = j.getOriginalMessage() == null ? e.getClass().getSimpleName() : j.getOriginalMessage();
            return new BadInputException(source + ": not valid YAML" + where + ": " + why.strip().split("\n")[0]);
        }
        // e.g. an alias or a tag the library cannot resolve, or nesting too deep
        String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage().strip().split("\n")[0];
        return new BadInputException(source + ": not valid YAML: " + why);
    }

    private static void readMapping(String source, JsonParser p, String prefix, Map<String, String> out,
            Map<String, Integer> lines) throws IOException {
        Map<String, Integer> here = new HashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw new BadInputException(source + ": unexpected " + describe(t) + " at line "
                        + p.currentTokenLocation().getLineNr());
            }
            String name = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            Integer first = here.putIfAbsent(name, line);
            if (first != null) {
                throw twice(source, key, first, line);
            }
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                readMapping(source, p, key, out, lines);
            } else if (v == JsonToken.START_ARRAY) {
                throw new BadInputException(source + ": line " + line + ": key '" + key
                        + "' holds a list; every key takes a single value");
            } else if (v == JsonToken.VALUE_NULL) {
                throw new BadInputException(source + ": line " + line + ": key '" + key + "' has no value");
            } else if (v != null && v.isScalarValue()) {
                if (lines.containsKey(key)) {
                    throw twice(source, key, lines.get(key), line);
                }
                out.put(key, p.getText());
                lines.put(key, line);
            } else {
                throw new BadInputException(source + ": line " + line + ": key '" + key + "' has an unexpected value ("
                        + describe(v) + ")");
            }
        }
    }

    private static BadInputException twice(String source, String key, int first, int line) {
        return new BadInputException(source + ": line " + line + ": key '" + key + "' is given twice (first at line "
                + first + "); give each key once");
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
}
