package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.TorchScriptFeatures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The image-metrics facade on the TorchScript fixture module (features and 10 logits). */
class ImageMetricsTest {
    @Test
    void everyMetricWithItsProtocol() {
        TorchScriptFeatures net = new TorchScriptFeatures(FeatureFixtures.file("feature_net.pt"), 100);
        ImageMetrics.Options o = new ImageMetrics.Options(ImageMetrics.NAMES, 200, 10, 5, 5, 10_000, ClassCoverage.Rule.ANY, 0);
        try (Scope s = Scope.open()) {
            Tensor real = FeatureFixtures.blobs(300, 11);
            Tensor fake = FeatureFixtures.blobs(250, 12).add(Ops.mul(new Rng(13).normal(250, 1, 28, 28), 0.3));
            Map<String, MetricValue> m = ImageMetrics.compute(net, real, fake, o);
            assertEquals(List.of("fid", "kid", "kid_std", "precision", "recall", "density", "coverage", "is", "is_std",
                    "classes_covered", "classes_total", "class_kl"), List.copyOf(m.keySet()));
            for (MetricValue v : m.values()) {
                assertTrue(Double.isFinite(v.value()), v.toString());
                assertTrue(v.protocol().contains(net.id()), v.protocol());
            }
            assertTrue(m.get("fid").protocol().contains("300 real vs 250 generated"), m.get("fid").protocol());
            assertTrue(m.get("kid").protocol().contains("10 subsets of 200 rows"), m.get("kid").protocol());
            assertEquals(10, m.get("classes_total").value());

            Tensor fr = net.features(real);
            var ff = net.extract(fake);
            assertEquals(Frechet.distance(fr, ff.features()), m.get("fid").value(), 0);
            assertEquals(Kid.compute(fr, ff.features(), 200, 10, 0).mean(), m.get("kid").value(), 0);
            assertEquals(InceptionScore.compute(ff.logits().orElseThrow(), 5).mean(), m.get("is").value(), 0);
            assertEquals(Prdc.compute(fr, ff.features(), 5, 5).density(), m.get("density").value(), 0);
        }
    }

    @Test
    void withoutLogitsOnlyFeatureMetrics() {
        try (Scope s = Scope.open()) {
            Tensor a = FeatureFixtures.f32("fid_a.f32", 500, 64);
            Tensor b = FeatureFixtures.f32("fid_b.f32", 500, 64);
            Map<String, MetricValue> m = ImageMetrics.fromFeatures("fixture", a, b, Optional.empty(),
                    ImageMetrics.Options.defaults().withMetrics("fid", "kid", "is"));
            assertEquals(List.of("fid", "kid", "kid_std"), List.copyOf(m.keySet()));
            assertTrue(m.get("kid").protocol().contains("100 subsets of 500 rows"), m.get("kid").protocol());
        }
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.Options.defaults().withMetrics("fld"));
    }
}
