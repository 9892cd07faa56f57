package io.ganflow.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rows of every seed, grouped by their labels: for each condition and value, the mean and the sample
 * standard deviation over the seeds. Written as table.csv (mean and std columns) and table.md (mean ± std),
 * and the per-seed rows as seeds.csv.
 */
public final class ResultTable {
    /** One condition: its labels, and for each value the list of per-seed measurements. */
    public record Condition(Map<String, String> labels, Map<String, List<Double>> values) {
        public double mean(String value) {
            List<Double> v = values.get(value);
            return v == null ? Double.NaN : Stats.mean(v);
        }

        public double std(String value) {
            List<Double> v = values.get(value);
            return v == null ? Double.NaN : Stats.std(v);
        }

        public String label(String name) {
            return labels.get(name);
        }

        /** Whether every given (name, value) label pair matches. */
        public boolean matches(String... labelPairs) {
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                if (!Objects.equals(labels.get(labelPairs[i]), labelPairs[i + 1])) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Condition> conditions = new ArrayList<>();
    private final List<String> labelNames;
    private final List<String> valueNames;
    private final List<Trial> trials;

    public ResultTable(List<Trial> trials) {
        this.trials = List.copyOf(trials);
        Set<String> ln = new LinkedHashSet<>();
        Set<String> vn = new LinkedHashSet<>();
        Map<Map<String, String>, Condition> byLabels = new LinkedHashMap<>();
        for (Trial t : trials) {
            for (Trial.Row r : t.rows()) {
                ln.addAll(r.labels().keySet());
                vn.addAll(r.values().keySet());
                Condition c = byLabels.computeIfAbsent(new LinkedHashMap<>(r.labels()),
                        k -> new Condition(k, new LinkedHashMap<>()));
                r.values().forEach((k, v) -> c.values().computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
        }
        conditions.addAll(byLabels.values());
        labelNames = List.copyOf(ln);
        valueNames = List.copyOf(vn);
    }

    public List<Condition> conditions() {
        return conditions;
    }

    /** The conditions whose labels match the given (name, value) pairs. */
    public List<Condition> where(String... labelPairs) {
        return conditions.stream().filter(c -> c.matches(labelPairs)).toList();
    }

    /** The one condition matching the pairs; an exception if none or several. */
    public Condition get(String... labelPairs) {
        List<Condition> m = where(labelPairs);
        if (m.size() != 1) {
            throw new IllegalArgumentException(m.size() + " conditions match " + String.join(" ", labelPairs));
        }
        return m.get(0);
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public List<String> valueNames() {
        return valueNames;
    }

    public int seeds() {
        return trials.size();
    }

    /** table.csv: the labels, then for each value its mean and its std over the seeds, then the seed count. */
    public String csv() {
        StringBuilder b = new StringBuilder();
        List<String> head = new ArrayList<>(labelNames);
        for (String v : valueNames) {
            head.add(v);
            head.add(v + "_std");
        }
        head.add("seeds");
        b.append(String.join(",", head.stream().map(ResultTable::csvCell).toList())).append('\n');
        for (Condition c : conditions) {
            List<String> cells = new ArrayList<>();
            for (String l : labelNames) {
                cells.add(csvCell(c.labels().getOrDefault(l, "")));
            }
            int n = 0;
            for (String v : valueNames) {
                List<Double> xs = c.values().get(v);
                cells.add(xs == null ? "" : number(Stats.mean(xs)));
                cells.add(xs == null ? "" : number(Stats.std(xs)));
                n = Math.max(n, xs == null ? 0 : xs.size());
            }
            cells.add(Integer.toString(n));
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    /** seeds.csv: every seed's rows as measured. */
    public String seedsCsv() {
        StringBuilder b = new StringBuilder();
        List<String> head = new ArrayList<>();
        head.add("seed");
        head.addAll(labelNames);
        head.addAll(valueNames);
        b.append(String.join(",", head.stream().map(ResultTable::csvCell).toList())).append('\n');
        for (Trial t : trials) {
            for (Trial.Row r : t.rows()) {
                List<String> cells = new ArrayList<>();
                cells.add(Long.toString(t.seed()));
                for (String l : labelNames) {
                    cells.add(csvCell(r.labels().getOrDefault(l, "")));
                }
                for (String v : valueNames) {
                    Double x = r.values().get(v);
                    cells.add(x == null ? "" : number(x));
                }
                b.append(String.join(",", cells)).append('\n');
            }
        }
        return b.toString();
    }

    /** table.md: the labels, then each value as mean ± std (the mean alone with one seed). */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        List<String> head = new ArrayList<>(labelNames);
        head.addAll(valueNames);
        b.append("| ").append(String.join(" | ", head)).append(" |\n");
        b.append("|").append("---|".repeat(head.size())).append('\n');
        for (Condition c : conditions) {
            List<String> cells = new ArrayList<>();
            for (String l : labelNames) {
                cells.add(c.labels().getOrDefault(l, ""));
            }
            for (String v : valueNames) {
                List<Double> xs = c.values().get(v);
                if (xs == null) {
                    cells.add("");
                } else if (xs.size() > 1) {
                    cells.add(format(Stats.mean(xs)) + " ± " + format(Stats.std(xs)));
                } else {
                    cells.add(format(xs.get(0)));
                }
            }
            b.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return b.toString();
    }

    /** Four significant digits, plain notation for ordinary magnitudes. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            String s = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros()
                    .toPlainString();
            return s;
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(v);
    }

    static String csvCell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
