package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Kernel Inception Distance (Bińkowski et al. 2018) on feature matrices, as torch-fidelity computes it: the
 * unbiased MMD² with the cubic polynomial kernel k(x, y) = (x·y / d + 1)³, on random subsets of m rows of each
 * side, averaged over the subsets; the spread is the population standard deviation over the subsets. For
 * one subset pair of equal size m:
 * <pre>
 *   MMD²_u = (Σ_{i≠j} k(xᵢ, xⱼ) + Σ_{i≠j} k(yᵢ, yⱼ)) / (m(m − 1)) − 2 Σ_{i,j} k(xᵢ, yⱼ) / m².
 * </pre>
 * Computed in float64. Defaults: m = 1,000 and 100 subsets; m is cut to the smaller sample when a side has
 * fewer rows (the protocol reports the m used).
 */
public final class Kid {
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    public static final int DEFAULT_SUBSETS = 100;

    private Kid() {}

    /**
     * @param mean the mean MMD² over the subsets
     * @param std the population standard deviation of the MMD² over the subsets
     * @param subsetSize the rows drawn from each side per subset
     * @param subsets the number of subset pairs
     */
    public record Result(double mean, double std, int subsetSize, int subsets) {}

    /** The unbiased MMD² with the cubic polynomial kernel between x (n, d) and y (m, d), n, m ≥ 2. */
    public static double mmd2(Tensor x, Tensor y) {
        try (Scope s = Scope.open()) {
            Tensor a = x.to(torch.ScalarType.Double);
            Tensor b = y.to(torch.ScalarType.Double);
            long n = a.size(0);
            long m = b.size(0);
            if (n < 2 || m < 2 || a.size(1) != b.size(1)) {
                throw new IllegalArgumentException("KID needs two feature matrices with >= 2 rows and equal widths, got "
                        + java.util.Arrays.toString(Ops.shape(a)) + " and " + java.util.Arrays.toString(Ops.shape(b)));
            }
            double d = a.size(1);
            Tensor kxx = kernel(a, a, d);
            Tensor kyy = kernel(b, b, d);
            Tensor kxy = kernel(a, b, d);
            double sxx = Ops.item(kxx.sum()) - Ops.item(kxx.diagonal().sum());
            double syy = Ops.item(kyy.sum()) - Ops.item(kyy.diagonal().sum());
            double sxy = Ops.item(kxy.sum());
            return sxx / (n * (n - 1.0)) + syy / (m * (m - 1.0)) - 2 * sxy / ((double) n * m);
        }
    }

    /** KID with the default protocol (1,000 rows per subset, 100 subsets). */
    public static Result compute(Tensor real, Tensor fake, long seed) {
        return compute(real, fake, DEFAULT_SUBSET_SIZE, DEFAULT_SUBSETS, seed);
    }

    /**
     * KID over {@code subsets} pairs of random subsets, each {@code min(subsetSize, n, m)} rows drawn without
     * replacement from each side (a seeded permutation per side and subset, from {@code Rng.derived(seed,
     * "kid")}: the same seed gives the same subsets).
     */
    public static Result compute(Tensor real, Tensor fake, int subsetSize, int subsets, long seed) {
        if (subsetSize < 2 || subsets < 1) {
            throw new IllegalArgumentException("KID needs a subset size >= 2 and >= 1 subsets, got " + subsetSize
                    + " and " + subsets);
        }
        long n = real.size(0);
        long m = fake.size(0);
        int size = (int) Math.min(subsetSize, Math.min(n, m));
        Rng rng = Rng.derived(seed, "kid");
        long[][] rx = new long[subsets][];
        long[][] fy = new long[subsets][];
        try (Scope s = Scope.open()) {
            for (int i = 0; i < subsets; i++) {
                rx[i] = longs(rng.permutation(n).narrow(0, 0, size));
                fy[i] = longs(rng.permutation(m).narrow(0, 0, size));
            }
        }
        return compute(real, fake, rx, fy);
    }

    /** KID over given subsets: row indices into real and into fake, one array per subset, equal sizes. */
    public static Result compute(Tensor real, Tensor fake, long[][] realSubsets, long[][] fakeSubsets) {
        if (realSubsets.length != fakeSubsets.length || realSubsets.length == 0) {
            throw new IllegalArgumentException("give as many real as fake subsets, at least one");
        }
        int k = realSubsets.length;
        double[] v = new double[k];
        try (Scope s = Scope.open()) {
            Tensor x = real.to(torch.ScalarType.Double);
            Tensor y = fake.to(torch.ScalarType.Double);
            for (int i = 0; i < k; i++) {
                int idx = i;
                try (Scope t = Scope.open()) {
                    Tensor ix = torch.tensor(realSubsets[idx]);
                    Tensor iy = torch.tensor(fakeSubsets[idx]);
                    v[i] = mmd2(x.index_select(0, ix), y.index_select(0, iy));
                }
            }
        }
        double mean = 0;
        for (double e : v) {
            mean += e;
        }
        mean /= k;
        double var = 0;
        for (double e : v) {
            var += (e - mean) * (e - mean);
        }
        return new Result(mean, Math.sqrt(var / k), realSubsets[0].length, k);
    }

    private static Tensor kernel(Tensor a, Tensor b, double d) {
        return a.matmul(b.t()).div(Ops.s(d)).add(Ops.s(1.0)).pow(Ops.s(3.0));
    }

    private static long[] longs(Tensor t) {
        long[] out = new long[(int) t.numel()];
        t.contiguous().data_ptr_long().get(out);
        return out;
    }
}
