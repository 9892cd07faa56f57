package io.ganflow.diffusion;

import io.ganflow.data.Dataset;
import io.ganflow.data.Mixture;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.flow.Solver;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.bytedeco.pytorch.Tensor;

/**
 * A score model's negative log-likelihood of fresh data, in the data's units: points drawn from the data set, or
 * 8-bit images dequantised uniformly (x = (p + u)/127.5 − 1, u ~ U[0, 1)) and reported in bits per dimension.
 * Where the data set is a Gaussian mixture the truth is known: the same points' mean −log p(x), an estimate of the
 * data's entropy, and the model's gap above it, KL(p ‖ q) ≥ 0 in expectation.
 */
public final class HeldOutLikelihood {
    private HeldOutLikelihood() {}

    /**
     * What was measured.
     *
     * @param n points or images
     * @param nll the mean −log q(x) in nats, in the data's units (images: of the dequantised values in model space)
     * @param stdError its standard error over the samples
     * @param truth the mean −log p(x) of the same samples under a mixture data set, if it is one
     * @param bitsPerDim images: (nll/D + ln 127.5)/ln 2; empty for points
     * @param nfe network evaluations of one batch's solve
     * @param protocol how, in words
     */
    public record Report(int n, double nll, double stdError, Optional<Double> truth, Optional<Double> bitsPerDim,
            int nfe, String protocol) {
        /** nll − truth, the model's excess over the data's entropy estimate. */
        public Optional<Double> gap() {
            return truth.map(t -> nll - t);
        }
    }

    /**
     * Measures n samples of {@code data} in batches.
     *
     * @param batchDone called with the number of samples done after each batch (a progress bar)
     */
    public static Report measure(Denoiser d, Dataset data, int n, long seed, Likelihood.Divergence divergence,
            int probes, Solver solver, Solver.Options options, int batch, IntConsumer batchDone) {
        boolean images = data.shape().length == 3;
        Rng rng = new Rng(seed);
        Rng probeRng = Rng.derived(seed, "probes");
        double[] all = new double[n];
        double[] truth = new double[n];
        Optional<Mixture> mixture = data.mixture();
        Standardizer st = data.standardizer();
        double logScale = 0;
        if (!images) {
            for (double s : st.scale()) {
                logScale += Math.log(s);
            }
        }
        long dims = 1;
        for (long v : data.shape()) {
            dims *= v;
        }
        int nfe = 0;
        for (int done = 0; done < n; done += batch) {
            int m = Math.min(batch, n - done);
            try (Scope s = Scope.open()) {
                Tensor x = data.sample(m, rng).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
                if (images) {
                    // x = p/127.5 − 1 on the pixel grid; add u/127.5, u ~ U[0, 1)
                    x = x.add(Ops.mul(Ops.toDevice(rng.uniform(Ops.shape(x))), 1 / 127.5));
                }
                Likelihood.Result r = Likelihood.nll(d, x, divergence, probes, solver, options, probeRng);
                nfe = Math.max(nfe, r.nfe());
                double[][] rows = mixture.isPresent() ? Ops.toRows(st.toData(Ops.flatten(x))) : null;
                double[] lp = mixture.isPresent() ? MixtureDenoiser.logDensity(mixture.get(), rows) : null;
                for (int i = 0; i < m; i++) {
                    all[done + i] = r.nll()[i] + logScale;
                    truth[done + i] = lp != null ? -lp[i] : Double.NaN;
                }
            }
            batchDone.accept(Math.min(n, done + batch));
        }
        double mean = 0;
        double tmean = 0;
        for (int i = 0; i < n; i++) {
            mean += all[i] / n;
            tmean += truth[i] / n;
        }
        double var = 0;
        for (double v : all) {
            var += (v - mean) * (v - mean) / Math.max(1, n - 1);
        }
        String how = "probability-flow ODE from t_min = " + d.process().tMin() + " to t_max = " + d.process().tMax()
                + " (" + d.process().name() + "), " + solver.key() + (solver == Solver.DOPRI5 ? " (atol "
                + options.atol() + ", rtol " + options.rtol() + ")" : " (" + options.steps() + " steps)") + ", "
                + (divergence == Likelihood.Divergence.EXACT ? "exact divergence" : "Hutchinson divergence, " + probes
                        + " Rademacher probe(s)") + ", prior N(0, " + d.process().priorStd() + "^2 I), " + n
                + (images ? " training images, uniformly dequantised" : " fresh points from the data set, in its units");
        double dimsF = dims;
        return new Report(n, mean, Math.sqrt(var / n), mixture.isPresent() ? Optional.of(tmean) : Optional.empty(),
                images ? Optional.of((mean / dimsF + Math.log(127.5)) / Math.log(2)) : Optional.empty(), nfe, how);
    }
}
