package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** k-nearest-neighbour distances and the estimators built on them. Exact (brute force) in float64. */
public final class Knn {
    private Knn() {}

    /** For each row of x, the distance to its k-th nearest other row of x (the row itself excluded). */
    public static double[] radii(Tensor x, int k) {
        try (Scope s = Scope.open()) {
            Tensor xd = x.to(torch.ScalarType.Double);
            if (k >= xd.size(0)) {
                throw new IllegalArgumentException("k = " + k + " needs more than " + k + " points, got " + xd.size(0));
            }
            // the k+1-th smallest distance in each row skips the zero distance to itself
            return Ops.toDoubles(torch.cdist(xd, xd).kthvalue(k + 1, 1, false).get0());
        }
    }

    /** For each row of x, the distance to its k-th nearest row of y. */
    public static double[] distancesTo(Tensor x, Tensor y, int k) {
        try (Scope s = Scope.open()) {
            return Ops.toDoubles(torch.cdist(x.to(torch.ScalarType.Double), y.to(torch.ScalarType.Double))
                    .kthvalue(k, 1, false).get0());
        }
    }

    /**
     * The k-NN estimator of KL(P‖Q) from samples x ~ P (n, d) and y ~ Q (m, d) (Wang, Kulkarni &amp; Verdú
     * 2009, eq. 5): D̂ = (d/n) Σᵢ log(νₖ(i)/ρₖ(i)) + log(m/(n − 1)), with ρₖ(i) the distance from xᵢ to its
     * k-th nearest neighbour among the other x and νₖ(i) to its k-th nearest neighbour in y.
     */
    public static double klDivergence(Tensor x, Tensor y, int k) {
        double[] rho = radii(x, k);
        double[] nu = distancesTo(x, y, k);
        int n = rho.length;
        long m = y.size(0);
        long d = x.size(1);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.log(nu[i] / rho[i]);
        }
        return (double) d / n * s + Math.log(m / (n - 1.0));
    }
}
