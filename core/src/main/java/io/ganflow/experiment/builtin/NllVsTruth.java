package io.ganflow.experiment.builtin;

import io.ganflow.diffusion.HeldOutLikelihood;
import io.ganflow.diffusion.Likelihood;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.flow.Solver;
import java.util.List;

/** The probability-flow ODE's likelihood of a trained model lies just above the mixture's true entropy. */
final class NllVsTruth implements Experiment {
    static final List<String> PRESETS = List.of("ring8-edm", "grid25-ddpm");
    static final double GAP = 0.25;

    @Override
    public String claim() {
        return "The probability-flow ODE turns a score model into a flow with an exact likelihood. A trained model's"
                + " negative log-likelihood of fresh data lies above the data's entropy (their difference is"
                + " KL(p‖q) ≥ 0) and, for a good model, close to it.";
    }

    @Override
    public String source() {
        return "docs/spec.md L4 (Song et al. 2021, section 4.3 and appendix D.2)";
    }

    @Override
    public String threshold() {
        return "For ring8-edm and grid25-ddpm (means over seeds), on 1,000 fresh points: the model's NLL minus the"
                + " mixture's −log p of the same points is above 0 and at most " + GAP + " nats.";
    }

    @Override
    public String protocol(Scale s) {
        return "The presets " + String.join(" and ", PRESETS) + (s == Scale.QUICK ? " cut to 400 steps" : " as shipped")
                + "; ganflow nll's measurement: the probability-flow ODE from t_min to t_max by Dormand–Prince (atol ="
                + " rtol = 1e-5) with the exact divergence, prior N(0, std² I), on " + (s == Scale.QUICK ? "200" : "1,000")
                + " fresh points; the truth is the mixture's own log-density of the same points.";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 800 : 40000;
    }

    @Override
    public List<Figure> figures() {
        return List.of();
    }

    @Override
    public void run(Context ctx, Trial trial) {
        for (String preset : PRESETS) {
            ctx.status(preset);
            Runs.Done d = ctx.quick()
                    ? Runs.train(ctx, trial, preset, preset, "eval", List.of(), "train.steps", "400",
                            "train.eval_every", "0")
                    : Runs.train(ctx, trial, preset, preset, "eval", List.of(), "train.eval_every", "0");
            HeldOutLikelihood.Report r = HeldOutLikelihood.measure(Scores.denoiser(d.run()), d.run().data(),
                    ctx.quick() ? 200 : 1000, ctx.seed(1), Likelihood.Divergence.EXACT, 0, Solver.DOPRI5,
                    Solver.Options.tolerances(1e-5, 1e-5), 500, done -> { });
            trial.row("preset", preset).put("nll", r.nll()).put("true_entropy", r.truth().orElseThrow())
                    .put("gap", r.gap().orElseThrow()).put("nll_std_error", r.stdError()).put("nfe", r.nfe());
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        Verdict.Builder v = Verdict.builder();
        StringBuilder head = new StringBuilder();
        for (String preset : PRESETS) {
            ResultTable.Condition c = t.get("preset", preset);
            double gap = c.mean("gap");
            v.number(preset + "_gap", gap).number(preset + "_nll", c.mean("nll"));
            v.check(gap > 0, preset + ": NLL above the true entropy");
            v.check(gap <= GAP, preset + ": gap ≤ " + GAP + " nats");
            head.append(head.length() == 0 ? "" : "; ").append(preset).append(": NLL ").append(Toys.num(c.mean("nll")))
                    .append(" nats against the entropy ").append(Toys.num(c.mean("true_entropy"))).append(", gap ")
                    .append(Toys.num(gap));
        }
        return v.build(head.toString());
    }
}
