package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.Registry;
import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.data.TensorDataset;
import io.ganflow.data.csv.CsvReader;
import io.ganflow.data.csv.CsvTable;
import io.ganflow.data.idx.IdxArray;
import io.ganflow.data.idx.IdxReader;
import io.ganflow.data.toy.Checkerboard;
import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.data.toy.Moons;
import io.ganflow.data.toy.SwissRoll;
import io.ganflow.engine.Ops;
import java.nio.file.Path;

/** The built-in data sets: the toy distributions and the csv / idx file readers. */
final class DataSetup {
    private DataSetup() {}

    static void registerBuiltIns(Registry<DatasetFactory> r) {
        r.register("ring8", "8 Gaussians on a ring of radius 2, std 0.02", c -> GaussianMixture.ring8());
        r.register("grid25", "25 Gaussians on the grid {-4, -2, 0, 2, 4}^2, std 0.05", c -> GaussianMixture.grid25());
        r.register("swissroll", "the 2-D swiss roll", c -> new SwissRoll());
        r.register("moons", "two interleaved half circles", c -> new Moons());
        r.register("checkerboard", "a 4x4 checkerboard of uniform squares", c -> new Checkerboard());
        r.register("csv", "numeric columns of a CSV file (data.path); data.holdout held out", DataSetup::csv);
        r.register("idx", "an IDX file (MNIST format, data.path), flattened and scaled to [-1, 1]", DataSetup::idx);
    }

    private static Path requirePath(Config c, String what) {
        String p = c.getString("data.path");
        if (p.isBlank()) {
            throw new BadInputException("data.path is empty, but data.name=" + c.getString("data.name")
                    + " needs a " + what + " file: add --set data.path=FILE");
        }
        return Path.of(p);
    }

    private static Dataset csv(Config c) {
        CsvTable table = CsvReader.read(requirePath(c, "CSV"));
        if (table.rows().length < 2) {
            throw new BadInputException(table.path() + ": has " + table.rows().length
                    + " data row; training needs at least 2");
        }
        return TensorDataset.fromRows("csv:" + table.path().getFileName(), table.rows(), c.getDouble("data.holdout"),
                c.getLong("train.seed"), c.getBool("data.standardize"));
    }

    private static Dataset idx(Config c) {
        Path path = requirePath(c, "IDX");
        IdxArray images = IdxReader.read(path);
        int n = images.count();
        int d = images.itemSize();
        float[] data = images.data();
        int label = c.getInt("data.label");
        boolean[] keep = null;
        if (label >= 0) {
            String lp = c.getString("data.labels");
            if (lp.isBlank()) {
                throw new BadInputException("data.label=" + label + " needs data.labels=FILE (the IDX labels file)");
            }
            IdxArray labels = IdxReader.read(Path.of(lp));
            if (labels.count() != n || labels.itemSize() != 1) {
                throw new BadInputException(lp + ": holds " + labels.count() + " labels of size " + labels.itemSize()
                        + ", but " + path + " holds " + n + " items");
            }
            keep = new boolean[n];
            for (int i = 0; i < n; i++) {
                keep[i] = (int) labels.data()[i] == label;
            }
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (keep == null || keep[i]) {
                m++;
            }
        }
        if (m < 2) {
            throw new BadInputException(path + ": " + m + " items" + (label >= 0 ? " with label " + label : "")
                    + "; training needs at least 2");
        }
        float[] rows = new float[m * d];
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (keep == null || keep[i]) {
                for (int j = 0; j < d; j++) {
                    rows[r * d + j] = data[i * d + j] / 127.5f - 1f;
                }
                r++;
            }
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        java.util.Arrays.fill(mean, 127.5);
        java.util.Arrays.fill(scale, 127.5);
        return new TensorDataset("idx:" + path.getFileName(), Ops.fromFloats(rows, m, d), c.getDouble("data.holdout"),
                c.getLong("train.seed"), new Standardizer(mean, scale));
    }

}
