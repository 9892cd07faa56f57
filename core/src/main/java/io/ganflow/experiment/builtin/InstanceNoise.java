package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/**
 * The saturating GAN with a discriminator trained near optimality between nearly disjoint supports (the ring's
 * modes have std 0.02), with and without instance noise.
 */
final class InstanceNoise implements Experiment {
    static final String PLAIN = "no noise";
    static final String NOISE = "instance noise σ 0.5, annealed";

    @Override
    public String claim() {
        return "Instance noise rescues training when the supports are (nearly) disjoint: blurring both distributions"
                + " with the same noise makes them overlap, so the discriminator cannot become perfect and the generator"
                + " keeps a gradient.";
    }

    @Override
    public String source() {
        return "docs/objectives.md, training tricks (Sønderby et al. 2017; Arjovsky and Bottou 2017 section 3)";
    }

    @Override
    public String threshold() {
        return "Means over seeds: with instance noise, W1 ≤ 1/2 of W1 without it, and at least as many modes covered.";
    }

    @Override
    public String protocol(Scale s) {
        return "ring8-gan (saturating minimax loss, 128 × 3 MLPs, Adam 2e-4) with gan.n_critic = 5, so the discriminator"
                + " is trained close to optimal against supports of std 0.02, for " + steps(s) + " steps; once plain, once"
                + " with gan.instance_noise.std = 0.5 annealed linearly to 0 (schedule linear).";
    }

    static int steps(Scale s) {
        return s == Scale.QUICK ? 150 : 4000;
    }

    @Override
    public long units(Scale s) {
        return 2L * steps(s);
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("eval-w1", "ring8, saturating loss, n_critic 5: exact W1 during training", "step", "W1",
                false, true), Figure.points("samples-plain", "Without instance noise (first seed)"),
                Figure.points("samples-noise", "With instance noise (first seed)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        for (String arm : List.of(PLAIN, NOISE)) {
            ctx.status(arm);
            String std = arm.equals(PLAIN) ? "0" : "0.5";
            Runs.Done d = ctx.quick()
                    ? Runs.train(ctx, trial, "ring8-gan", arm, "eval", List.of("w1"), "gan.n_critic", "5",
                            "gan.instance_noise.std", std, "gan.instance_noise.schedule", "linear", "train.steps",
                            Integer.toString(steps(ctx.scale())), "train.eval_every", "0", "train.eval_samples", "1000",
                            "train.w1_samples", "500")
                    : Runs.train(ctx, trial, "ring8-gan", arm, "eval", List.of("w1"), "gan.n_critic", "5",
                            "gan.instance_noise.std", std, "gan.instance_noise.schedule", "linear", "train.steps",
                            Integer.toString(steps(ctx.scale())), "train.eval_every", "500");
            Runs.modeRow(trial.row("critic inputs", arm), d);
            String fig = arm.equals(PLAIN) ? "samples-plain" : "samples-noise";
            trial.cloud(fig, "data", Runs.data(d.run(), 1000, 1));
            trial.cloud(fig, "generated", Runs.samples(d.run(), 1000, 2));
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition p = t.get("critic inputs", PLAIN);
        ResultTable.Condition n = t.get("critic inputs", NOISE);
        Verdict.Builder v = Verdict.builder();
        v.number("plain_w1", p.mean("w1")).number("noise_w1", n.mean("w1")).number("plain_modes", p.mean("modes_covered"))
                .number("noise_modes", n.mean("modes_covered"));
        v.check(n.mean("w1") <= p.mean("w1") / 2, "W1 with noise ≤ 1/2 of W1 without");
        v.check(n.mean("modes_covered") >= p.mean("modes_covered"), "at least as many modes with noise");
        return v.build("without noise " + Toys.num(p.mean("modes_covered")) + "/8 modes, W1 " + Toys.num(p.mean("w1"))
                + "; with noise " + Toys.num(n.mean("modes_covered")) + "/8, W1 " + Toys.num(n.mean("w1")));
    }
}
