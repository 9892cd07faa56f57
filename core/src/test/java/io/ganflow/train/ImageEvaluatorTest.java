package io.ganflow.train;

import io.ganflow.nn.StateDict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Registries;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.metrics.ClassCoverage;
import io.ganflow.metrics.features.ClassifierFile;
import io.ganflow.metrics.features.SyntheticClasses;
import io.ganflow.run.TrainingRun;
import io.ganflow.optim.Optimizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image metrics through the whole training-time evaluation path: config (eval.features with a classifier
 * file), Setup.evaluator, Evaluator.evaluate on a method's samples, summary.json's features_id.
 */
class ImageEvaluatorTest {
    @TempDir
    static Path dir;
    static Path classifier;

    @BeforeAll
    static void setUp() throws Exception {
        classifier = dir.resolve("synthetic10.safetensors");
        ClassifierFile.save(SyntheticClasses.trained().classifier(), classifier, Map.of("domain", "synthetic10",
                "version", "v1"));
        register("synthetic10", () -> SyntheticClasses.dataset("synthetic10", 60, 30, SyntheticClasses.all()));
        register("synthetic10-3", () -> SyntheticClasses.dataset("synthetic10-3", 60, 100, new int[] {2, 5, 7}));
        register("synthetic-stacked", () -> ImageDataset.stacked("synthetic-stacked",
                SyntheticClasses.dataset("base", 20, 20, SyntheticClasses.all()), 3, 300, 600, 0));
    }

    private static synchronized void register(String name, java.util.function.Supplier<Dataset> d) {
        if (Registries.DATASETS.find(name).isEmpty()) {
            Registries.DATASETS.register(name, "test: " + name, c -> d.get());
        }
    }

    private static Config config(String data, String... more) {
        Config.Builder b = Config.builder().set("data.name", data, "test")
                .set("eval.features", "classifier:" + classifier, "test").set("eval.image_samples", "300", "test")
                .set("train.eval_samples", "50", "test").set("train.w1_samples", "50", "test");
        for (int i = 0; i < more.length; i += 2) {
            b.set(more[i], more[i + 1], "test");
        }
        return b.build();
    }

    /** "Generates" the test images of a data set in order (cycled), plus N(0, noise²), clipped to [-1, 1]. */
    static Method replay(ImageDataset d, double noise) {
        return new Method() {
            @Override
            public String name() {
                return "replay";
            }

            @Override
            public StepStats step(StepContext ctx) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Tensor sample(int n, Rng rng) {
                int m = d.size(ImageDataset.Split.TEST);
                Tensor idx = torch.remainder(torch.arange(new org.bytedeco.pytorch.Scalar(n), new org.bytedeco.pytorch
                        .TensorOptions(torch.ScalarType.Long)), new org.bytedeco.pytorch.Scalar((long) m));
                Tensor x = d.images(ImageDataset.Split.TEST, idx);
                return noise == 0 ? x : Ops.clamp(x.add(rng.normal(Ops.shape(x)).mul(Ops.s(noise))), -1, 1);
            }

            @Override
            public Map<String, Optimizer> optimizers() {
                return Map.of();
            }

            @Override
            public void saveState(StateDict into) {}

            @Override
            public void loadState(StateDict from) {}
        };
    }

    @Test
    void aTestSetOfThreeClassesCovers3Of10AndReplayingItGivesFidZero() {
        Config c = config("synthetic10-3");
        ImageDataset data = (ImageDataset) Setup.dataset(c);
        Evaluator ev = Setup.evaluator(c, data);
        assertTrue(ev.featuresId().isEmpty(), "the extractor loads at the first evaluation");
        Map<String, Double> m = ev.evaluate(replay(data, 0));
        assertEquals(3, m.get("classes_covered"));
        assertEquals(10, m.get("classes_total"));
        assertEquals(Math.log(10.0 / 3), m.get("class_kl"), 1e-9, "100 images of each of 3 classes");
        assertEquals(300, m.get("image_samples"));
        assertEquals(0, m.get("fid"), 1e-6, "the generated images are the test split itself");
        assertEquals(1, m.get("precision"), 0);
        assertEquals(1, m.get("recall"), 0);
        assertEquals(1, m.get("coverage"), 0);
        assertTrue(m.get("fid_floor") > 0, "training images are other images: " + m.get("fid_floor"));
        assertTrue(m.get("kid") < 1e-3, "KID of a set against itself: " + m.get("kid"));
        assertTrue(m.get("is") > 2.5 && m.get("is") <= 3, "fairly confident predictions over 3 balanced classes: "
                + m.get("is"));
        assertEquals(50, m.get("w1_samples"), "the other figures are still there");
        assertTrue(ev.featuresId().orElseThrow().startsWith("classifier-synthetic10-v1:sha256:"), ev.featuresId().get());
    }

    @Test
    void noiseRaisesFidAboveTheFloorAndEveryClassIsCovered() {
        Config c = config("synthetic10");
        ImageDataset data = (ImageDataset) Setup.dataset(c);
        Evaluator ev = Setup.evaluator(c, data);
        Map<String, Double> clean = ev.evaluate(replay(data, 0));
        Map<String, Double> noisy = ev.evaluate(replay(data, 0.5));
        assertEquals(10, clean.get("classes_covered"));
        assertEquals(0, clean.get("fid"), 1e-6);
        assertTrue(noisy.get("fid") > clean.get("fid_floor"), noisy + " vs floor " + clean.get("fid_floor"));
        assertEquals(clean.get("fid_floor"), noisy.get("fid_floor"), 0, "the floor is computed once");
    }

    @Test
    void stackedImagesGetPerChannelFeaturesJointClassesAndModes() {
        Config c = config("synthetic-stacked", "eval.image_samples", "200", "eval.stacked_samples", "500");
        ImageDataset data = (ImageDataset) Setup.dataset(c);
        Map<String, Double> m = Setup.evaluator(c, data).evaluate(replay(data, 0));
        int[] labels = Arrays.copyOf(data.labels(ImageDataset.Split.TEST).orElseThrow(), 500);
        ClassCoverage.Report r = ClassCoverage.of(labels, 1000);
        assertEquals(r.covered(), m.get("modes_covered"));
        assertEquals(1000, m.get("modes_total"));
        assertEquals(r.klToUniform(), m.get("reverse_kl_modes"), 1e-9);
        assertEquals(500, m.get("mode_samples"));
        assertEquals(1000, m.get("classes_total"), "the joint logits of three digits");
        ClassCoverage.Report r200 = ClassCoverage.of(Arrays.copyOf(labels, 200), 1000);
        assertEquals(r200.covered(), m.get("classes_covered"));
        assertEquals(200, m.get("image_samples"));
    }

    @Test
    void eachFeaturesSettingIsCheckedAtSetUp() {
        Dataset data = Setup.dataset(config("synthetic10"));
        assertTrue(Setup.evaluator(config("synthetic10", "eval.features", "auto"), data).imageEvaluation().isEmpty(),
                "auto: no classifier for this data set");
        assertTrue(Setup.evaluator(config("synthetic10", "eval.features", "none"), data).imageEvaluation().isEmpty());
        BadInputException e = assertThrows(BadInputException.class, () -> Setup.evaluator(config("synthetic10",
                "eval.features", "classifier"), data));
        assertTrue(e.getMessage().contains("data.name=synthetic10 has no domain classifier"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> Setup.evaluator(config("synthetic10", "eval.features",
                "inception"), data));
        assertTrue(e.getMessage().startsWith("eval.features=inception is not allowed; allowed: auto, classifier"),
                e.getMessage());
        e = assertThrows(BadInputException.class, () -> Setup.evaluator(config("synthetic10", "eval.features",
                "classifier:" + dir.resolve("nope.safetensors")), data));
        assertTrue(e.getMessage().contains("no such classifier file"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> Setup.evaluator(config("synthetic10", "eval.features",
                "torchscript:" + dir.resolve("nope.pt")), data));
        assertTrue(e.getMessage().startsWith("eval.features=torchscript:"), e.getMessage());
        assertTrue(Setup.evaluator(config("ring8", "eval.features", "classifier"), Setup.dataset(config("ring8")))
                .imageEvaluation().isEmpty(), "points have no image metrics");
    }

    @Test
    void aTrainingRunOnImagesRecordsTheImageMetricsAndTheExtractorInItsSummary() {
        TrainingRun run = TrainingRun.builder().config(config("synthetic10", "eval.image_samples", "100",
                "train.steps", "3", "train.batch", "16", "model.g.width", "16", "model.g.depth", "1",
                "model.d.width", "16", "model.d.depth", "1", "train.eval_every", "0", "log.tensorboard", "false"))
                .build();
        run.train();
        Map<String, Object> s = run.summary();
        assertTrue(String.valueOf(s.get("features_id")).startsWith("classifier-synthetic10-v1:sha256:"), s.toString());
        for (String k : new String[] {"fid", "fid_floor", "kid", "precision", "recall", "density", "coverage", "is",
            "classes_covered", "class_kl"}) {
            assertTrue(s.containsKey(k), k + " in " + s);
        }
        assertEquals(10L, s.get("classes_total"));
        assertEquals(100L, s.get("image_samples"));
    }
}
