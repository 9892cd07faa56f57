package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.Mixture;
import org.junit.jupiter.api.Test;

class ModeMetricsTest {
    static final Mixture TWO = new Mixture(new double[][] {{0, 0}, {10, 0}}, 0.1);

    @Test
    void countsHighQualitySamplesPerMode() {
        double[][] s = {
            {0.05, 0.0}, // mode 0, within 3σ = 0.3
            {0.0, 0.29}, // mode 0
            {0.0, 0.31}, // nearest mode 0 but beyond 3σ: not high quality
            {10.2, 0.1}, // mode 1 (distance 0.224)
            {5.0, 0.0}, // between modes
        };
        ModeReport r = ModeMetrics.evaluate(s, TWO);
        assertArrayEquals(new int[] {2, 1}, r.counts());
        assertEquals(2, r.modesCovered());
        assertEquals(3.0 / 5, r.highQualityFraction(), 1e-12);
        // q = (2/3, 1/3) against uniform (1/2, 1/2)
        double want = 2.0 / 3 * Math.log(2.0 / 3 * 2) + 1.0 / 3 * Math.log(1.0 / 3 * 2);
        assertEquals(want, r.reverseKl(), 1e-12);
    }

    @Test
    void collapseOnOneModeGivesLogK() {
        double[][] s = {{0, 0}, {0.01, 0}, {0, 0.02}};
        ModeReport r = ModeMetrics.evaluate(s, TWO);
        assertEquals(1, r.modesCovered());
        assertEquals(Math.log(2), r.reverseKl(), 1e-12);
        assertEquals(1.0, r.highQualityFraction(), 1e-12);
    }

    @Test
    void noHighQualitySampleGivesUndefinedReverseKl() {
        ModeReport r = ModeMetrics.evaluate(new double[][] {{5, 5}}, TWO);
        assertEquals(0, r.modesCovered());
        assertEquals(0.0, r.highQualityFraction());
        assertTrue(Double.isNaN(r.reverseKl()));
    }

    @Test
    void minimumCountRaisesTheBar() {
        double[][] s = {{0, 0}, {0, 0.1}, {10, 0}};
        assertEquals(1, ModeMetrics.evaluate(s, TWO, 3, 2).modesCovered());
    }
}
