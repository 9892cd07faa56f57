package io.ganflow.data.csv;

import io.ganflow.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a numeric CSV file strictly: every data row must have the header's number of cells, and every
 * cell must be a finite decimal number. The first error stops the read with a message of the form
 * {@code file:line:column: reason}; nothing is skipped or half-loaded. Blank lines carry no data and are
 * ignored. The delimiter is a comma, or a semicolon or tab when the first line has no comma. A first line
 * with a non-numeric cell is the header. Categorical columns are not supported yet (see docs/data.md).
 *
 * <p>Every value must satisfy |x| &lt; {@link #MAX_ABS} (10<sup>30</sup>). The bound keeps every later step
 * finite: a value must fit float32 (|x| &le; 3.4e38), the model's type, even when it is not standardised;
 * the standardiser sums values and squared deviations in double, and with |x| &lt; 1e30 a deviation's
 * square is below 4e60, so even 2<sup>31</sup> rows sum to under 1e70, far from double's 1.8e308 (values
 * near 1e300 overflowed there, and training ended as "diverged"); a standardised value is then at most
 * sqrt(n) in size. Numbers this large in real data are almost always a unit or parsing mistake.
 */
public final class CsvReader {
    /** The largest magnitude a CSV value may have (exclusive). */
    public static final double MAX_ABS = 1e30;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private CsvReader() {}

    public static CsvTable read(Path path) {
        List<String> lines = readLines(path);
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first == lines.size()) {
            throw new BadInputException(path + ": the file is empty (no header and no data rows)");
        }
        String firstLine = stripBom(lines.get(first));
        char delim = delimiter(firstLine);
        List<String> firstCells = split(firstLine, delim);
        boolean hasHeader = false;
        for (String c : firstCells) {
            if (!NUMBER.matcher(unquote(c)).matches() && !NON_FINITE.matcher(unquote(c)).matches()) {
                hasHeader = true;
                break;
            }
        }
        List<String> header = new ArrayList<>();
        if (hasHeader) {
            for (int j = 0; j < firstCells.size(); j++) {
                String h = unquote(firstCells.get(j));
                if (h.isEmpty()) {
                    throw new BadInputException(path + ":" + (first + 1) + ":" + (j + 1)
                            + ": empty column name in the header line");
                }
                header.add(h);
            }
        } else {
            for (int j = 0; j < firstCells.size(); j++) {
                header.add("c" + (j + 1));
            }
        }
        int d = header.size();
        List<double[]> rows = new ArrayList<>();
        for (int i = hasHeader ? first + 1 : first; i < lines.size(); i++) {
            String line = i == first ? firstLine : lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            List<String> cells = split(line, delim);
            if (cells.size() != d) {
                throw new BadInputException(path + ":" + lineNo + ": ragged row: " + cells.size() + " cells, expected "
                        + d + " (as in line " + (first + 1) + ")");
            }
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = parseCell(path, lineNo, j, header.get(j), hasHeader, cells.get(j));
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new BadInputException(path + ": no data rows (only a header line)");
        }
        return new CsvTable(path, List.copyOf(header), rows.toArray(new double[0][]));
    }

    private static double parseCell(Path path, int lineNo, int j, String name, boolean named, String raw) {
        String cell = unquote(raw);
        String where = path + ":" + lineNo + ":" + (j + 1) + ": " + (named ? "column '" + name + "': " : "");
        if (cell.isEmpty()) {
            throw new BadInputException(where + "empty cell; expected a finite number");
        }
        if (NON_FINITE.matcher(cell).matches()) {
            throw new BadInputException(where + "'" + cell + "' is not finite; expected a finite number");
        }
        if (!NUMBER.matcher(cell).matches()) {
            throw new BadInputException(where + "'" + abbreviate(cell) + "' is not a number"
                    + " (categorical columns are not supported yet)");
        }
        double v = Double.parseDouble(cell);
        if (!Double.isFinite(v)) {
            throw new BadInputException(where + "'" + abbreviate(cell) + "' overflows a double; expected a finite number");
        }
        if (Math.abs(v) >= MAX_ABS) {
            throw new BadInputException(where + "value " + abbreviate(cell) + " is too large; allowed: |x| < 1e30"
                    + " (rescale the column)");
        }
        return v;
    }

    private static List<String> readLines(Path path) {
        if (Files.isDirectory(path)) {
            throw new BadInputException(path + ": is a directory, expected a CSV file");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                lines.add(l);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(path + ": file not found");
        } catch (CharacterCodingException e) {
            throw new BadInputException(path + ": not UTF-8 text (is it a binary file?)");
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot read: " + e.getMessage());
        }
        return lines;
    }

    private static char delimiter(String firstLine) {
        if (firstLine.indexOf(',') >= 0) {
            return ',';
        }
        if (firstLine.indexOf(';') >= 0) {
            return ';';
        }
        if (firstLine.indexOf('\t') >= 0) {
            return '\t';
        }
        return ',';
    }

    private static List<String> split(String line, char delim) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
                cur.append(ch);
            } else if (ch == delim && !quoted) {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        cells.add(cur.toString());
        return cells;
    }

    private static String unquote(String cell) {
        String c = cell.trim();
        if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
            c = c.substring(1, c.length() - 1).replace("\"\"", "\"").trim();
        }
        return c;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
