package io.ganflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.data.Batch;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV label column (data.label_column): the labels leave the data columns, follow their rows through the
 * holdout split, and are checked; a conditional run trains on them.
 */
class CsvLabelsTest {
    @TempDir
    Path dir;

    /** Two clusters: class 0 around (−3, 0) and class 1 around (3, 0), the label in the middle column. */
    Path clusters() throws Exception {
        StringBuilder b = new StringBuilder("x,class,y\n");
        Rng r = new Rng(1);
        double[] u;
        try (Scope s = Scope.open()) {
            u = Ops.toDoubles(r.normal(400));
        }
        for (int i = 0; i < 200; i++) {
            int k = i % 2;
            b.append(k == 0 ? -3 + 0.3 * u[2 * i] : 3 + 0.3 * u[2 * i]).append(',').append(k).append(',')
                    .append(0.3 * u[2 * i + 1]).append('\n');
        }
        Path p = dir.resolve("clusters.csv");
        Files.writeString(p, b.toString());
        return p;
    }

    Config config(Path csv, String column) {
        return Config.builder().set("data.name", "csv", "test").set("data.path", csv.toString(), "test")
                .set("data.label_column", column, "test").build();
    }

    /**
     * The data set has 2 classes and 2 data columns (x, y); every labelled training row sits on its class's side:
     * the label and the row were drawn together (x is standardised, so its sign tells the cluster).
     */
    @Test
    void labelsFollowTheirRows() throws Exception {
        Dataset d = Setup.dataset(config(clusters(), "class"));
        assertEquals(2, d.classes());
        assertEquals(2, d.dim());
        try (Scope s = Scope.open()) {
            Batch b = d.sampleBatch(300, new Rng(5), true);
            double[][] x = Ops.toRows(b.x());
            long[] y = Ops.toLongs(b.labels().orElseThrow());
            for (int i = 0; i < x.length; i++) {
                assertEquals(y[i] == 1, x[i][0] > 0, "row " + i + " (" + x[i][0] + ") against its class " + y[i]);
            }
            // unlabelled draws are the plain rows of the same draw
            assertEquals(Ops.toDoubles(d.sample(50, new Rng(7))).length, Ops.toDoubles(d.sampleBatch(50, new Rng(7),
                    false).x()).length);
        }
        Dataset plain = Setup.dataset(config(clusters(), ""));
        assertEquals(0, plain.classes());
        assertEquals(3, plain.dim(), "without data.label_column the label is a data column");
    }

    /** Bad label columns are refused in one line naming the key, the value and what is allowed. */
    @Test
    void badLabelsAreRefused() throws Exception {
        Path ok = clusters();
        BadInputException e = assertThrows(BadInputException.class, () -> Setup.dataset(config(ok, "label")));
        assertTrue(e.getMessage().contains("data.label_column=label is not a column") && e.getMessage()
                .contains("allowed: x, class, y"), e.getMessage());
        Map<String, String> bad = Map.of(
                "x,class\n1,0\n2,1.5\n", "label 1.5 is not allowed",
                "x,class\n1,0\n2,-1\n", "label -1.0 is not allowed",
                "x,class\n1,0\n2,0\n", "holds one class",
                "x,class\n1,0\n2,2\n", "no row of class 1");
        int i = 0;
        for (Map.Entry<String, String> c : bad.entrySet()) {
            Path p = dir.resolve("bad" + i++ + ".csv");
            Files.writeString(p, c.getKey());
            e = assertThrows(BadInputException.class, () -> Setup.dataset(config(p, "class")));
            assertTrue(e.getMessage().contains(c.getValue()), c.getValue() + ": " + e.getMessage());
        }
        Path one = dir.resolve("one.csv");
        Files.writeString(one, "class\n0\n1\n");
        e = assertThrows(BadInputException.class, () -> Setup.dataset(config(one, "class")));
        assertTrue(e.getMessage().contains("leaves no data column"), e.getMessage());
    }

    /** A conditional GAN trains on the CSV's labels (a few steps: the seam, not the quality). */
    @Test
    void aConditionalRunTrainsOnCsvLabels() throws Exception {
        Config c = Config.builder().setAll(Presets.get("ring8-cgan").values(), "preset").set("data.name", "csv", "test")
                .set("data.path", clusters().toString(), "test").set("data.label_column", "class", "test")
                .set("train.steps", "5", "test").set("train.eval_every", "0", "test").build();
        io.ganflow.run.TrainingRun tr = io.ganflow.run.TrainingRun.builder().config(c).build();
        tr.train();
        assertEquals(2, tr.method().classes());
    }
}
