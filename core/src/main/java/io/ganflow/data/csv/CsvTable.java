package io.ganflow.data.csv;

import java.nio.file.Path;
import java.util.List;

/**
 * A numeric table read from a CSV file.
 *
 * @param path where it came from
 * @param header column names (generated as c1, c2, … when the file has no header line)
 * @param rows the values, one array per data row
 */
public record CsvTable(Path path, List<String> header, double[][] rows) {
    public int columns() {
        return header.size();
    }
}
