package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.data.csv.CsvTable;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV table split into its data columns and one label column ({@code data.label_column}), with the labels
 * checked: whole numbers 0..K−1, K ≥ 2, every class present, and at least one data column left.
 *
 * @param rows the data columns of every row
 * @param labels each row's class
 * @param classes K
 */
record CsvLabels(double[][] rows, long[] labels, int classes) {
    static CsvLabels split(CsvTable table, String column) {
        int j = table.header().indexOf(column);
        String where = "data.label_column=" + column;
        if (j < 0) {
            throw new BadInputException(where + " is not a column of " + table.path() + "; allowed: "
                    + String.join(", ", table.header()));
        }
        if (table.columns() < 2) {
            throw new BadInputException(where + " leaves no data column in " + table.path() + " (it has only "
                    + column + ")");
        }
        double[][] all = table.rows();
        double[][] rows = new double[all.length][];
        long[] labels = new long[all.length];
        long max = -1;
        for (int i = 0; i < all.length; i++) {
            double v = all[i][j];
            if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
                // data row i + 1 after the header
                throw new BadInputException(table.path() + ": data row " + (i + 1) + ", column " + column + ": label "
                        + v + " is not allowed; allowed: whole numbers 0, 1, ..., K-1 (one per class)");
            }
            labels[i] = (long) v;
            max = Math.max(max, labels[i]);
            double[] r = new double[all[i].length - 1];
            for (int k = 0, o = 0; k < all[i].length; k++) {
                if (k != j) {
                    r[o++] = all[i][k];
                }
            }
            rows[i] = r;
        }
        int classes = (int) max + 1;
        boolean[] seen = new boolean[classes];
        for (long y : labels) {
            seen[(int) y] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            if (!seen[k]) {
                missing.add(Integer.toString(k));
            }
        }
        if (classes < 2) {
            throw new BadInputException(table.path() + ": " + where + " holds one class (0); allowed: at least two"
                    + " classes, labelled 0..K-1");
        }
        if (!missing.isEmpty()) {
            throw new BadInputException(table.path() + ": " + where + " has labels up to " + max + " but no row of"
                    + " class " + String.join(", ", missing.subList(0, Math.min(10, missing.size())))
                    + (missing.size() > 10 ? ", ..." : "") + "; allowed: labels 0..K-1 with every class present");
        }
        return new CsvLabels(rows, labels, classes);
    }
}
