package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Squared maximum mean discrepancy, unbiased (Gretton et al. 2012, eq. 3), with Gaussian RBF kernels
 * k(x, y) = exp(−‖x − y‖² / (2σ²)). With several bandwidths the kernel is their sum.
 * MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(nm) Σ_{i,j} k(xᵢ, yⱼ).
 * It can be slightly negative when the two samples come from one distribution.
 */
public final class Mmd {
    private Mmd() {}

    /** The median heuristic: σ = the median of the pairwise distances of the pooled sample (i &lt; j). */
    public static double medianBandwidth(Tensor x, Tensor y) {
        try (Scope s = Scope.open()) {
            Tensor z = torch.cat(new org.bytedeco.pytorch.TensorVector(x.to(torch.ScalarType.Double),
                    y.to(torch.ScalarType.Double)), 0);
            long n = z.size(0);
            Tensor d = torch.cdist(z, z);
            Tensor upper = torch.triu(torch.ones(new long[] {n, n}, Ops.doubleOptions()), 1).gt(Ops.s(0.5));
            return Ops.item(torch.median(d.masked_select(upper)));
        }
    }

    public static double unbiased(Tensor x, Tensor y, double... bandwidths) {
        if (bandwidths.length == 0) {
            throw new IllegalArgumentException("give at least one bandwidth");
        }
        try (Scope s = Scope.open()) {
            Tensor xd = x.to(torch.ScalarType.Double);
            Tensor yd = y.to(torch.ScalarType.Double);
            long n = xd.size(0);
            long m = yd.size(0);
            Tensor dxx = torch.cdist(xd, xd).square();
            Tensor dyy = torch.cdist(yd, yd).square();
            Tensor dxy = torch.cdist(xd, yd).square();
            double kxx = 0;
            double kyy = 0;
            double kxy = 0;
            for (double sigma : bandwidths) {
                double c = -1.0 / (2 * sigma * sigma);
                // diagonal terms are exp(0) = 1 each: subtract them for the unbiased sums
                kxx += Ops.item(torch.exp(Ops.mul(dxx, c)).sum()) - n;
                kyy += Ops.item(torch.exp(Ops.mul(dyy, c)).sum()) - m;
                kxy += Ops.item(torch.exp(Ops.mul(dxy, c)).sum());
            }
            return kxx / (n * (n - 1.0)) + kyy / (m * (m - 1.0)) - 2 * kxy / ((double) n * m);
        }
    }
}
