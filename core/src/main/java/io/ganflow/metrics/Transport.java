package io.ganflow.metrics;

/**
 * Optimal transport between two equal-size, equal-weight samples. With n points on each side the optimal
 * plan is a permutation (Birkhoff–von Neumann), so exact W_p is an assignment problem:
 * W_p = (min_σ (1/n) Σᵢ ‖aᵢ − b_σ(i)‖ᵖ)^{1/p}. Solved exactly by {@link Assignment}.
 */
public final class Transport {
    /** The largest sample size accepted by the exact solvers (memory is n² doubles). */
    public static final int MAX_EXACT = 5000;

    private Transport() {}

    /** Exact W1 between the empirical measures of {@code a} and {@code b} (Euclidean ground cost). */
    public static double exactW1(double[][] a, double[][] b) {
        int n = check(a, b);
        double[] c = costs(a, b, 1);
        return Assignment.cost(c, n, Assignment.solve(c, n)) / n;
    }

    /** Exact W2 between the empirical measures of {@code a} and {@code b}. */
    public static double exactW2(double[][] a, double[][] b) {
        int n = check(a, b);
        double[] c = costs(a, b, 2);
        return Math.sqrt(Math.max(0, Assignment.cost(c, n, Assignment.solve(c, n)) / n));
    }

    private static int check(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("exact transport needs equal sample sizes, got " + a.length + " and "
                    + b.length);
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("empty samples");
        }
        if (a.length > MAX_EXACT) {
            throw new IllegalArgumentException("exact transport is limited to " + MAX_EXACT + " points, got "
                    + a.length);
        }
        if (a[0].length != b[0].length) {
            throw new IllegalArgumentException("dimensions differ: " + a[0].length + " vs " + b[0].length);
        }
        return a.length;
    }

    /** Pairwise costs ‖aᵢ − bⱼ‖ᵖ (p = 1 or 2), row-major n×n. */
    static double[] costs(double[][] a, double[][] b, int p) {
        int n = a.length;
        int d = a[0].length;
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            double[] ai = a[i];
            int row = i * n;
            for (int j = 0; j < n; j++) {
                double[] bj = b[j];
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = ai[k] - bj[k];
                    s += t * t;
                }
                c[row + j] = p == 2 ? s : Math.sqrt(s);
            }
        }
        return c;
    }
}
