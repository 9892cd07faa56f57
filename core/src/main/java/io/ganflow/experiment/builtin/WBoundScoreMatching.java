package io.ganflow.experiment.builtin;

import io.ganflow.data.Dataset;
import io.ganflow.data.Mixture;
import io.ganflow.diffusion.Denoiser;
import io.ganflow.diffusion.MixtureDenoiser;
import io.ganflow.diffusion.Process;
import io.ganflow.diffusion.ScoreModel;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.flow.VectorField;
import io.ganflow.metrics.Transport;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import io.ganflow.train.Trainer;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * "W distance ≤ score matching": the exact W2 between a score model's probability-flow samples and the data stays
 * below a bound computed from the model's measured score-matching error, at every stage of training. The bound is
 * derived in docs/diffusion.md ("W2 is bounded by score matching") and evaluated by {@link #measure}.
 */
final class WBoundScoreMatching implements Experiment {
    static final long[] FULL_STEPS = {250, 500, 1000, 2500, 5000, 10000};
    static final long[] QUICK_STEPS = {100, 400};

    @Override
    public String claim() {
        return "W distance ≤ score matching: for a score model sampled through its probability-flow ODE, W2 between"
                + " the model's distribution and the data is at most an integral of the model's score-matching error"
                + " (weighted by g² and by the growth e^Λ the model's flow allows), plus terms for the prior and for"
                + " t_min. In the Cauchy–Schwarz form it is a constant times √J_SM(θ; g²), Song et al.'s likelihood-"
                + "weighted objective: driving the score-matching loss down drives W2 down.";
    }

    @Override
    public String source() {
        return "docs/spec.md L5 (seed 001's reference to \"W distance ≤ score matching\"; Kwon, Fan & Lee 2022,"
                + " theorem 1); the form checked here is derived in docs/diffusion.md";
    }

    @Override
    public String threshold() {
        return "At every checkpoint of training (means over seeds): the exact W2 by optimal transport between the"
                + " model's ODE samples and the data is at most the bound (the Minkowski form, which implies the"
                + " Cauchy–Schwarz one), and so is the W2 of the flows' own coupling, the quantity the derivation bounds"
                + " step by step; and the bound at the last checkpoint is below the bound at the first (it falls as"
                + " training lowers the score-matching loss).";
    }

    @Override
    public String protocol(Scale s) {
        boolean q = s == Scale.QUICK;
        return "ring8 (std 0.02). A score model on the VP SDE (β from 0.1 to 20, t_min = 10⁻³): the preset"
                + " ring8-ddpm's 256 × 3 MLP and optimiser as method score, ε target, simple loss, "
                + (q ? "400 steps" : "10,000 steps") + "; the bound measured after " + join(q ? QUICK_STEPS : FULL_STEPS)
                + " steps. At each checkpoint, on a grid of " + (q ? "40" : "200") + " times geometric in t from"
                + " t_min to 1: the score error ε(t) = E_{p_t}‖s_θ − ∇ log p_t‖² against the mixture's exact score"
                + " (" + (q ? "200" : "2,000") + " draws of x_t), and the model field's Lipschitz constant L(t), the"
                + " largest singular value of its Jacobian over the probe points (both flows' particles and three"
                + " points on each segment between them). Both flows (model and exact) integrated by Heun on the grid"
                + " from one shared draw, " + (q ? "200" : "2,000") + " particles; W2 exact by optimal assignment"
                + " against as many data points (its sampling floor: W2 between two data draws).";
    }

    private static String join(long[] steps) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.length; i++) {
            b.append(i == 0 ? "" : i == steps.length - 1 ? " and " : ", ").append(String.format("%,d", steps[i]));
        }
        return b.toString();
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? QUICK_STEPS[QUICK_STEPS.length - 1] : FULL_STEPS[FULL_STEPS.length - 1];
    }

    @Override
    public List<Figure> figures() {
        return List.of(
                Figure.lines("bound", "W2 to the data and its bound over training", "training step", "W2", true, true),
                Figure.lines("lipschitz", "The model field's Lipschitz constant L(t) over the probes, last checkpoint",
                        "t", "L(t)", true, true),
                Figure.lines("score-error", "Score-matching error E‖s_θ − ∇ log p_t‖² by t", "t", "error", true, true));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        boolean q = ctx.quick();
        long[] at = q ? QUICK_STEPS : FULL_STEPS;
        int n = q ? 200 : 2000;
        int grid = q ? 40 : 200;
        long seed = ctx.seed(1);
        ctx.status("ring8 score model");
        TrainingRun.Builder b = ctx.training("ring8-ddpm").set("train.checkpoint_every", "0", "experiment")
                .set("train.eval_every", "0", "experiment").set("method", "score", "experiment")
                .set("diffusion.process", "vp", "experiment").set("diffusion.beta_min", "0.1", "experiment")
                .set("diffusion.beta_max", "20", "experiment").set("diffusion.target", "eps", "experiment")
                .set("train.steps", Long.toString(at[at.length - 1]), "experiment");
        b.listener(new Listener() {
            private Trainer trainer;

            @Override
            public void onAttach(Trainer t) {
                trainer = t;
            }

            @Override
            public void onStep(long step) {
                if (Arrays.stream(at).noneMatch(s -> s == step)) {
                    return;
                }
                ctx.status("bound after " + step + " steps");
                Denoiser d = ((ScoreModel) trainer.method()).denoiser();
                Bound r = measure(d, trainer.data(), n, grid, seed);
                trial.row("step", Long.toString(step)).put("w2", r.w2()).put("w2_floor", r.floor())
                        .put("coupling", r.coupling()).put("bound", r.bound()).put("bound_cs", r.boundCs())
                        .put("j_sm", r.jsm()).put("growth", r.growth()).put("prior_term", r.priorTerm())
                        .put("t_min_term", r.tMinTerm());
                trial.point("bound", "exact W2 (OT)", step, r.w2());
                trial.point("bound", "W2 of the flows' coupling", step, r.coupling());
                trial.point("bound", "bound (Minkowski)", step, r.bound());
                trial.point("bound", "bound (Cauchy–Schwarz)", step, r.boundCs());
                for (int k = 0; k < r.times().length; k += Math.max(1, r.times().length / 40)) {
                    if (step == at[0] || step == at[at.length - 1]) {
                        trial.point("score-error", "after " + step + " steps", r.times()[k], r.scoreError()[k]);
                    }
                    if (step == at[at.length - 1]) {
                        trial.point("lipschitz", "model field", r.times()[k], r.lipschitz()[k]);
                    }
                }
                ctx.status("ring8 score model");
            }
        });
        Runs.run(b.build());
    }

    /** What {@link #measure} gives. */
    record Bound(double w2, double floor, double coupling, double bound, double boundCs, double jsm, double growth,
            double priorTerm, double tMinTerm, double[] times, double[] scoreError, double[] lipschitz) {}

    /**
     * Measures W2 and its bound for a denoiser of a Gaussian-mixture data set.
     *
     * <p>With the exact field F_t = f x − ½g²∇ log p_t and the model's G_t = f x − ½g² s_θ, both flows run from t_max
     * to t_min: x from x_T = α_T x_0 + σ_T ε (so x_t ~ p_t), y from y_T = ε (the prior). Along the way
     * |d‖x − y‖/dt| ≤ L(t)‖x − y‖ + ½g²‖s_θ(x, t) − ∇ log p_t(x)‖ with L(t) the Lipschitz constant of G_t; Grönwall
     * and Minkowski's inequality in L²(P) give, with Λ(t) = ∫_{t_min}^t L,
     * W2(p_0, q) ≤ e^{Λ(T)} c_T + ∫ ½g² e^{Λ(t)} √ε(t) dt + c_0, and Cauchy–Schwarz
     * W2 ≤ e^{Λ(T)} c_T + (∫ ¼g² e^{2Λ} dt)^{½} J^{½} + c_0 with J = ∫ g² ε(t) dt. c_T = (α_T² E‖x_0‖² +
     * (1 − σ_T)² d)^{½} couples p_T with the prior, c_0 = ((1 − α_{t_min})² E‖x_0‖² + σ_{t_min}² d)^{½} couples the
     * data with p_{t_min}. L(t) is the largest Jacobian singular value over the probe points.
     */
    static Bound measure(Denoiser model, Dataset data, int n, int grid, long seed) {
        Mixture m = data.mixture().orElseThrow(() -> new IllegalStateException("the bound needs a Gaussian mixture"));
        Process p = model.process();
        int dim = m.dim();
        if (dim != 2) {
            throw new IllegalStateException("the Lipschitz constant is computed for 2-D data, got " + dim);
        }
        Denoiser truth = new MixtureDenoiser(p, m);
        double[] t = new double[grid + 1];
        for (int k = 0; k <= grid; k++) {
            t[k] = p.tMin() * Math.pow(p.tMax() / p.tMin(), (double) k / grid);
        }
        double[] err = new double[grid + 1];
        double[] lip = new double[grid + 1];
        double ex2 = m.dim() * m.std() * m.std();
        for (double[] c : m.centers()) {
            for (double v : c) {
                ex2 += v * v / m.modes();
            }
        }
        Rng rng = new Rng(seed);
        double coupling;
        double[][] ys;
        double[][] dataA;
        double[][] dataB;
        try (Scope s = Scope.open()) {
            Tensor x0 = data.sample(n, rng);
            dataA = Ops.toRows(x0);
            dataB = Ops.toRows(data.sample(n, rng));
            Tensor e = rng.normal(Ops.shape(x0));
            Tensor x = Ops.mul(x0, p.alpha(t[grid])).add(Ops.mul(e, p.sigma(t[grid])));
            Tensor y = Ops.mul(e, p.priorStd());
            VectorField fx = truth.probabilityFlow();
            VectorField fy = model.probabilityFlow();
            for (int k = grid; k >= 0; k--) {
                double tk = t[k];
                Tensor xc = x;
                Tensor yc = y;
                try (Scope inner = Scope.open()) {
                    Tensor xt = Ops.mul(x0, p.alpha(tk)).add(Ops.mul(rng.normal(Ops.shape(x0)), p.sigma(tk)));
                    err[k] = Ops.item(Ops.noGrad(() -> Ops.sampleSquaredNorm(model.score(xt, tk)
                            .sub(truth.score(xt, tk).to(xt.scalar_type()))).mean()));
                    lip[k] = lipschitz(fy, probes(xc, yc), tk);
                }
                if (k > 0) {
                    double h = t[k - 1] - tk;
                    x = Scope.isolated(() -> heun(fx, xc, tk, h));
                    y = Scope.isolated(() -> heun(fy, yc, tk, h));
                }
            }
            coupling = Math.sqrt(Ops.item(Ops.sampleSquaredNorm(x.sub(y.to(x.scalar_type()))).mean()));
            ys = Ops.toRows(y);
        }
        double[] growth = new double[grid + 1];
        for (int k = 1; k <= grid; k++) {
            growth[k] = growth[k - 1] + 0.5 * (lip[k] + lip[k - 1]) * (t[k] - t[k - 1]);
        }
        double minkowski = 0;
        double weight = 0;
        double j = 0;
        for (int k = 1; k <= grid; k++) {
            double dt = t[k] - t[k - 1];
            minkowski += 0.5 * dt * (half(p, t[k]) * Math.exp(growth[k]) * Math.sqrt(err[k])
                    + half(p, t[k - 1]) * Math.exp(growth[k - 1]) * Math.sqrt(err[k - 1]));
            weight += 0.5 * dt * (0.25 * p.g2(t[k]) * Math.exp(2 * growth[k])
                    + 0.25 * p.g2(t[k - 1]) * Math.exp(2 * growth[k - 1]));
            j += 0.5 * dt * (p.g2(t[k]) * err[k] + p.g2(t[k - 1]) * err[k - 1]);
        }
        double aT = p.alpha(t[grid]);
        double sT = p.sigma(t[grid]);
        double cT = Math.sqrt(aT * aT * ex2 + (1 - sT / p.priorStd()) * (1 - sT / p.priorStd()) * dim
                * p.priorStd() * p.priorStd());
        double a0 = p.alpha(t[0]);
        double s0 = p.sigma(t[0]);
        double c0 = Math.sqrt((1 - a0) * (1 - a0) * ex2 + s0 * s0 * dim);
        double prior = Math.exp(growth[grid]) * cT;
        return new Bound(Transport.exactW2(ys, dataA), Transport.exactW2(dataA, dataB), coupling,
                prior + minkowski + c0, prior + Math.sqrt(weight * j) + c0, j, Math.exp(growth[grid]), prior, c0, t,
                err, lip);
    }

    /** ½ g(t)². */
    private static double half(Process p, double t) {
        return 0.5 * p.g2(t);
    }

    /** One Heun step of dx/dt = f(x, t) from t by h. */
    private static Tensor heun(VectorField f, Tensor x, double t, double h) {
        return Ops.noGrad(() -> {
            Tensor k1 = f.at(x, t);
            Tensor pred = x.add(Ops.mul(k1, h));
            Tensor k2 = f.at(pred, t + h);
            return x.add(Ops.mul(k1.add(k2), 0.5 * h));
        });
    }

    /** Both flows' particles and the points at ¼, ½ and ¾ of the segments between them. */
    private static Tensor probes(Tensor x, Tensor y) {
        Tensor yx = y.to(x.scalar_type());
        Tensor d = yx.sub(x);
        return Ops.cat(List.of(x, yx, x.add(Ops.mul(d, 0.25)), x.add(Ops.mul(d, 0.5)), x.add(Ops.mul(d, 0.75))), 0);
    }

    /** The largest singular value of the 2 × 2 Jacobian of f(·, t) over the rows of {@code at}. */
    static double lipschitz(VectorField f, Tensor at, double t) {
        return Ops.withGrad(() -> {
            Tensor xs = Ops.requiringGrad(at.to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
            Tensor out = f.at(xs, t);
            Tensor r0 = Ops.grad(out.select(1, 0).sum(), null, List.of(xs), true, false).get(0);
            Tensor r1 = Ops.grad(out.select(1, 1).sum(), null, List.of(xs), false, false).get(0);
            double[] a = Ops.toDoubles(r0.select(1, 0));
            double[] b = Ops.toDoubles(r0.select(1, 1));
            double[] c = Ops.toDoubles(r1.select(1, 0));
            double[] d = Ops.toDoubles(r1.select(1, 1));
            double best = 0;
            for (int i = 0; i < a.length; i++) {
                best = Math.max(best, largestSingularValue(a[i], b[i], c[i], d[i]));
            }
            return best;
        });
    }

    /** The largest singular value of [[a, b], [c, d]]: √((S + √(S² − 4Δ²))/2), S the squared Frobenius norm. */
    static double largestSingularValue(double a, double b, double c, double d) {
        double sq = a * a + b * b + c * c + d * d;
        double det = a * d - b * c;
        return Math.sqrt(0.5 * (sq + Math.sqrt(Math.max(0, sq * sq - 4 * det * det))));
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        long[] at = scale == Scale.QUICK ? QUICK_STEPS : FULL_STEPS;
        Verdict.Builder v = Verdict.builder();
        boolean below = true;
        boolean couplingBelow = true;
        double worst = Double.POSITIVE_INFINITY;
        for (long step : at) {
            ResultTable.Condition c = t.get("step", Long.toString(step));
            below &= c.mean("w2") <= c.mean("bound");
            couplingBelow &= c.mean("coupling") <= c.mean("bound");
            worst = Math.min(worst, c.mean("bound") / c.mean("w2"));
        }
        ResultTable.Condition first = t.get("step", Long.toString(at[0]));
        ResultTable.Condition last = t.get("step", Long.toString(at[at.length - 1]));
        v.number("w2_first", first.mean("w2")).number("w2_last", last.mean("w2"))
                .number("bound_first", first.mean("bound")).number("bound_last", last.mean("bound"))
                .number("bound_cs_last", last.mean("bound_cs")).number("coupling_last", last.mean("coupling"))
                .number("w2_floor", last.mean("w2_floor")).number("growth_last", last.mean("growth"))
                .number("j_sm_last", last.mean("j_sm")).number("tightest_ratio", worst);
        v.check(below, "exact W2 ≤ the bound at every checkpoint");
        v.check(couplingBelow, "the flows' coupling ≤ the bound at every checkpoint");
        v.check(last.mean("bound") < first.mean("bound"), "the bound falls from the first checkpoint to the last");
        return v.build("after " + String.format("%,d", at[0]) + " steps W2 " + Toys.num(first.mean("w2")) + " ≤ bound "
                + Toys.num(first.mean("bound")) + "; after " + String.format("%,d", at[at.length - 1]) + " W2 "
                + Toys.num(last.mean("w2")) + " (floor " + Toys.num(last.mean("w2_floor")) + ", coupling "
                + Toys.num(last.mean("coupling")) + ") ≤ bound " + Toys.num(last.mean("bound")) + " (Cauchy–Schwarz "
                + Toys.num(last.mean("bound_cs")) + ", J_SM " + Toys.num(last.mean("j_sm")) + ", e^Λ "
                + Toys.num(last.mean("growth")) + "); the bound is at least " + Toys.num(worst) + "× W2");
    }
}
