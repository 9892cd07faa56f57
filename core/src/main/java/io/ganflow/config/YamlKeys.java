package io.ganflow.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ganflow.BadInputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads config keys from YAML text: nested ({@code train: {steps: 5000}}) or dotted ({@code train.steps:
 * 5000}), flattened to dotted keys with text values. A duplicate key, a list or an empty value is refused
 * with the source and line named.
 */
public final class YamlKeys {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private YamlKeys() {}

    /**
     * @param text the YAML document
     * @param source how messages name it, e.g. "--config my.yaml" or "preset file ring8.yaml"
     */
    public static Map<String, String> parse(String text, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            YAML.readTree(text); // the whole document's syntax first, so a syntax error is reported as one
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new BadInputException(source + ": not valid YAML" + where + ": " + e.getOriginalMessage().split("\n")[0]);
        }
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return out;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new BadInputException(source + ": expected a mapping of keys to values at the top level");
            }
            object(p, source, "", out);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new BadInputException(source + ": not valid YAML" + where + ": " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot read: " + e.getMessage());
        }
        return out;
    }

    /** Reads the fields of an object up to its END_OBJECT; scalars keep their text as written. */
    private static void object(JsonParser p, String source, String prefix, Map<String, String> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
            int line = p.currentLocation().getLineNr();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                object(p, source, key, out);
            } else if (v == JsonToken.START_ARRAY) {
                throw new BadInputException(source + ": line " + line + ": key '" + key
                        + "' holds a list; every key takes a single value");
            } else if (v == JsonToken.VALUE_NULL) {
                throw new BadInputException(source + ": line " + line + ": key '" + key + "' has no value");
            } else if (out.put(key, p.getText()) != null) {
                throw new BadInputException(source + ": line " + line + ": key '" + key + "' is given twice");
            }
        }
    }
}
