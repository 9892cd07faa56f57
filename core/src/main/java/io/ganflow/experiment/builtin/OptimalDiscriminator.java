package io.ganflow.experiment.builtin;

import io.ganflow.data.Sampler;
import io.ganflow.engine.Rng;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.gan.CriticFit;
import io.ganflow.gan.Objectives;
import io.ganflow.metrics.exact.Divergences1D;
import io.ganflow.metrics.exact.Normal;
import io.ganflow.nn.Mlp;
import java.util.List;

/** The trained discriminator against D* = p/(p+q), and its converged objective against 2·JS − 2 ln 2. */
final class OptimalDiscriminator implements Experiment {
    record Pair(String name, Normal p, Normal q) {}

    static final List<Pair> PAIRS = List.of(new Pair("N(0,1) vs N(1,1.5)", new Normal(0, 1), new Normal(1, 1.5)),
            new Pair("N(0,1) vs N(2,1)", new Normal(0, 1), new Normal(2, 1)),
            new Pair("N(0,1) vs N(0,2)", new Normal(0, 1), new Normal(0, 2)));
    static final double REGION = 0.1;

    @Override
    public String claim() {
        return "For a fixed generator the optimal discriminator is D*(x) = p(x) / (p(x) + q(x)), and at D* the"
                + " discriminator's objective E_p log D + E_q log(1 − D) equals 2·JS(p‖q) − 2 log 2.";
    }

    @Override
    public String source() {
        return "docs/spec.md A3 (Goodfellow et al. 2014, Proposition 1 and Theorem 1)";
    }

    @Override
    public String threshold() {
        return "For every pair (mean over seeds): max |σ(D(x)) − D*(x)| ≤ 0.05 on a grid of x where p(x) + q(x) ≥ " + REGION
                + ", and |objective − (2·JS − 2 ln 2)| ≤ 0.01 nats, JS by quadrature.";
    }

    @Override
    public String protocol(Scale s) {
        return "Pairs " + String.join("; ", PAIRS.stream().map(Pair::name).toList()) + ". A 2 × 64 tanh MLP trained as the A1"
                + " classifier for " + steps(s) + " Adam steps (lr 2e-3, betas 0.5, 0.9, batch 512 a side); σ(D) compared"
                + " with p/(p+q) on 141 points of [−4, 5]; the objective on " + evalN(s) + " fresh samples a side.";
    }

    static int steps(Scale s) {
        return s == Scale.QUICK ? 600 : 3000;
    }

    static int evalN(Scale s) {
        return s == Scale.QUICK ? 50_000 : 400_000;
    }

    @Override
    public long units(Scale s) {
        return (long) steps(s) * PAIRS.size();
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("discriminator", "Trained σ(D) against D* = p/(p+q)", "x", "D(x)", false, false));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        int part = 0;
        for (Pair pr : PAIRS) {
            ctx.status(pr.name());
            Sampler p = Sampler.normal(pr.p().mu(), pr.p().sigma());
            Sampler q = Sampler.normal(pr.q().mu(), pr.q().sigma());
            long seed = ctx.seed(part++) * 10;
            Mlp d = Toys.critic(1, seed);
            Toys.fit(ctx, d, Objectives.MINIMAX, List.of(), p, q, steps(ctx.scale()), 2e-3, seed + 1);
            double[] xs = new double[141];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = -4 + 9.0 * i / (xs.length - 1);
            }
            double[] logits = Toys.outputs(d, xs);
            double worst = 0;
            double worstLogit = 0;
            for (int i = 0; i < xs.length; i++) {
                double pp = pr.p().pdf(xs[i]);
                double qq = pr.q().pdf(xs[i]);
                double star = pp / (pp + qq);
                double got = 1 / (1 + Math.exp(-logits[i]));
                if (pp + qq >= REGION) {
                    worst = Math.max(worst, Math.abs(got - star));
                    worstLogit = Math.max(worstLogit, Math.abs(logits[i] - (pr.p().logPdf(xs[i]) - pr.q().logPdf(xs[i]))));
                }
                trial.point("discriminator", pr.name() + ": D*", xs[i], star);
                trial.point("discriminator", pr.name() + ": trained", xs[i], got);
            }
            double objective = -CriticFit.loss(d, Objectives.MINIMAX, p, q, evalN(ctx.scale()), new Rng(seed + 2));
            double js = Divergences1D.js(pr.p(), pr.q());
            trial.row("pair", pr.name()).put("max_abs_d_minus_dstar", worst).put("max_abs_logit_minus_log_ratio", worstLogit)
                    .put("objective", objective).put("two_js_minus_2ln2", 2 * js - 2 * Toys.LN2)
                    .put("objective_error", objective - (2 * js - 2 * Toys.LN2)).put("js_exact", js)
                    .put("js_estimate", (objective + 2 * Toys.LN2) / 2);
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        Verdict.Builder v = Verdict.builder();
        double worstD = 0;
        double worstObj = 0;
        for (ResultTable.Condition c : t.conditions()) {
            worstD = Math.max(worstD, c.mean("max_abs_d_minus_dstar"));
            worstObj = Math.max(worstObj, Math.abs(c.mean("objective_error")));
        }
        v.number("max_abs_d_minus_dstar", worstD).number("max_abs_objective_error", worstObj);
        v.check(worstD <= 0.05, "max |σ(D) − D*| ≤ 0.05 where p + q ≥ " + REGION);
        v.check(worstObj <= 0.01, "|objective − (2 JS − 2 ln 2)| ≤ 0.01");
        return v.build("max |σ(D) − D*| " + Toys.num(worstD) + " over " + t.conditions().size() + " pairs; objective within "
                + Toys.num(worstObj) + " nats of 2·JS − 2 ln 2");
    }
}
