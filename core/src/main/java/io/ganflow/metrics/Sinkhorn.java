package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Entropic optimal transport between two uniform empirical measures, in the log domain (stable for small
 * regularisation). Solves min ⟨P, C⟩ − ε·H(P) over couplings P with marginals 1/n and 1/m, where
 * H(P) = −Σ P log P, by alternating the dual updates
 * f ← ε log a − ε LSE_j((g_j − C_ij)/ε) and g ← ε log b − ε LSE_i((f_i − C_ij)/ε)
 * (Peyré &amp; Cuturi, "Computational Optimal Transport", §4.4). Runs on libtorch in float64.
 */
public final class Sinkhorn {
    private Sinkhorn() {}

    /**
     * @param cost the transport cost ⟨P, C⟩ of the entropic plan (what POT's sinkhorn2 returns)
     * @param iterations dual updates performed
     * @param marginalError the L1 error of the plan's row marginals at the end
     */
    public record Result(double cost, int iterations, double marginalError) {}

    /**
     * @param x (n, d) points
     * @param y (m, d) points
     * @param p ground cost ‖x − y‖ᵖ (1 or 2)
     * @param reg ε, in the units of the cost
     * @param tol stop when the row-marginal L1 error falls below this
     */
    public static Result solve(Tensor x, Tensor y, int p, double reg, int maxIterations, double tol) {
        try (Scope s = Scope.open()) {
            Tensor xd = x.to(torch.ScalarType.Double);
            Tensor yd = y.to(torch.ScalarType.Double);
            Tensor c = torch.cdist(xd, yd);
            if (p == 2) {
                c = c.square();
            } else if (p != 1) {
                c = torch.pow(c, Ops.s(p));
            }
            long n = c.size(0);
            long m = c.size(1);
            Tensor negCOverEps = Ops.mul(c, -1.0 / reg);
            double logA = -Math.log(n);
            double logB = -Math.log(m);
            Tensor f = torch.zeros(new long[] {n, 1}, Ops.doubleOptions());
            Tensor g = torch.zeros(new long[] {1, m}, Ops.doubleOptions());
            int it = 0;
            double err = Double.POSITIVE_INFINITY;
            while (it < maxIterations) {
                try (Scope inner = Scope.open()) {
                    Tensor nf = Ops.mul(torch.logsumexp(negCOverEps.add(Ops.mul(g, 1.0 / reg)), new long[] {1}, true),
                            -reg);
                    f.copy_(Ops.add(nf, reg * logA));
                    Tensor ng = Ops.mul(torch.logsumexp(negCOverEps.add(Ops.mul(f, 1.0 / reg)), new long[] {0}, true),
                            -reg);
                    g.copy_(Ops.add(ng, reg * logB));
                    it++;
                    if (it % 10 == 0 || it == maxIterations) {
                        Tensor logP = negCOverEps.add(Ops.mul(f.add(g), 1.0 / reg));
                        Tensor rows = torch.exp(torch.logsumexp(logP, new long[] {1}, false));
                        err = Ops.item(Ops.add(rows, -1.0 / n).abs().sum());
                        if (err < tol) {
                            break;
                        }
                    }
                }
            }
            Tensor plan = torch.exp(negCOverEps.add(Ops.mul(f.add(g), 1.0 / reg)));
            double cost = Ops.item(plan.mul(c).sum());
            return new Result(cost, it, err);
        }
    }
}
