package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Every h of the MonoFlow family trains the ring of 8 Gaussians with the same critic and nets. */
final class MonoflowH implements Experiment {
    static final List<String> HS = List.of("logit", "logsig", "softplus", "arcsinh", "exp");

    @Override
    public String claim() {
        return "Any increasing h gives a valid generator loss −E h(D(G(z))) when D is trained as the A1 classifier"
                + " (D → log p/q): the generator's particles follow ∇ log p/q scaled by h′ > 0, so every h of the family"
                + " converges to the data.";
    }

    @Override
    public String source() {
        return "docs/spec.md A7 (MonoFlow, Yi et al. 2023; seed 001); docs/objectives.md";
    }

    @Override
    public String threshold() {
        return "For every h (means over seeds): 8/8 modes in every seed, high-quality fraction ≥ 0.5, exact W1 ≤ 0.2.";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "The presets ring8-monoflow-{" + String.join(",", HS) + "} cut to 400 steps, evaluated"
                + " once (1,000 samples, W1 on 500 points)."
                : "The presets ring8-monoflow-{" + String.join(",", HS) + "} as shipped: 64 × 2 MLPs, R1 0.1, n_critic 1,"
                + " Adam 2e-3 linearly decayed, 4,000 steps, batch 256; evaluated every 1,000 steps (2,500 samples,"
                + " exact W1 on 2,000 points).";
    }

    @Override
    public long units(Scale s) {
        return (s == Scale.QUICK ? 400L : 4000L) * HS.size();
    }

    @Override
    public List<Figure> figures() {
        List<Figure> f = new ArrayList<>();
        f.add(Figure.lines("eval-w1", "Exact W1 during training, by h", "step", "W1", false, true));
        f.add(Figure.lines("eval-high_quality_fraction", "High-quality fraction during training, by h", "step", "fraction",
                false, false));
        for (String h : HS) {
            f.add(Figure.points("samples-" + h, "ring8, h = " + h + ": data and 1,000 generated samples (first seed)"));
        }
        return f;
    }

    @Override
    public void run(Context ctx, Trial trial) {
        for (String h : HS) {
            ctx.status("h = " + h);
            Runs.Done d = ctx.quick()
                    ? Runs.train(ctx, trial, "ring8-monoflow-" + h, h, "eval", List.of("w1", "high_quality_fraction"),
                            "train.steps", "400", "train.eval_every", "0", "train.eval_samples", "1000",
                            "train.w1_samples", "500")
                    : Runs.train(ctx, trial, "ring8-monoflow-" + h, h, "eval", List.of("w1", "high_quality_fraction"),
                            "train.eval_every", "1000");
            Runs.modeRow(trial.row("h", h), d);
            trial.cloud("samples-" + h, "data", Runs.data(d.run(), 1000, 1));
            trial.cloud("samples-" + h, "generated", Runs.samples(d.run(), 1000, 2));
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        Verdict.Builder v = Verdict.builder();
        List<String> parts = new ArrayList<>();
        for (String h : HS) {
            ResultTable.Condition c = t.get("h", h);
            double modes = c.mean("modes_covered");
            double hq = c.mean("high_quality");
            double w1 = c.mean("w1");
            v.number(h + "_modes", modes).number(h + "_high_quality", hq).number(h + "_w1", w1);
            v.check(modes >= 8, h + ": 8/8 modes in every seed");
            v.check(hq >= 0.5, h + ": high quality ≥ 0.5");
            v.check(w1 <= 0.2, h + ": W1 ≤ 0.2");
            parts.add(h + " " + Toys.num(modes) + "/8, HQ " + Toys.num(hq) + ", W1 " + Toys.num(w1));
        }
        return v.build(String.join("; ", parts));
    }
}
