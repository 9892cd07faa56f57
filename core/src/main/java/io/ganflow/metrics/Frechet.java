package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The Fréchet distance between Gaussians fitted to two feature matrices (the "FD" of FID, Heusel et al.
 * 2017): ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}). The trace of the matrix square root is computed stably
 * as Σ √λ over the eigenvalues λ of the symmetric positive semi-definite Σ₁^{1/2} Σ₂ Σ₁^{1/2}, which has the
 * same spectrum as Σ₁Σ₂; tiny negative eigenvalues from rounding are clamped to 0. Covariances use n − 1.
 * The features come from whatever network the caller chose (the identity for low-dimensional data).
 */
public final class Frechet {
    private Frechet() {}

    public static double distance(Tensor a, Tensor b) {
        try (Scope s = Scope.open()) {
            Tensor x = a.to(torch.ScalarType.Double);
            Tensor y = b.to(torch.ScalarType.Double);
            Tensor mx = x.mean(new long[] {0}, true, null);
            Tensor my = y.mean(new long[] {0}, true, null);
            Tensor cx = cov(x, mx);
            Tensor cy = cov(y, my);
            double meanTerm = Ops.item(mx.sub(my).square().sum());
            Tensor sqrtCx = sqrtPsd(cx);
            Tensor inner = sqrtCx.matmul(cy).matmul(sqrtCx);
            inner = inner.add(inner.t()).mul(Ops.s(0.5));
            Tensor eig = torch.linalg_eigh(inner).get0();
            double traceSqrt = Ops.item(Ops.clamp(eig, 0, Double.MAX_VALUE).sqrt().sum());
            return meanTerm + Ops.item(cx.trace()) + Ops.item(cy.trace()) - 2 * traceSqrt;
        }
    }

    static Tensor cov(Tensor x, Tensor mean) {
        Tensor c = x.sub(mean);
        return c.t().matmul(c).div(Ops.s(x.size(0) - 1.0));
    }

    /** The PSD square root of a symmetric matrix by eigendecomposition. */
    static Tensor sqrtPsd(Tensor m) {
        var e = torch.linalg_eigh(m.add(m.t()).mul(Ops.s(0.5)));
        Tensor vals = Ops.clamp(e.get0(), 0, Double.MAX_VALUE).sqrt();
        Tensor vecs = e.get1();
        return vecs.mul(vals.unsqueeze(0)).matmul(vecs.t());
    }
}
