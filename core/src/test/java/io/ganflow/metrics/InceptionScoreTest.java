package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The Inception-style score against NumPy (tools/fixtures/image_metrics.py) and its two extremes. */
class InceptionScoreTest {
    @Test
    void matchesNumpy() {
        Tensor logits = FeatureFixtures.f32("is_logits.f32", 1000, 10);
        for (JsonNode c : FeatureFixtures.json("image_metrics.json").get("is")) {
            int splits = c.get("splits").asInt();
            InceptionScore.Result r = InceptionScore.compute(logits, splits);
            assertEquals(c.get("mean").asDouble(), r.mean(), 1e-12 * r.mean(), "splits " + splits);
            assertEquals(c.get("std").asDouble(), r.std(), 1e-10 * r.mean(), "splits " + splits);
            for (int i = 0; i < splits; i++) {
                assertEquals(c.get("scores").get(i).asDouble(), r.scores()[i], 1e-12 * r.mean());
            }
        }
    }

    @Test
    void confidentAndBalancedScoresTheClassCountAndConstantScoresOne() {
        int n = 400;
        int k = 8;
        double[] sharp = new double[n * k];
        double[] flat = new double[n * k];
        for (int i = 0; i < n; i++) {
            sharp[i * k + i % k] = 60; // softmax is one-hot to double precision
            flat[i * k + 3] = 2;
        }
        assertEquals(k, InceptionScore.compute(Ops.fromDoubles(sharp, n, k)).mean(), 1e-9);
        assertEquals(1, InceptionScore.compute(Ops.fromDoubles(flat, n, k)).mean(), 1e-12);
    }
}
