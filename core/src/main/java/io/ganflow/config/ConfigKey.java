package io.ganflow.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its type, default, allowed range or choices, and what it means.
 *
 * @param name dotted name, e.g. {@code gan.n_critic}
 * @param type value type
 * @param defaultValue the default, as text
 * @param choices allowed values for {@link KeyType#CHOICE}
 * @param min inclusive lower bound for numbers (null: none)
 * @param max upper bound for numbers (null: none)
 * @param minExclusive true when {@code min} itself is not allowed
 * @param maxExclusive true when {@code max} itself is not allowed
 * @param description one line for {@code ganflow keys}
 */
public record ConfigKey(String name, KeyType type, String defaultValue, List<String> choices, Double min, Double max,
        boolean minExclusive, boolean maxExclusive, String description) {

    /** Parses and checks a value; throws IllegalArgumentException with "what is allowed" as message. */
    Object parse(String raw) {
        String v = raw.trim();
        switch (type) {
            case INT:
            case LONG: {
                long x;
                try {
                    x = Long.parseLong(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a whole number" + rangeText());
                }
                checkRange(x);
                if (type == KeyType.INT) {
                    if (x > Integer.MAX_VALUE || x < Integer.MIN_VALUE) {
                        throw new IllegalArgumentException("is too large" + rangeText());
                    }
                    return (int) x;
                }
                return x;
            }
            case DOUBLE: {
                double x;
                try {
                    x = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number" + rangeText());
                }
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("must be a finite number" + rangeText());
                }
                checkRange(x);
                return x;
            }
            case BOOL: {
                // Exactly what 'ganflow keys' lists: true | false (any case). YAML 1.1's yes/no/on/off are
                // refused rather than guessed, as YAML 1.2 and most tools read them as strings.
                String l = v.toLowerCase(Locale.ROOT);
                if (l.equals("true")) {
                    return true;
                }
                if (l.equals("false")) {
                    return false;
                }
                throw new IllegalArgumentException("is not allowed; allowed: true, false");
            }
            case CHOICE:
                if (!choices.contains(v)) {
                    throw new IllegalArgumentException("is not allowed; allowed: " + String.join(", ", choices));
                }
                return v;
            default:
                return v;
        }
    }

    private void checkRange(double x) {
        boolean ok = true;
        if (min != null) {
            ok = minExclusive ? x > min : x >= min;
        }
        if (ok && max != null) {
            ok = maxExclusive ? x < max : x <= max;
        }
        if (!ok) {
            throw new IllegalArgumentException("is out of range" + rangeText());
        }
    }

    /** E.g. " (allowed: > 0)" or " (allowed: 1 to 5000)". */
    String rangeText() {
        if (min == null && max == null) {
            return "";
        }
        if (max == null) {
            return " (allowed: " + (minExclusive ? "> " : ">= ") + fmt(min) + ")";
        }
        if (min == null) {
            return " (allowed: " + (maxExclusive ? "< " : "<= ") + fmt(max) + ")";
        }
        return " (allowed: " + fmt(min) + (minExclusive ? " (exclusive)" : "") + " to " + fmt(max)
                + (maxExclusive ? " (exclusive)" : "") + ")";
    }

    /** What values the key takes, for listings. */
    public String allowed() {
        switch (type) {
            case CHOICE:
                return String.join(" | ", choices);
            case BOOL:
                return "true | false";
            case STRING:
                return "text";
            default:
                String r = rangeText();
                String kind = type == KeyType.DOUBLE ? "number" : "integer";
                return r.isEmpty() ? kind : kind + " " + r.substring(2, r.length() - 1).replace("allowed: ", "");
        }
    }

    private static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
