package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The Fréchet distance between Gaussians fitted to two feature matrices (the "FD" of FID, Heusel et al.
 * 2017): ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}), in float64. Covariances use n − 1.
 *
 * <p>Tr(Σ₁Σ₂)^{1/2} = Σ √λ over the eigenvalues λ of Σ₁Σ₂, which are those of the symmetric positive
 * semi-definite Lᵀ Σ₂ L for any L with L Lᵀ = Σ₁. L is the Cholesky factor of Σ₁ (backward stable whenever it
 * completes, and cheaper than an eigendecomposition), or Σ₁^{1/2} from a symmetric eigendecomposition when
 * Σ₁ is not numerically positive definite (fewer samples than dimensions, constant features). The
 * eigenvalues come from a symmetric eigensolver; those below d·ε·λ_max (negative ones included) are
 * rounding noise and count as 0 (the numerical-rank tolerance of LAPACK and NumPy), so rank-deficient
 * covariances (fewer samples than dimensions) do not pick up √noise per missing dimension. No
 * non-symmetric matrix square root is ever formed, so there are no complex parts to discard.
 * The features come from whatever network the caller chose (the identity for low-dimensional data).
 */
public final class Frechet {
    private Frechet() {}

    /**
     * A Gaussian fit: mean (d) and covariance (d, d) in float64, from n rows. The tensors belong to the
     * native scope that was open when {@link #fit} ran; wrap them with {@code Scope.persistent} to cache them.
     */
    public record Gaussian(Tensor mean, Tensor cov, long n) {
        public long dim() {
            return mean.size(0);
        }
    }

    /** The mean and the (n − 1)-normalised covariance of the rows of {@code features} (n, d), n ≥ 2. */
    public static Gaussian fit(Tensor features) {
        if (features.dim() != 2 || features.size(0) < 2) {
            throw new IllegalArgumentException("need a feature matrix (n, d) with n >= 2, got "
                    + java.util.Arrays.toString(Ops.shape(features)));
        }
        // each result in its own scope, so the float64 copy of the features never outlives this call
        Tensor mean = Scope.isolated(() -> features.to(torch.ScalarType.Double).mean(new long[] {0}, false, null));
        Tensor cov = Scope.isolated(() -> cov(features.to(torch.ScalarType.Double), mean.unsqueeze(0)));
        return new Gaussian(mean, cov, features.size(0));
    }

    public static double distance(Tensor a, Tensor b) {
        try (Scope s = Scope.open()) {
            return distance(fit(a), fit(b));
        }
    }

    public static double distance(Gaussian a, Gaussian b) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("feature dimensions differ: " + a.dim() + " vs " + b.dim());
        }
        try (Scope s = Scope.open()) {
            double meanTerm = Ops.item(a.mean().sub(b.mean()).square().sum());
            return meanTerm + Ops.item(a.cov().trace()) + Ops.item(b.cov().trace()) - 2 * traceSqrtProduct(a.cov(), b.cov());
        }
    }

    /** Tr (AB)^{1/2} for symmetric positive semi-definite A and B. */
    static double traceSqrtProduct(Tensor a, Tensor b) {
        try (Scope s = Scope.open()) {
            Tensor sa = a.add(a.t()).mul(Ops.s(0.5));
            T_TensorTensor_T chol = torch.linalg_cholesky_ex(sa);
            Tensor l = chol.get1().item_long() == 0 ? chol.get0() : sqrtPsd(sa);
            Tensor inner = l.t().matmul(b).matmul(l);
            inner = inner.add(inner.t()).mul(Ops.s(0.5));
            double[] eig = Ops.toDoubles(torch.linalg_eigvalsh(inner)); // ascending
            // below d·ε·λmax an eigenvalue is rounding noise (the numerical-rank tolerance): count it as 0, so
            // that a rank-deficient covariance does not add √noise per missing dimension
            double floor = eig.length * Math.ulp(1.0) * Math.max(0, eig[eig.length - 1]);
            double sum = 0;
            for (double v : eig) {
                sum += v > floor ? Math.sqrt(v) : 0;
            }
            return sum;
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
