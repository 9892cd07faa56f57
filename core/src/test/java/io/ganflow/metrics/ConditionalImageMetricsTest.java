package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.FeatureExtractor;
import io.ganflow.metrics.features.SyntheticClasses;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The conditional image metrics (classifier accuracy on the requested class, intra-class FID and coverage) against
 * cases whose values are known without the code under test: generated images that are the class's own test images
 * (accuracy 1, per-class FID 0, coverage 1: every real ball holds its own centre), images of the wrong class
 * (accuracy 0), and a generator that draws one class whatever is asked (accuracy 1/K, the worst class 0).
 */
class ConditionalImageMetricsTest {
    /**
     * An oracle for SyntheticClasses: features are the 16 mean brightnesses of the 2 × 2 cells, logits the first ten
     * (class k lights cell k), so its argmax is the true class of every synthetic image.
     */
    private static final FeatureExtractor CELLS = new FeatureExtractor() {
        @Override
        public String id() {
            return "cell-means";
        }

        @Override
        public Tensor features(Tensor images) {
            long n = images.size(0);
            return org.bytedeco.pytorch.global.torch.avg_pool2d(images, 2, 2).reshape(n, 16);
        }

        @Override
        public Optional<Tensor> logits(Tensor images) {
            return Optional.of(features(images).narrow(1, 0, 10));
        }
    };

    private static final int PER_CLASS = 20;

    private static ImageDataset data() {
        return SyntheticClasses.dataset("synthetic10", 30, PER_CLASS, SyntheticClasses.all());
    }

    /** The test images of the data set and their labels, in index order. */
    private static Tensor testImages(ImageDataset d) {
        long n = d.size(ImageDataset.Split.TEST);
        return d.images(ImageDataset.Split.TEST, Ops.fromLongs(java.util.stream.LongStream.range(0, n).toArray()));
    }

    private static long[] testLabels(ImageDataset d, int shift) {
        int[] l = d.labels(ImageDataset.Split.TEST).orElseThrow();
        long[] out = new long[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (l[i] + shift) % SyntheticClasses.CLASSES;
        }
        return out;
    }

    /**
     * Generated images are clamped to the pixel range [−1, 1] before any feature is taken, as a saved image is: images
     * pushed outside it (x + 2·sign(x), whose clamp is sign(x)) score exactly as sign(x) itself does, in the plain and
     * in the conditional metrics; unclamped, the cell means of the first would be three times the second's.
     */
    @Test
    void imagesOutsideThePixelRangeAreScoredClamped() {
        try (Scope s = Scope.open()) {
            ImageDataset d = data();
            ImageEvaluation ie = new ImageEvaluation(d, () -> CELLS, Optional.empty(), 10 * PER_CLASS, 1, 0);
            Tensor x = testImages(d);
            Tensor inRange = x.sign();
            Tensor outside = x.add(Ops.mul(x.sign(), 2));
            assertTrue(Ops.item(outside.abs().max()) > 2.5, "the images do leave the range");
            Map<String, MetricValue> a = ie.evaluate(outside, java.util.Set.of("fid", "classes"));
            Map<String, MetricValue> b = ie.evaluate(inRange, java.util.Set.of("fid", "classes"));
            assertEquals(b.get("fid").value(), a.get("fid").value(), 1e-9);
            assertEquals(b.get("class_kl").value(), a.get("class_kl").value(), 1e-12);
            Map<String, MetricValue> ca = ie.conditional(outside, testLabels(d, 0));
            Map<String, MetricValue> cb = ie.conditional(inRange, testLabels(d, 0));
            assertEquals(cb.get("class_accuracy").value(), ca.get("class_accuracy").value(), 0.0);
            assertEquals(cb.get("intra_fid").value(), ca.get("intra_fid").value(), 1e-9);
        }
    }

    @Test
    void theClassOwnTestImagesScorePerfectly() {
        try (Scope s = Scope.open()) {
            ImageDataset d = data();
            ImageEvaluation ie = new ImageEvaluation(d, () -> CELLS, Optional.empty(), 10 * PER_CLASS, 1, 0);
            Map<String, MetricValue> m = ie.conditional(testImages(d), testLabels(d, 0));
            assertEquals(1.0, m.get("class_accuracy").value(), 0.0);
            assertEquals(1.0, m.get("class_accuracy_min").value(), 0.0);
            // the same points on both sides: Fréchet distance 0 up to float32 features and the matrix square root
            assertEquals(0.0, m.get("intra_fid").value(), 1e-3);
            assertEquals(0.0, m.get("intra_fid_max").value(), 1e-3);
            assertEquals(1.0, m.get("intra_coverage").value(), 0.0);
            assertEquals(1.0, m.get("intra_coverage_min").value(), 0.0);
        }
    }

    @Test
    void imagesOfTheWrongClassScoreZeroAccuracyAndAFarFid() {
        try (Scope s = Scope.open()) {
            ImageDataset d = data();
            ImageEvaluation ie = new ImageEvaluation(d, () -> CELLS, Optional.empty(), 10 * PER_CLASS, 1, 0);
            // every image asked for the next class: its test images are all there, under the wrong label
            Map<String, MetricValue> m = ie.conditional(testImages(d), testLabels(d, 1));
            assertEquals(0.0, m.get("class_accuracy").value(), 0.0);
            assertEquals(0.0, m.get("class_accuracy_min").value(), 0.0);
            // the bright cell moves to the next cell: two features' means shift by about 1.4 in model units, so
            // the FID is about 2 · 1.4² ≈ 4, far above the matched case's 0
            assertTrue(m.get("intra_fid").value() > 1.0, m.toString());
            assertEquals(0.0, m.get("intra_coverage_min").value(), 0.0, m.toString());
        }
    }

    @Test
    void aGeneratorThatDrawsOneClassIsRightOnceInK() {
        try (Scope s = Scope.open()) {
            ImageDataset d = data();
            ImageEvaluation ie = new ImageEvaluation(d, () -> CELLS, Optional.empty(), 10 * PER_CLASS, 1, 0);
            Tensor all = testImages(d);
            long[] zeros = java.util.stream.IntStream.range(0, 10 * PER_CLASS).filter(i -> testLabels(d, 0)[i] == 0)
                    .mapToLong(i -> i).toArray();
            // 10 * PER_CLASS images, all of class 0 (each class-0 test image ten times), asked for 0..9 in turn
            long[] idx = new long[10 * PER_CLASS];
            long[] asked = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = zeros[i % zeros.length];
                asked[i] = i % 10;
            }
            Map<String, MetricValue> m = ie.conditional(all.index_select(0, Ops.fromLongs(idx)), asked);
            assertEquals(0.1, m.get("class_accuracy").value(), 1e-12);
            assertEquals(0.0, m.get("class_accuracy_min").value(), 0.0);
        }
    }

    @Test
    void tooFewLabelsAreRefused() {
        try (Scope s = Scope.open()) {
            ImageDataset d = data();
            ImageEvaluation ie = new ImageEvaluation(d, () -> CELLS, Optional.empty(), 10 * PER_CLASS, 1, 0);
            assertThrows(IllegalArgumentException.class, () -> ie.conditional(testImages(d), new long[3]));
        }
    }
}
