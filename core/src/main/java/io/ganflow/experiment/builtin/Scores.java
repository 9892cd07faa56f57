package io.ganflow.experiment.builtin;

import io.ganflow.data.Mixture;
import io.ganflow.diffusion.Denoiser;
import io.ganflow.diffusion.ScoreModel;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.SampleRequest;
import org.bytedeco.pytorch.Tensor;

/** What the diffusion experiments measure on a trained score model. */
final class Scores {
    private Scores() {}

    /** The run's method as a denoiser (DDPM's linear schedule, a score model or EDM). */
    static Denoiser denoiser(TrainingRun tr) {
        return ((ScoreModel) tr.method()).denoiser();
    }

    /** n points of a named sampler (with options "key", "value", …) in data space. */
    static double[][] sample(TrainingRun tr, String sampler, int n, long seed, String... options) {
        try (Scope s = Scope.open()) {
            SampleRequest r = SampleRequest.of(n, new Rng(seed)).withProcedure(sampler);
            for (int i = 0; i + 1 < options.length; i += 2) {
                r = r.withOption(options[i], options[i + 1]);
            }
            SampleRequest req = r;
            Tensor x = Ops.noGrad(() -> tr.method().sample(req).x());
            return Ops.toRows(tr.data().standardizer().toData(x));
        }
    }

    /**
     * The relative error of a denoiser's score in ε-space at time t against a mixture's exact one, over n draws of
     * x_t = α x_0 + σ ε from the data: E‖σ(s − s*)‖² / E‖σ s*‖² (σ s is −ε's prediction, bounded at every t).
     */
    static double scoreError(Denoiser d, Mixture m, io.ganflow.data.Dataset data, double t, int n, long seed) {
        return scoreDifference(d, new io.ganflow.diffusion.MixtureDenoiser(d.process(), m), m, data, t, n, seed);
    }

    /**
     * E‖σ(s_a − s_b)‖² between two denoisers of one process over n draws of x_t, relative to E‖σ s*‖² of the
     * mixture's exact score, so that every such error compares.
     */
    static double scoreDifference(Denoiser a, Denoiser b, Mixture m, io.ganflow.data.Dataset data, double t, int n,
            long seed) {
        try (Scope s = Scope.open()) {
            Denoiser truth = new io.ganflow.diffusion.MixtureDenoiser(a.process(), m);
            Rng rng = new Rng(seed);
            Tensor x0 = data.sample(n, rng);
            double al = a.process().alpha(t);
            double sg = a.process().sigma(t);
            Tensor xt = Ops.mul(x0, al).add(Ops.mul(rng.normal(Ops.shape(x0)), sg));
            Tensor sa = Ops.noGrad(() -> Ops.mul(a.score(xt, t), sg));
            Tensor sb = Ops.noGrad(() -> Ops.mul(b.score(xt, t), sg));
            Tensor exact = Ops.mul(truth.score(xt, t), sg);
            return Ops.item(Ops.sampleSquaredNorm(sa.sub(sb)).mean()) / Ops.item(Ops.sampleSquaredNorm(exact).mean());
        }
    }
}
