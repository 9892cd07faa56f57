package io.ganflow.diffusion;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.flow.Solver;
import io.ganflow.flow.VectorField;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The exact likelihood of a score model through its probability-flow ODE (Song et al. 2021, appendix D.2; the
 * instantaneous change of variables of Chen et al. 2018): along a solution x(t) of dx/dt = F(x, t),
 * d log p_t(x(t))/dt = −∇·F, so
 * <pre>  −log p_{t_min}(x) = −log N(x(t_max); 0, std² I) − ∫_{t_min}^{t_max} ∇·F(x(t), t) dt.</pre>
 * The state (x, ∫∇·F) is integrated from t_min to t_max with any of ganflow's solvers (in the time
 * {@link ScoreSamplers#solverTime} gives them). The divergence is exact (one
 * backward pass per coordinate: points) or Hutchinson's unbiased estimate E_v[vᵀ(∂F/∂x)v] with Rademacher probes v
 * drawn once per solve (Grathwohl et al. 2019: images).
 */
public final class Likelihood {
    private Likelihood() {}

    /** How the divergence is computed. */
    public enum Divergence {
        EXACT, HUTCHINSON
    }

    /**
     * Per-sample negative log-likelihoods in nats, and the network evaluations of the solve (each one forward and
     * its backward passes).
     */
    public record Result(double[] nll, int nfe) {
        public double mean() {
            double s = 0;
            for (double v : nll) {
                s += v;
            }
            return s / nll.length;
        }

        /** Bits per dimension of 8-bit data scaled as x = p/127.5 − 1 and dequantised uniformly: (nll/D + ln 127.5)/ln 2. */
        public double bitsPerDim(long dims) {
            return (mean() / dims + Math.log(127.5)) / Math.log(2);
        }
    }

    /**
     * −log p(x) for each sample of x (n, shape...), under the denoiser's probability-flow ODE and its process's prior.
     *
     * @param probes the Rademacher probes of {@link Divergence#HUTCHINSON} (averaged per evaluation); ignored when exact
     */
    public static Result nll(Denoiser d, Tensor x, Divergence divergence, int probes, Solver s, Solver.Options o,
            Rng rng) {
        Process p = d.process();
        long n = x.size(0);
        long dims = Ops.flatten(x).size(1);
        long[] shape = Ops.shape(x);
        VectorField flow = ScoreSamplers.solverTime(d.probabilityFlow(), p);
        List<Tensor> v = new ArrayList<>();
        if (divergence == Divergence.HUTCHINSON) {
            for (int k = 0; k < probes; k++) {
                // Rademacher: ±1 with probability ½ each
                v.add(Ops.toDevice(rng.integers(2, shape)).to(x.scalar_type()).mul(Ops.s(2)).sub(Ops.s(1)));
            }
        }
        VectorField augmented = (z, t) -> Ops.withGrad(() -> {
            Tensor xs = Ops.requiringGrad(z.narrow(1, 0, dims).reshape(shape));
            Tensor f = flow.at(xs, t);
            Tensor div;
            if (divergence == Divergence.EXACT) {
                Tensor ff = Ops.flatten(f);
                div = torch.zeros(new long[] {n}, x.options());
                for (long i = 0; i < dims; i++) {
                    Tensor gi = Ops.grad(ff.select(1, i).sum(), null, List.of(xs), true, false).get(0);
                    div = div.add(Ops.flatten(gi).select(1, i));
                }
            } else {
                div = torch.zeros(new long[] {n}, x.options());
                for (Tensor probe : v) {
                    Tensor g = Ops.grad(f.mul(probe).sum(), null, List.of(xs), true, false).get(0);
                    div = div.add(Ops.sampleDot(g, probe));
                }
                div = div.div(Ops.s(v.size()));
            }
            return Ops.cat(List.of(Ops.flatten(f).detach(), div.detach().reshape(n, 1)), 1);
        });
        Tensor z0 = Ops.cat(List.of(Ops.flatten(x), torch.zeros(new long[] {n, 1}, x.options())), 1);
        // in the solvers' time u, from u = 1 (t_min) back to u = 0 (t_max)
        Solver.Result res = s.solve(augmented, z0, 1, 0, o);
        double std = p.priorStd();
        double[] xt = Ops.toDoubles(Ops.rowSquaredNorm(res.x().narrow(1, 0, dims)));
        double[] integral = Ops.toDoubles(res.x().narrow(1, dims, 1).reshape(n));
        double[] nll = new double[(int) n];
        for (int i = 0; i < n; i++) {
            double logPrior = -0.5 * dims * Math.log(2 * Math.PI * std * std) - xt[i] / (2 * std * std);
            nll[i] = -logPrior - integral[i];
        }
        return new Result(nll, res.nfe());
    }
}
