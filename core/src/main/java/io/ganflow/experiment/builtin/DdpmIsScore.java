package io.ganflow.experiment.builtin;

import io.ganflow.data.Mixture;
import io.ganflow.diffusion.Denoiser;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/**
 * DDPM is a score model: a trained ε-net read as s = −ε/σ and a trained score net give the same score field as the
 * mixture's exact one.
 */
final class DdpmIsScore implements Experiment {
    static final double[] TIMES = {0.02, 0.05, 0.1, 0.2, 0.5, 1.0};
    static final double LIMIT = 0.15;

    @Override
    public String claim() {
        return "DDPM is a special case of a score model: its noise prediction read as s = −ε/σ is the score. On a"
                + " Gaussian mixture, whose score is closed-form, a trained DDPM ε-net and a trained score net give the"
                + " same score field, both close to the exact one.";
    }

    @Override
    public String source() {
        return "docs/spec.md L2 (seed 003's last section; Ho et al. 2020 eq. 11; Song et al. 2021 section 4.1)";
    }

    @Override
    public String threshold() {
        return "In ε-space (σ times the score, so that every time weighs alike), relative squared error"
                + " E‖σ(s − s*)‖²/E‖σ s*‖² (between the two nets E‖σ(s_a − s_b)‖²/E‖σ s*‖²) averaged over"
                + " t ∈ {0.02, 0.05, 0.1, 0.2, 0.5, 1} (means over seeds): the DDPM ε-net against the exact score"
                + " ≤ 0.15, the score net against it ≤ 0.15, and the two nets against each other ≤ 0.15.";
    }

    @Override
    public String protocol(Scale s) {
        String steps = s == Scale.QUICK ? "400 steps" : "10,000 steps";
        return "ring8. The DDPM net: the preset ring8-ddpm (T = 1000, linear β, 256 × 3 MLP) for " + steps + ", read"
                + " through the VP SDE its schedule discretises (β from 0.1 to 20). The score net: the same net, optimiser"
                + " and steps as method score on that VP SDE, target score (the net outputs ∇ log p_t itself), NCSN's σ²"
                + " weighting. Each error on " + (s == Scale.QUICK ? "500" : "4,000") + " draws of x_t from the data at"
                + " each t, against ring8's exact denoiser.";
    }

    @Override
    public long units(Scale s) {
        return 2L * (s == Scale.QUICK ? 400 : 10000);
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("score-error", "Relative ε-space error of the score against the exact one, by t",
                "t", "relative squared error", true, true));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        String[] steps = ctx.quick() ? new String[] {"train.steps", "400"} : new String[0];
        ctx.status("DDPM ε-net");
        Runs.Done ddpm = Runs.train(ctx, trial, "ring8-ddpm", "ddpm", "eval", List.of(), concat(steps,
                "train.eval_every", "0", "train.seed", Long.toString(ctx.seed(0))));
        ctx.status("score net");
        Runs.Done score = Runs.train(ctx, trial, "ring8-ddpm", "score", "eval", List.of(), concat(steps,
                "train.eval_every", "0", "train.seed", Long.toString(ctx.seed(1)), "method", "score",
                "diffusion.process", "vp", "diffusion.beta_min", "0.1", "diffusion.beta_max", "20",
                "diffusion.target", "score", "diffusion.weighting", "sigma2"));
        Denoiser a = Scores.denoiser(ddpm.run());
        Denoiser b = Scores.denoiser(score.run());
        Mixture m = ddpm.run().data().mixture().orElseThrow();
        int n = ctx.quick() ? 500 : 4000;
        for (double t : TIMES) {
            long seed = ctx.seed(2);
            double ea = Scores.scoreError(a, m, ddpm.run().data(), t, n, seed);
            double eb = Scores.scoreError(b, m, ddpm.run().data(), t, n, seed);
            double ab = Scores.scoreDifference(a, b, m, ddpm.run().data(), t, n, seed);
            String tt = Toys.num(t);
            trial.row("net", "ddpm eps-net", "t", tt).put("rel_error", ea);
            trial.row("net", "score net", "t", tt).put("rel_error", eb);
            trial.row("net", "ddpm vs score", "t", tt).put("rel_error", ab);
            trial.point("score-error", "DDPM ε-net vs exact", t, ea);
            trial.point("score-error", "score net vs exact", t, eb);
            trial.point("score-error", "DDPM vs score net", t, ab);
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        Verdict.Builder v = Verdict.builder();
        StringBuilder head = new StringBuilder("mean relative ε-space error over t:");
        for (String net : List.of("ddpm eps-net", "score net", "ddpm vs score")) {
            double sum = 0;
            for (double time : TIMES) {
                sum += t.get("net", net, "t", Toys.num(time)).mean("rel_error");
            }
            double mean = sum / TIMES.length;
            v.number(net.replace(' ', '_').replace('-', '_') + "_mean_rel_error", mean);
            v.check(mean <= LIMIT, net + ": mean relative error ≤ " + LIMIT);
            head.append(' ').append(net).append(' ').append(Toys.num(mean)).append(';');
        }
        double small = t.get("net", "score net", "t", Toys.num(TIMES[0])).mean("rel_error");
        head.append(" score net at t = 0.02: ").append(Toys.num(small));
        return v.build(head.toString());
    }
}
