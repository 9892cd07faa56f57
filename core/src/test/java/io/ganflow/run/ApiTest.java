package io.ganflow.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Registries;
import io.ganflow.config.Schema;
import io.ganflow.data.TensorDataset;
import io.ganflow.metrics.MetricValue;
import io.ganflow.train.Listener;
import io.ganflow.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API: the run builder, listeners, registries, reopening a run, provenance. */
class ApiTest {
    @TempDir
    Path dir;

    static TrainingRun.Builder small() {
        return TrainingRun.builder().preset("ring8-wgan-gp").set("model.g.width", "32").set("model.d.width", "32")
                .set("model.g.depth", "2").set("model.d.depth", "2").set("train.batch", "64")
                .set("train.steps", "60").set("train.eval_every", "30").set("train.eval_samples", "200")
                .set("train.w1_samples", "100").set("train.log_every", "10").set("train.checkpoint_every", "25");
    }

    @Test
    void buildValidatesBeforeAnyDirectoryExists() {
        Path out = dir.resolve("never");
        BadInputException e = assertThrows(BadInputException.class,
                () -> small().set("model.g.kind", "nope").outputDir(out).build());
        assertTrue(e.getMessage().contains("model.g.kind=nope") && e.getMessage().contains("mlp"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void listenersSeeEveryEventInOrderAndTheFinalCheckpointPrecedesTheFinalEvaluation() {
        List<String> events = new ArrayList<>();
        Listener l = new Listener() {
            @Override public void onStart(long s, long t) { events.add("start " + s); }
            @Override public void onEval(long s, Map<String, Double> m) { events.add("eval " + s); }
            @Override public void onCheckpoint(long s, Path f) { events.add("ckpt " + s); }
            @Override public void onEnd(TrainResult r) { events.add("end " + r.steps()); }
        };
        TrainResult r = small().listener(l).outputDir(dir.resolve("a")).build().train();
        assertEquals(List.of("start 0", "ckpt 0", "ckpt 25", "eval 30", "ckpt 50", "ckpt 60", "eval 60", "end 60"),
                events);
        assertTrue(r.finalMetrics().containsKey("w1"));
    }

    @Test
    void aRunWithoutOutputWritesNothingAndStillEvaluates() {
        TrainingRun run = small().build();
        assertFalse(run.writesFiles());
        TrainResult r = run.train();
        assertTrue(run.run().isEmpty());
        assertEquals(8L, Math.round(r.finalMetrics().get("modes_total")));
    }

    @Test
    void trainedRunReopensWithTheSameEvaluationAndResumes() throws Exception {
        Path out = dir.resolve("b");
        TrainingRun run = small().outputDir(out).build();
        TrainResult r = run.train();
        TrainedRun t = TrainedRun.open(out);
        assertEquals(60, t.step());
        assertEquals("ring8-wgan-gp", t.preset());
        assertEquals(r.finalMetrics(), t.evaluate());
        assertEquals(run.config().asText(), t.config().asText());
        double[][] a = t.sample(50, 3);
        double[][] b = TrainedRun.open(out).sample(50, 3);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
        TrainingRun more = t.resume().steps(80L).build();
        assertEquals(60, more.startStep());
        assertEquals(80, more.train().steps());
        assertEquals(80, TrainedRun.open(out).step());
        BadInputException e = assertThrows(BadInputException.class, () -> TrainedRun.open(out).resume().steps(10L).build());
        assertTrue(e.getMessage().contains("below the checkpoint's step 80"), e.getMessage());
    }

    @Test
    void aRunThatDiedBeforeItsFirstCheckpointRestartsFromItsConfig() throws Exception {
        Path out = dir.resolve("c");
        small().outputDir(out).build().train();
        try (var s = Files.list(out.resolve("checkpoints"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        assertThrows(BadInputException.class, () -> TrainedRun.open(out));
        TrainingRun again = TrainedRun.restart(out).build();
        assertEquals(0, again.startStep());
        assertEquals(60, again.train().steps());
        assertEquals(60, TrainedRun.open(out).step());
    }

    @Test
    void registeredDatasetNetAndMetricAreChoicesOfTheirKeys() {
        double[][] rows = new double[400][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i % 2 == 0 ? -1 : 1, 0.01 * (i % 7)};
        }
        Registries.DATASETS.register("api-test-pairs", "two points", c -> TensorDataset.fromRows("pairs", rows,
                c.getDouble("data.holdout"), c.getLong("train.seed"), false));
        Registries.METRICS.register("api-test-count", "sample sizes", in -> Map.of("api_real", new MetricValue(
                in.real().length, "rows"), "api_fake", new MetricValue(in.fake().length, "rows")));
        try {
            assertTrue(Schema.standard().get("data.name").orElseThrow().choices().contains("api-test-pairs"));
            TrainResult r = small().set("data.name", "api-test-pairs").set("eval.metrics", "api-test-count,w2")
                    .build().train();
            assertEquals(40.0, r.finalMetrics().get("api_real")); // the 10 % held out, never the training rows
            assertEquals(200.0, r.finalMetrics().get("api_fake"));
            assertTrue(r.finalMetrics().containsKey("w2"));
            BadInputException e = assertThrows(BadInputException.class,
                    () -> small().set("eval.metrics", "w1,bogus").build());
            assertTrue(e.getMessage().startsWith("eval.metrics=w1,bogus") && e.getMessage().contains("sinkhorn"),
                    e.getMessage());
        } finally {
            Registries.DATASETS.unregister("api-test-pairs");
            Registries.METRICS.unregister("api-test-count");
        }
        assertFalse(Schema.standard().get("data.name").orElseThrow().choices().contains("api-test-pairs"));
    }

    @Test
    void standardiserSeesOnlyTheTrainingRows() {
        // 9 rows at 0 and one outlier at 1000: whichever row is held out, the fitted mean is the training mean.
        double[][] rows = new double[10][];
        for (int i = 0; i < 10; i++) {
            rows[i] = new double[] {i == 9 ? 1000 : 0};
        }
        TensorDataset d = TensorDataset.fromRows("t", rows, 0.1, 5, true);
        double mean = d.standardizer().mean()[0];
        assertTrue(mean == 0.0 || Math.abs(mean - 1000.0 / 9) < 1e-9, "mean " + mean);
        assertTrue(d.referenceSize() == 1);
    }

    @Test
    void provenanceHashesTheDataFilesAndNamesGanflowsOwnCommit() throws Exception {
        Path csv = dir.resolve("d.csv");
        StringBuilder b = new StringBuilder("x,y\n");
        for (int i = 0; i < 50; i++) {
            b.append(i).append(',').append(i % 5).append('\n');
        }
        Files.writeString(csv, b.toString());
        Path out = dir.resolve("p");
        small().set("data.name", "csv").set("data.path", csv.toString()).outputDir(out).build().train();
        Map<?, ?> p = new ObjectMapper().readValue(out.resolve("provenance.json").toFile(), Map.class);
        Map<?, ?> files = (Map<?, ?>) p.get("data_files_sha256");
        String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(csv)));
        assertEquals(hex, files.get(csv.toAbsolutePath().normalize().toString()));
        assertTrue(String.valueOf(p.get("git_commit")).matches("[0-9a-f]{40}(-dirty)?|unknown"), p.toString());
    }

    @Test
    void aConfigFileWithoutPresetStartsFromTheDefaultPreset() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "train:\n  steps: 7\n");
        TrainingRun run = TrainingRun.builder().configFile(f).build();
        assertEquals("ring8-wgan-gp", run.preset());
        Config c = run.config();
        assertEquals(7, c.getLong("train.steps"));
        assertEquals(0.1, c.getDouble("gan.gp.weight"));
        assertEquals("preset ring8-wgan-gp (default)", c.source("gan.gp.weight"));
    }
}
