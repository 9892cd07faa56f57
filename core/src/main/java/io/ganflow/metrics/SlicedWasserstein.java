package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Sliced Wasserstein distance between two equal-size samples: project both on L unit directions θ_l,
 * where 1-D optimal transport is sorting, and average: SW_p = ((1/L) Σ_l W_p^p(θ_l·x, θ_l·y))^{1/p}
 * (Bonneel et al. 2015). The same definition as POT's sliced_wasserstein_distance.
 */
public final class SlicedWasserstein {
    private SlicedWasserstein() {}

    /** L directions uniform on the unit sphere in d dimensions, as a (d, L) float64 matrix. */
    public static Tensor randomProjections(int d, int l, Rng rng) {
        Tensor g = rng.normal(d, l).to(torch.ScalarType.Double);
        return g.div(g.norm(new org.bytedeco.pytorch.ScalarOptional(Ops.s(2.0)), new long[] {0}, true));
    }

    /** SW_p with the given (d, L) projection matrix; x and y are (n, d) with the same n. */
    public static double distance(Tensor x, Tensor y, Tensor projections, double p) {
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("sliced Wasserstein here needs equal sample sizes, got " + x.size(0)
                    + " and " + y.size(0));
        }
        try (Scope s = Scope.open()) {
            Tensor px = x.to(torch.ScalarType.Double).matmul(projections).sort(0, false).get0();
            Tensor py = y.to(torch.ScalarType.Double).matmul(projections).sort(0, false).get0();
            Tensor perProjection = torch.pow(px.sub(py).abs(), Ops.s(p)).mean(new long[] {0}, false, null);
            return Math.pow(Ops.item(perProjection.mean()), 1.0 / p);
        }
    }
}
