package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Engine;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.TorchScriptFeatures;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Timings for docs/metrics.md: features of 10,000 vs 10,000 1x28x28 images through the TorchScript fixture
 * module, FID on them, and FID on 2048-dimensional features (Inception's width). Run with
 * {@code mvn -B -o test -pl core -Pslow -Dtest=ImageMetricsSpeedTest} (or {@code -Dexcluded.test.groups=}).
 */
@Tag("slow")
class ImageMetricsSpeedTest {
    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void featuresAndFidOnTenThousandImages() {
        TorchScriptFeatures net = new TorchScriptFeatures(FeatureFixtures.file("feature_net.pt"));
        try (Scope s = Scope.open()) {
            Tensor real = FeatureFixtures.blobs(10_000, 1);
            Tensor fake = FeatureFixtures.blobs(10_000, 2);
            long t0 = System.nanoTime();
            Tensor fr = net.features(real);
            Tensor ff = net.features(fake);
            double tFeatures = seconds(t0);
            t0 = System.nanoTime();
            double fid = Frechet.distance(fr, ff);
            double tFid = seconds(t0);
            t0 = System.nanoTime();
            Kid.Result kid = Kid.compute(fr, ff, 0);
            double tKid = seconds(t0);
            t0 = System.nanoTime();
            Prdc.Result prdc = Prdc.compute(fr, ff, 5, 5);
            double tPrdc = seconds(t0);
            System.out.printf(Locale.ROOT, "threads %d: features of 2 x 10,000 1x28x28 images (batch %d) %.2f s;"
                    + " FID (d = 64) %.3f s = %.4g; KID (100 x 1,000) %.2f s = %.3g; PRDC k=5 %.2f s (%s)%n", Engine.threads(),
                    net.batchSize(), tFeatures, tFid, fid, tKid, kid.mean(), tPrdc, prdc);
            assertTrue(Double.isFinite(fid));
        }
    }

    @Test
    void fidOn2048DimensionalFeatures() {
        try (Scope s = Scope.open()) {
            Rng rng = new Rng(5);
            Tensor a = rng.normal(10_000, 2048);
            Tensor b = rng.normal(10_000, 2048).add(rng.normal(1, 2048).mul(io.ganflow.engine.Ops.s(0.1)));
            long t0 = System.nanoTime();
            Frechet.Gaussian ga = Frechet.fit(a);
            Frechet.Gaussian gb = Frechet.fit(b);
            double tFit = seconds(t0);
            t0 = System.nanoTime();
            double fid = Frechet.distance(ga, gb);
            double tDist = seconds(t0);
            // for comparison: the square root of the first covariance by eigendecomposition (the fallback route)
            t0 = System.nanoTime();
            Tensor root = Frechet.sqrtPsd(ga.cov());
            Tensor inner = root.matmul(gb.cov()).matmul(root);
            double viaEigh = org.bytedeco.pytorch.global.torch.linalg_eigvalsh(inner.add(inner.t()).mul(
                    io.ganflow.engine.Ops.s(0.5))).clamp_min(io.ganflow.engine.Ops.s(0)).sqrt().sum().item_double();
            double tEigh = seconds(t0);
            double viaCholesky = Frechet.traceSqrtProduct(ga.cov(), gb.cov());
            System.out.printf(Locale.ROOT, "threads %d: FID d = 2048, 10,000 vs 10,000: two Gaussian fits %.2f s,"
                    + " distance from the fits %.2f s (FID %.4g); Tr sqrt by the eigendecomposition route %.2f s"
                    + " (relative difference %.1e)%n", Engine.threads(), tFit, tDist, fid, tEigh,
                    Math.abs(viaEigh - viaCholesky) / viaCholesky);
            assertTrue(Double.isFinite(fid));
        }
    }
}
