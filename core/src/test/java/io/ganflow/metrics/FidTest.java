package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.TorchScriptFeatures;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FID on feature matrices against scipy.linalg.sqrtm (tools/fixtures/image_metrics.py), and its behaviour. */
class FidTest {
    static JsonNode fx;
    static Tensor a;
    static Tensor b;
    static Tensor c;
    static Tensor d;

    @BeforeAll
    static void load() {
        fx = FeatureFixtures.json("image_metrics.json");
        a = FeatureFixtures.f32("fid_a.f32", 500, 64);
        b = FeatureFixtures.f32("fid_b.f32", 500, 64);
        c = FeatureFixtures.f32("fid_c.f32", 500, 64);
        d = FeatureFixtures.f32("fid_d.f32", 500, 64);
    }

    private static double want(String pair, String key) {
        return fx.get("fid").get(pair).get(key).asDouble();
    }

    @Test
    void matchesScipySqrtmOnTwoClouds() {
        double got = Frechet.distance(a, b);
        assertEquals(want("a_b", "fid"), got, 1e-9 * want("a_b", "fid"));
        double other = Frechet.distance(c, a);
        assertEquals(want("c_a", "fid"), other, 1e-9 * want("c_a", "fid"));
    }

    @Test
    void matchesScipyOnNearSingularCovariances() {
        // 48 of 64 covariance eigenvalues are ~1e-8 of the largest: sqrtm leaves imaginary parts ~5e-7 there and
        // its trace differs from the eigenvalue route by ~1e-7 relative; ganflow agrees with both to 1e-6
        double got = Frechet.distance(c, d);
        assertEquals(want("c_d", "fid"), got, 1e-6 * want("c_d", "fid"));
        assertEquals(want("c_d", "fid_eigvals"), got, 1e-6 * want("c_d", "fid_eigvals"));
    }

    @Test
    void fidOfASetWithItselfIsZero() {
        double scale = want("a_a", "trace_sum");
        assertEquals(0, Frechet.distance(a, a), 1e-6 * scale);
        assertEquals(0, Frechet.distance(c, c), 1e-6 * want("c_d", "trace_sum"));
        assertTrue(Math.abs(Frechet.distance(a, a)) < 1e-10 * scale, "FID(X, X) = " + Frechet.distance(a, a));
    }

    @Test
    void fewerSamplesThanDimensionsStillWorks() {
        // rank-deficient covariances: the Cholesky factorisation fails and the eigendecomposition takes over
        Tensor a20 = a.narrow(0, 0, 20);
        Tensor b20 = b.narrow(0, 0, 20);
        double got = Frechet.distance(a20, b20);
        assertTrue(Double.isFinite(got) && got > 0, "FID " + got);
        double scale = Ops.item(Frechet.fit(a20).cov().trace());
        assertEquals(0, Frechet.distance(a20, a20), 1e-9 * scale, "trace " + scale);
    }

    @Test
    void fittedGaussiansGiveTheSameDistance() {
        try (Scope s = Scope.open()) {
            Frechet.Gaussian ga = Frechet.fit(a);
            Frechet.Gaussian gb = Frechet.fit(b);
            assertEquals(500, ga.n());
            assertEquals(64, ga.dim());
            assertEquals(Frechet.distance(a, b), Frechet.distance(ga, gb), 0);
        }
    }

    /** Features of the TorchScript fixture module: FID grows with the noise added to fixed images. */
    @Test
    void fidRisesMonotonicallyWithNoise() {
        TorchScriptFeatures net = new TorchScriptFeatures(FeatureFixtures.file("feature_net.pt"), 128);
        try (Scope s = Scope.open()) {
            Tensor clean = FeatureFixtures.blobs(400, 3);
            Tensor eps = new Rng(4).normal(400, 1, 28, 28);
            Tensor ref = net.features(clean);
            double prev = -1;
            StringBuilder seen = new StringBuilder();
            for (double sigma : new double[] {0, 0.05, 0.1, 0.2, 0.4, 0.8}) {
                Tensor noisy = torch.clamp(clean.add(Ops.mul(eps, sigma)), new org.bytedeco.pytorch.ScalarOptional(
                        Ops.s(-1)), new org.bytedeco.pytorch.ScalarOptional(Ops.s(1)));
                double fid = Frechet.distance(ref, net.features(noisy));
                seen.append(String.format(" sigma %.2f: %.5g", sigma, fid));
                if (sigma == 0) {
                    assertEquals(0, fid, 1e-9, seen.toString());
                } else {
                    assertTrue(fid > prev, "not increasing:" + seen);
                }
                prev = fid;
            }
        }
    }
}
