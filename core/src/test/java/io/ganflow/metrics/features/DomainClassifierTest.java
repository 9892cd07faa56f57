package io.ganflow.metrics.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The domain classifier: training, determinism, files, the cache folder, cropping, per-channel use. */
class DomainClassifierTest {
    @TempDir
    Path dir;

    @Test
    void trainsToFullAccuracyDeterministicallyAndRoundTripsThroughItsFile() throws Exception {
        ClassifierTraining.Trained t = SyntheticClasses.trained();
        assertTrue(t.report().testAccuracy() >= 0.99, "accuracy " + t.report().testAccuracy());
        assertEquals(600, t.report().trainImages());
        assertEquals(200, t.report().testImages());
        assertEquals(t.classifier().weightsSha256(), SyntheticClasses.trained().classifier().weightsSha256(),
                "the same seed gives the same weights");
        ClassifierTraining.Trained other = ClassifierTraining.train(SyntheticClasses.architecture(),
                SyntheticClasses.dataset("synthetic10", 60, 20, SyntheticClasses.all()),
                SyntheticClasses.options().withSeed(1), line -> {});
        assertNotEquals(t.classifier().weightsSha256(), other.classifier().weightsSha256(), "another seed, other weights");

        Path f = dir.resolve("c.safetensors");
        String sha = ClassifierFile.save(t.classifier(), f, Map.of("domain", "synthetic10", "version", "v1"));
        ClassifierFile.Loaded l = ClassifierFile.load(f);
        assertEquals(sha, l.fileSha256());
        assertEquals(ClassifierFile.fileSha256(f), sha);
        assertEquals(t.classifier().weightsSha256(), l.classifier().weightsSha256());
        assertEquals(t.classifier().weightsSha256(), l.metadata().get("weights_sha256"));
        assertEquals("synthetic10", l.metadata().get("domain"));
        assertEquals(SyntheticClasses.architecture(), l.classifier().architecture());
        assertEquals(t.classifier().featureScale(), l.classifier().featureScale(), 0);
        assertTrue(t.classifier().featureScale() != 1, "set from the training images");
        FeatureExtractor a = t.classifier().extractor("x");
        FeatureExtractor b = l.classifier().extractor("x");
        try (Scope s = Scope.open()) {
            ImageDataset d = SyntheticClasses.dataset("synthetic10", 60, 20, SyntheticClasses.all());
            Tensor train = d.images(ImageDataset.Split.TRAIN, torch.arange(new org.bytedeco.pytorch.Scalar(600),
                    new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)));
            FeatureExtractor.Extracted e = a.extract(train);
            assertEquals(1, Ops.item(e.features().square().mean()), 1e-4, "features of mean square 1 on the training images");
            assertEquals(0, Ops.item(e.logits().orElseThrow().sub(Ops.noGrad(() -> t.classifier().forward(train))).abs()
                    .max()), 1e-4, "the head undoes the scale");
        }
        assertEquals("x:sha256:" + t.classifier().weightsSha256(), a.id());
        assertEquals(a.id(), b.id());
        try (Scope s = Scope.open()) {
            Tensor x = new Rng(5).uniform(30, 1, 8, 8).mul(Ops.s(2)).sub(Ops.s(1));
            FeatureExtractor.Extracted ea = a.extract(x);
            FeatureExtractor.Extracted eb = b.extract(x);
            assertEquals(0, Ops.item(ea.features().sub(eb.features()).abs().max()), 0);
            assertEquals(0, Ops.item(ea.logits().orElseThrow().sub(eb.logits().orElseThrow()).abs().max()), 0);
            assertArrayEquals(new long[] {30, 16}, Ops.shape(ea.features()));
            assertArrayEquals(new long[] {30, 10}, Ops.shape(ea.logits().orElseThrow()));
        }
    }

    @Test
    void theLenetHas421642ParametersUnderPyTorchNames421738WithBatchNorm() {
        DomainClassifier c = new DomainClassifier(DomainClassifier.Architecture.lenet(1, 28, 28, 10), new Rng(0));
        assertEquals(421_642, c.size(), "docs/metrics.md");
        assertEquals(421_738, new DomainClassifier(Classifiers.architecture(), new Rng(0)).size(),
                "with batch norm: no conv biases, a scale and a shift per channel");
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias"), c.parameters().stream().map(p -> p.name()).toList());
    }

    @Test
    void withBatchNormTheRunningStatisticsAreTrainedSavedAndUsed() throws Exception {
        ClassifierTraining.Trained t = ClassifierTraining.train(SyntheticClasses.architecture().withBatchNorm(true),
                SyntheticClasses.dataset("synthetic10", 60, 20, SyntheticClasses.all()), SyntheticClasses.options(),
                line -> {});
        assertTrue(t.report().testAccuracy() >= 0.99, "accuracy " + t.report().testAccuracy());
        DomainClassifier c = t.classifier();
        assertTrue(!c.isTraining(), "a trained classifier is in evaluation mode");
        assertEquals(List.of("bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var",
                "feature_scale"), c.buffers().stream().map(p -> p.name()).toList());
        assertTrue(Ops.item(c.buffers().get(0).value().abs().sum()) > 0, "the running mean moved");
        Path f = dir.resolve("bn.safetensors");
        ClassifierFile.save(c, f, Map.of());
        ClassifierFile.Loaded l = ClassifierFile.load(f);
        assertEquals(c.weightsSha256(), l.classifier().weightsSha256(), "the hash covers the buffers");
        try (Scope s = Scope.open()) {
            Tensor x = new Rng(5).uniform(3, 1, 8, 8).mul(Ops.s(2)).sub(Ops.s(1));
            Tensor one = c.features(x.narrow(0, 0, 1));
            assertEquals(0, Ops.item(l.classifier().features(x).narrow(0, 0, 1).sub(one).abs().max()), 1e-4,
                    "evaluation mode: an image's features do not depend on its batch");
        }
        assertTrue(l.metadata().get("architecture").contains("batchnorm"), l.metadata().toString());
    }

    @Test
    void aClassifierLoadedInsideANativeScopeOutlivesIt() throws Exception {
        Path f = dir.resolve("scoped.safetensors");
        ClassifierFile.save(SyntheticClasses.trained().classifier(), f, Map.of());
        DomainClassifier c;
        try (Scope s = Scope.open()) { // as when the first evaluation loads the cached classifier
            c = ClassifierFile.load(f).classifier();
            c.features(new Rng(1).uniform(2, 1, 8, 8));
        }
        DomainClassifier d;
        try (Scope s = Scope.open()) {
            d = new DomainClassifier(SyntheticClasses.architecture(), new Rng(0));
        }
        System.gc();
        try (Scope s = Scope.open()) {
            Tensor x = new Rng(2).uniform(3, 1, 8, 8);
            assertArrayEquals(new long[] {3, 16}, Ops.shape(c.features(x)));
            assertArrayEquals(new long[] {3, 10}, Ops.shape(d.forward(x)));
            assertEquals(c.weightsSha256(), ClassifierFile.load(f).classifier().weightsSha256());
        }
    }

    @Test
    void aDamagedOrForeignFileIsRefusedByName() throws Exception {
        DomainClassifier c = new DomainClassifier(SyntheticClasses.architecture(), new Rng(0));
        Path f = dir.resolve("c.safetensors");
        ClassifierFile.save(c, f, Map.of());
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 3] ^= 0x40; // a weight changes
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, bytes);
        BadInputException e = assertThrows(BadInputException.class, () -> ClassifierFile.load(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("damaged"), e.getMessage());

        Path foreign = dir.resolve("foreign.safetensors");
        Safetensors.write(foreign, Map.of("w", SafeTensor.ofFloats(new float[] {1}, 1)), Map.of());
        e = assertThrows(BadInputException.class, () -> ClassifierFile.load(foreign));
        assertTrue(e.getMessage().contains("not a ganflow classifier file"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ClassifierFile.load(dir.resolve("missing.safetensors")));
        assertTrue(e.getMessage().contains("no such classifier file"), e.getMessage());
    }

    @Test
    void theCacheFolderTrainsOnceSayingSoThenLoads() throws Exception {
        List<String> notes = new ArrayList<>();
        int[] trainings = {0};
        java.util.function.Supplier<ImageDataset> data = () -> {
            trainings[0]++;
            return SyntheticClasses.dataset("synthetic10", 60, 20, SyntheticClasses.all());
        };
        Path cache = dir.resolve("classifiers");
        ClassifierFile.Loaded first = Classifiers.loadOrTrain("synthetic10", cache, data,
                SyntheticClasses.architecture(), SyntheticClasses.options(), notes::add);
        assertEquals(1, trainings[0]);
        assertEquals(cache.resolve("synthetic10-v1.safetensors"), first.file());
        assertTrue(notes.get(0).contains("training it once"), notes.toString());
        assertTrue(notes.get(1).contains("test accuracy"), notes.toString());
        notes.clear();
        ClassifierFile.Loaded second = Classifiers.loadOrTrain("synthetic10", cache, data,
                SyntheticClasses.architecture(), SyntheticClasses.options(), notes::add);
        assertEquals(1, trainings[0], "the cached file is used");
        assertTrue(notes.isEmpty(), notes.toString());
        assertEquals(first.classifier().weightsSha256(), second.classifier().weightsSha256());
        assertEquals("synthetic10", second.metadata().get("data"));
        assertTrue(Double.parseDouble(second.metadata().get("test_accuracy")) >= 0.99);

        Files.write(first.file(), new byte[] {1, 2, 3}); // damaged: trained again, with a note
        Classifiers.loadOrTrain("synthetic10", cache, data, SyntheticClasses.architecture(), SyntheticClasses.options(),
                notes::add);
        assertEquals(2, trainings[0]);
        assertTrue(notes.get(0).contains("cannot be used"), notes.toString());

        assertEquals(Path.of("/x/y"), Classifiers.directory("/x/y"));
        assertEquals(Path.of("/x/y/mnist-v1.safetensors"), Classifiers.file(Path.of("/x/y"), "mnist"));
        assertEquals("mnist", Classifiers.domainOf("stacked-mnist").orElseThrow());
        assertTrue(Classifiers.domainOf("images").isEmpty());
    }

    @Test
    void paddedImagesAreCroppedToTheClassifiersInputAndShiftsMoveWithBlackFill() {
        DomainClassifier c = new DomainClassifier(SyntheticClasses.architecture(), new Rng(0));
        FeatureExtractor fx = c.extractor("x");
        try (Scope s = Scope.open()) {
            Tensor x = new Rng(1).uniform(4, 1, 8, 8).mul(Ops.s(2)).sub(Ops.s(1));
            Tensor padded = torch.constant_pad_nd(x, new long[] {1, 2, 1, 2}, Ops.s(-1)); // 11 x 11, centred as data.pad
            assertEquals(0, Ops.item(fx.features(x).sub(fx.features(padded)).abs().max()), 0);
            assertThrows(BadInputException.class, () -> fx.features(new Rng(1).uniform(2, 1, 6, 6)));
            assertThrows(BadInputException.class, () -> fx.features(new Rng(1).uniform(2, 3, 8, 8)));
        }
        byte[] src = new byte[16];
        for (int i = 0; i < 16; i++) {
            src[i] = (byte) (10 * (i + 1));
        }
        float[] dst = new float[16];
        ClassifierTraining.shifted(src, 0, dst, 0, 1, 4, 4, 1, -1); // right 1, up 1
        assertEquals(-1f, dst[0], 0); // column 0 uncovered
        assertEquals(50 / 127.5f - 1f, dst[1], 1e-6); // row 0, col 1 <- row 1, col 0 (pixel 50)
        assertEquals(-1f, dst[12], 0);
        assertEquals(-1f, dst[13], 0); // the last row is uncovered
    }

    @Test
    void perChannelFeaturesAndJointLogitsOfStackedImages() {
        ClassifierTraining.Trained t = SyntheticClasses.trained();
        FeatureExtractor base = t.classifier().extractor("digits");
        StackedFeatures st = new StackedFeatures(base, 3);
        try (Scope s = Scope.open()) {
            ImageDataset d = SyntheticClasses.dataset("synthetic10", 5, 5, SyntheticClasses.all());
            ImageDataset stacked = ImageDataset.stacked("stacked", d, 3, 20, 40, 0);
            Tensor idx = torch.arange(new org.bytedeco.pytorch.Scalar(40), new org.bytedeco.pytorch.TensorOptions(
                    torch.ScalarType.Long));
            Tensor x = stacked.images(ImageDataset.Split.TEST, idx);
            FeatureExtractor.Extracted e = st.extract(x);
            assertArrayEquals(new long[] {40, 48}, Ops.shape(e.features()));
            Tensor logits = e.logits().orElseThrow();
            assertArrayEquals(new long[] {40, 1000}, Ops.shape(logits));
            int[] joint = io.ganflow.metrics.ClassCoverage.predictions(logits);
            int[][] triples = io.ganflow.metrics.StackedModes.classify(x, base);
            int[] labels = stacked.labels(ImageDataset.Split.TEST).orElseThrow();
            for (int i = 0; i < 40; i++) {
                assertEquals(io.ganflow.metrics.StackedModes.mode(triples[i][0], triples[i][1], triples[i][2]), joint[i]);
                assertEquals(labels[i], joint[i], "the tiny classifier labels every channel right");
            }
            assertEquals(0, Ops.item(e.features().narrow(1, 16, 16).sub(base.features(x.narrow(1, 1, 1))).abs().max()), 0);
            assertTrue(st.id().startsWith("per-channel3(digits:sha256:"), st.id());
        }
    }
}
