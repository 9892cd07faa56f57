package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/** The zero-centred gradient penalty of the ReFlow derivation against WGAN-GP's one-centred one, on grid25. */
final class Gp0VsGp1 implements Experiment {
    record Arm(String label, String preset) {}

    static final List<Arm> ARMS = List.of(new Arm("gp1 (WGAN-GP)", "grid25-wgan-gp"),
            new Arm("gp0 (zero-centred)", "grid25-wgan-gp0"));

    @Override
    public String claim() {
        return "The zero-centred penalty (λ/2)·E‖∇f(x̂)‖², which the documents derive from rectified flow with v = ∇D,"
                + " trains a WGAN as well as WGAN-GP's one-centred λ·E(‖∇f(x̂)‖ − 1)², with the same nets and budget.";
    }

    @Override
    public String source() {
        return "docs/spec.md A5, A6 and D3 (seed 000's ReFlow derivation); docs/objectives.md";
    }

    @Override
    public String threshold() {
        return "Means over seeds on grid25: modes(gp0) ≥ modes(gp1) − 1, high quality(gp0) ≥ high quality(gp1) − 0.05,"
                + " and W1(gp0) ≤ 1.25 · W1(gp1). (The Fashion-MNIST half is its own experiment, gp0-vs-gp1-fmnist.)";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "grid25-wgan-gp and grid25-wgan-gp0 with 64 × 2 nets for 300 steps, evaluated once"
                + " (1,000 samples, W1 on 500 points)."
                : "The presets grid25-wgan-gp (center 1) and grid25-wgan-gp0 (center 0) as shipped: 128 × 3 MLPs,"
                + " λ = 0.1, n_critic 5, Adam 1e-3 linearly decayed, 10,000 steps, batch 256; evaluated every 2,000"
                + " steps (2,500 samples, exact W1 on 2,000 points).";
    }

    @Override
    public int defaultSeeds(Scale scale) {
        return scale == Scale.QUICK ? 1 : 2;
    }

    @Override
    public long units(Scale s) {
        return (s == Scale.QUICK ? 300L : 10_000L) * ARMS.size();
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("eval-w1", "grid25: exact W1 during training", "step", "W1", false, true),
                Figure.lines("eval-modes_covered", "grid25: modes covered during training", "step", "modes", false, false),
                Figure.points("samples-gp1", "grid25, one-centred penalty: data and 2,000 samples (first seed)"),
                Figure.points("samples-gp0", "grid25, zero-centred penalty: data and 2,000 samples (first seed)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        for (Arm a : ARMS) {
            ctx.status(a.label());
            Runs.Done d = ctx.quick()
                    ? Runs.train(ctx, trial, a.preset(), a.label(), "eval", List.of("w1", "modes_covered"),
                            "train.steps", "300", "model.g.width", "64", "model.d.width", "64", "model.g.depth", "2",
                            "model.d.depth", "2", "train.eval_every", "0", "train.eval_samples", "1000",
                            "train.w1_samples", "500")
                    : Runs.train(ctx, trial, a.preset(), a.label(), "eval", List.of("w1", "modes_covered"));
            Runs.modeRow(trial.row("penalty", a.label()), d);
            String fig = a.preset().endsWith("gp0") ? "samples-gp0" : "samples-gp1";
            trial.cloud(fig, "data", Runs.data(d.run(), 2000, 1));
            trial.cloud(fig, "generated", Runs.samples(d.run(), 2000, 2));
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition one = t.get("penalty", ARMS.get(0).label());
        ResultTable.Condition zero = t.get("penalty", ARMS.get(1).label());
        Verdict.Builder v = Verdict.builder();
        double m1 = one.mean("modes_covered");
        double m0 = zero.mean("modes_covered");
        double h1 = one.mean("high_quality");
        double h0 = zero.mean("high_quality");
        double w1 = one.mean("w1");
        double w0 = zero.mean("w1");
        v.number("gp1_modes", m1).number("gp0_modes", m0).number("gp1_high_quality", h1).number("gp0_high_quality", h0)
                .number("gp1_w1", w1).number("gp0_w1", w0);
        v.check(m0 >= m1 - 1, "modes(gp0) ≥ modes(gp1) − 1");
        v.check(h0 >= h1 - 0.05, "high quality(gp0) ≥ high quality(gp1) − 0.05");
        v.check(w0 <= 1.25 * w1, "W1(gp0) ≤ 1.25 W1(gp1)");
        return v.build("gp0: " + Toys.num(m0) + "/25 modes, HQ " + Toys.num(h0) + ", W1 " + Toys.num(w0) + "; gp1: "
                + Toys.num(m1) + "/25, HQ " + Toys.num(h1) + ", W1 " + Toys.num(w1));
    }
}
