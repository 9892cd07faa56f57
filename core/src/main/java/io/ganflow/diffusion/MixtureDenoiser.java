package io.ganflow.diffusion;

import io.ganflow.data.Mixture;
import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The exact denoiser of an equal-weight mixture of isotropic Gaussians N(μ_k, s² I) under a process: x_t is the
 * mixture of N(α μ_k, (α² s² + σ²) I), so with posterior weights w_k(x) ∝ N(x; α μ_k, (α² s² + σ²) I),
 * D(x, t) = Σ_k w_k(x) [μ_k + α s²/(α² s² + σ²)·(x − α μ_k)]. The truth against which trained score models, their
 * samplers and their likelihoods are measured on the toys.
 */
public final class MixtureDenoiser implements Denoiser {
    private final Process process;
    private final Mixture mixture;
    private final Tensor centers;

    public MixtureDenoiser(Process process, Mixture mixture) {
        this.process = process;
        this.mixture = mixture;
        this.centers = io.ganflow.engine.Scope.persistent(Ops.fromRowsExact(mixture.centers()));
    }

    @Override
    public Process process() {
        return process;
    }

    @Override
    public Tensor denoise(Tensor x, double t) {
        double a = process.alpha(t);
        double sg = process.sigma(t);
        double s = mixture.std();
        double v = a * a * s * s + sg * sg;
        Tensor xd = x.to(torch.ScalarType.Double);
        Tensor mu = centers.to(xd);
        // squared distances (n, K) from x to α μ_k
        Tensor diff = xd.unsqueeze(1).sub(Ops.mul(mu, a).unsqueeze(0));
        Tensor d2 = diff.pow(Ops.s(2)).sum(new long[] {2}, false, null);
        Tensor w = torch.softmax(Ops.mul(d2, -0.5 / v), 1);
        double k = a * s * s / v;
        // Σ_k w_k μ_k (1 − k α) + k x
        Tensor mean = Ops.mm(w, mu);
        return Ops.mul(mean, 1 - k * a).add(Ops.mul(xd, k)).to(x.scalar_type());
    }

    /** log p(x) of the mixture itself (t = 0), per row: the truth for likelihoods. */
    public static double[] logDensity(Mixture m, double[][] x) {
        int kk = m.modes();
        int dim = m.dim();
        double s2 = m.std() * m.std();
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] l = new double[kk];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < kk; k++) {
                double q = 0;
                for (int j = 0; j < dim; j++) {
                    double d = x[i][j] - m.centers()[k][j];
                    q += d * d;
                }
                l[k] = -q / (2 * s2);
                max = Math.max(max, l[k]);
            }
            double sum = 0;
            for (double v : l) {
                sum += Math.exp(v - max);
            }
            out[i] = max + Math.log(sum / kk) - 0.5 * dim * Math.log(2 * Math.PI * s2);
        }
        return out;
    }
}
