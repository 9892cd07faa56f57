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
        return radii(x, k, CHUNK_ELEMENTS);
    }

    /** {@link #radii(Tensor, int)} holding at most about {@code chunkElements} distances at once. */
    static double[] radii(Tensor x, int k, long chunkElements) {
        try (Scope s = Scope.open()) {
            Tensor xd = x.to(torch.ScalarType.Double);
            if (k >= xd.size(0)) {
                throw new IllegalArgumentException("k = " + k + " needs more than " + k + " points, got " + xd.size(0));
            }
            // the k+1-th smallest distance in each row skips the zero distance to itself; rows in chunks of at
            // most CHUNK_ELEMENTS distances, so 10,000 x 10,000 never needs the whole matrix at once
            long n = xd.size(0);
            long rows = chunkRows(n, chunkElements);
            double[] out = new double[(int) n];
            for (long a = 0; a < n; a += rows) {
                long len = Math.min(rows, n - a);
                try (Scope c = Scope.open()) {
                    double[] r = Ops.toDoubles(torch.cdist(xd.narrow(0, a, len), xd).kthvalue(k + 1, 1, false).get0());
                    System.arraycopy(r, 0, out, (int) a, r.length);
                }
            }
            return out;
        }
    }

    /** Distances held at once by the chunked computations (2^25 float64: 256 MiB). */
    static final long CHUNK_ELEMENTS = 1L << 25;

    /** Rows per chunk of a distance matrix with {@code columns} columns (all rows when they fit). */
    static long chunkRows(long columns, long chunkElements) {
        return Math.max(1, chunkElements / Math.max(1, columns));
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
