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

/**
 * K generator steps per critic update, two ways: regression onto particles moved one step ε along ∇D (D1),
 * against K steps of −E D(G(z)) (MonoFlow's h = identity) against the same frozen critic.
 */
final class ParticleSteps implements Experiment {
    static final String PARTICLE = "particle regression";
    static final String MINUS_D = "steps of -D";

    @Override
    public String claim() {
        return "With K > 1 generator steps per critic update, regressing the generator onto particles moved one step of"
                + " ε along ∇D stays stable (the generator moves by about ε·∇D whatever K), while K steps of −E D(G(z))"
                + " against the same frozen critic overshoot.";
    }

    @Override
    public String source() {
        return "docs/spec.md D1 (MonoFlow, Yi et al. 2023; seed 001); docs/flows.md";
    }

    @Override
    public String threshold() {
        return "Means over seeds on ring8, at the largest K: particle regression covers 8/8 modes in every seed with W1"
                + " ≤ 1.5 × its own W1 at K = 1 (+ 0.02); steps of −D reach W1 ≥ 2 × particle regression's at that K, or"
                + " cover fewer than 8 modes.";
    }

    @Override
    public String protocol(Scale s) {
        return "ring8, 64 × 2 MLPs, a logistic critic (A1) with R1 0.1, n_critic 1, Adam 2e-3 linearly decayed, batch 256, "
                + steps(s) + " iterations, K ∈ " + ks(s) + ". Particle regression: the preset ring8-particle with"
                + " particle.k = K (ε = 0.05). Steps of −D: the preset ring8-monoflow-logit (generator loss −E D(G(z)))"
                + " with gan.n_gen = K generator updates per iteration, each on a fresh batch.";
    }

    static int steps(Scale s) {
        return s == Scale.QUICK ? 400 : 4000;
    }

    static List<Integer> ks(Scale s) {
        return s == Scale.QUICK ? List.of(1, 10) : List.of(1, 5, 20);
    }

    @Override
    public long units(Scale s) {
        return 2L * steps(s) * ks(s).size();
    }

    @Override
    public List<Figure> figures() {
        List<Figure> f = new ArrayList<>();
        f.add(Figure.lines("w1-by-k", "ring8: final exact W1 against K", "K (generator steps per critic update)", "W1",
                true, true));
        f.add(Figure.lines("eval-w1", "ring8: exact W1 during training", "step", "W1", false, true));
        f.add(Figure.points("samples-particle", "Particle regression, largest K: data and 1,000 samples (first seed)"));
        f.add(Figure.points("samples-minus-d", "Steps of −D, largest K: data and 1,000 samples (first seed)"));
        return f;
    }

    @Override
    public void run(Context ctx, Trial trial) {
        List<Integer> ks = ks(ctx.scale());
        for (int k : ks) {
            for (String arm : List.of(PARTICLE, MINUS_D)) {
                ctx.status(arm + ", K = " + k);
                String preset = arm.equals(PARTICLE) ? "ring8-particle" : "ring8-monoflow-logit";
                String key = arm.equals(PARTICLE) ? "particle.k" : "gan.n_gen";
                Runs.Done d = ctx.quick()
                        ? Runs.train(ctx, trial, preset, arm + ", K = " + k, "eval", List.of("w1"), key, Integer.toString(k),
                                "train.steps", Integer.toString(steps(ctx.scale())), "train.eval_every", "0",
                                "train.eval_samples", "1000", "train.w1_samples", "500")
                        : Runs.train(ctx, trial, preset, arm + ", K = " + k, "eval", List.of("w1"), key, Integer.toString(k),
                                "train.eval_every", "500");
                Runs.modeRow(trial.row("method", arm, "K", Integer.toString(k)), d);
                trial.point("w1-by-k", arm, k, d.get("w1"));
                if (k == ks.get(ks.size() - 1)) {
                    String fig = arm.equals(PARTICLE) ? "samples-particle" : "samples-minus-d";
                    trial.cloud(fig, "data", Runs.data(d.run(), 1000, 1));
                    trial.cloud(fig, "generated", Runs.samples(d.run(), 1000, 2));
                }
            }
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        List<Integer> ks = ks(scale);
        String kMax = Integer.toString(ks.get(ks.size() - 1));
        ResultTable.Condition p1 = t.get("method", PARTICLE, "K", "1");
        ResultTable.Condition pk = t.get("method", PARTICLE, "K", kMax);
        ResultTable.Condition dk = t.get("method", MINUS_D, "K", kMax);
        Verdict.Builder v = Verdict.builder();
        double w1p1 = p1.mean("w1");
        double w1pk = pk.mean("w1");
        double w1dk = dk.mean("w1");
        v.number("particle_w1_k1", w1p1).number("particle_w1_kmax", w1pk).number("particle_modes_kmax",
                pk.mean("modes_covered")).number("minus_d_w1_kmax", w1dk).number("minus_d_modes_kmax",
                dk.mean("modes_covered")).number("k_max", Integer.parseInt(kMax));
        v.check(pk.mean("modes_covered") >= 8, "particle regression at K = " + kMax + ": 8/8 modes in every seed");
        v.check(w1pk <= 1.5 * w1p1 + 0.02, "particle regression at K = " + kMax + ": W1 ≤ 1.5 × W1 at K = 1 + 0.02");
        v.check(w1dk >= 2 * w1pk || dk.mean("modes_covered") < 8, "steps of −D at K = " + kMax
                + ": W1 ≥ 2 × particle regression's, or fewer than 8 modes");
        return v.build("K = " + kMax + ": particle regression " + Toys.num(pk.mean("modes_covered")) + "/8 modes, W1 "
                + Toys.num(w1pk) + " (K = 1: " + Toys.num(w1p1) + "); steps of −D " + Toys.num(dk.mean("modes_covered"))
                + "/8, W1 " + Toys.num(w1dk));
    }
}
