package io.ganflow.experiment.builtin;

import io.ganflow.data.Sampler;
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
import io.ganflow.gan.CriticFit;
import io.ganflow.gan.GanMethod;
import io.ganflow.gan.Objectives;
import io.ganflow.nn.Module;
import io.ganflow.run.TrainingRun;
import io.ganflow.optim.Optimizer;
import io.ganflow.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Arjovsky and Bottou's experiment (2017, figure 2) on the ring of 8 Gaussians: freeze a generator, train a
 * fresh discriminator towards optimality, and follow the generator's gradient norm under the saturating loss
 * E log(1 − D(G(z))) and the non-saturating −E log D(G(z)).
 */
final class VanishingGradient implements Experiment {
    static final String PRESET = "ring8-nsgan";
    static final int EVAL_N = 4096;
    static final double NEAR_PERFECT = 0.99;

    @Override
    public String claim() {
        return "As the discriminator is trained closer to optimal against a fixed generator, the generator's gradient"
                + " under the saturating loss E log(1 − D(G(z))) vanishes, while the non-saturating loss −E log D(G(z))"
                + " keeps a usable gradient.";
    }

    @Override
    public String source() {
        return "docs/spec.md A1-A2 (Goodfellow et al. 2014 section 3; Arjovsky and Bottou 2017 section 2.2, figure 2)";
    }

    @Override
    public String threshold() {
        return "For every generator against which the fully trained discriminator is near-perfect (accuracy ≥ "
                + NEAR_PERFECT + " on " + EVAL_N + " real and " + EVAL_N + " generated points), means over seeds: the"
                + " saturating gradient norm at the end is at most 1/100 of the non-saturating one, and that ratio has"
                + " fallen at least 100-fold from its value against the untrained discriminator (about 1); at least two"
                + " generators (one in --quick) reach that accuracy. (Revised after the first full run: see"
                + " docs/experiments.md.)";
    }

    @Override
    public String protocol(Scale s) {
        return "Generators of " + PRESET + " (128 × 3 MLPs) after " + gSteps(s) + " training steps, frozen; for each, a"
                + " fresh discriminator of the preset's architecture trained alone with Adam (lr 1e-3, betas 0.5, 0.999,"
                + " batch 256) and measured after " + dSteps(s) + " updates: accuracy, mean logit on generated points, and"
                + " the global norm of the gradient of each generator loss over the generator's parameters, on "
                + EVAL_N + " fixed latents.";
    }

    static List<Integer> gSteps(Scale s) {
        return s == Scale.QUICK ? List.of(0, 100) : List.of(0, 100, 500, 2000);
    }

    static List<Integer> dSteps(Scale s) {
        return s == Scale.QUICK ? List.of(0, 10, 100, 1000) : List.of(0, 10, 30, 100, 300, 1000, 3000);
    }

    @Override
    public long units(Scale s) {
        long g = gSteps(s).stream().mapToLong(Integer::longValue).sum();
        return g + (long) gSteps(s).size() * dSteps(s).get(dSteps(s).size() - 1);
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("gradient-norms", "Generator gradient norm as D trains (ring8)", "discriminator updates",
                "‖∇θ loss‖", true, true), Figure.lines("ratio", "Saturating / non-saturating gradient norm",
                "discriminator updates", "ratio", true, true));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        int part = 0;
        for (int gs : gSteps(ctx.scale())) {
            ctx.status("generator after " + gs + " steps");
            TrainingRun gen = ctx.training(PRESET).set("train.steps", Integer.toString(Math.max(gs, 1)))
                    .evaluation(false).build();
            if (gs > 0) {
                gen.train();
            }
            GanMethod gm = (GanMethod) gen.method();
            // a fresh discriminator of the preset's architecture, initialised from another seed
            TrainingRun other = io.ganflow.run.TrainingRun.builder().preset(PRESET)
                    .set("train.seed", Long.toString(ctx.seed(100 + part++))).evaluation(false).build();
            Module d = ((GanMethod) other.method()).criticModule();
            Module g = gm.generator();
            int z = gm.zDim();
            Sampler real = gen.data();
            Sampler fake = (n, rng) -> Ops.noGrad(() -> g.forward(rng.normal(n, z)));
            Optimizer opt = OptimizerSpec.adam(1e-3, 0.5, 0.999).create(d.parameters());
            Rng rng = new Rng(ctx.seed(200 + part));
            int done = 0;
            String label = "G after " + gs + " steps";
            for (int target : dSteps(ctx.scale())) {
                while (done < target) {
                    int n = Math.min(Toys.CHUNK, target - done);
                    CriticFit.fit(d, Objectives.MINIMAX, List.of(), opt, real, fake, n, 256, rng);
                    ctx.advance(n);
                    done += n;
                }
                double[] m = measure(g, d, z, real, ctx.seed(300 + part));
                trial.row("generator_steps", Integer.toString(gs), "d_steps", Integer.toString(target))
                        .put("d_accuracy", m[0]).put("mean_fake_logit", m[1]).put("grad_norm_saturating", m[2])
                        .put("grad_norm_nonsaturating", m[3]).put("ratio", m[2] / m[3]);
                trial.point("gradient-norms", label + ", saturating", target, m[2])
                        .point("gradient-norms", label + ", non-saturating", target, m[3]);
                trial.point("ratio", label, target, m[2] / m[3]);
            }
        }
    }

    /** Accuracy, mean generated logit, saturating and non-saturating gradient norms, on fixed draws. */
    static double[] measure(Module g, Module d, int zDim, Sampler real, long seed) {
        try (Scope s = Scope.open()) {
            Rng rng = new Rng(seed);
            Tensor z = rng.normal(EVAL_N, zDim);
            Tensor x = real.sample(EVAL_N, rng);
            double[] out = new double[4];
            Ops.noGrad(() -> {
                Tensor fl = d.forward(g.forward(z));
                Tensor rl = d.forward(x);
                double hits = Ops.item(rl.gt(Ops.s(0)).to(org.bytedeco.pytorch.global.torch.ScalarType.Float).sum())
                        + Ops.item(fl.lt(Ops.s(0)).to(org.bytedeco.pytorch.global.torch.ScalarType.Float).sum());
                out[0] = hits / (2.0 * EVAL_N);
                out[1] = Ops.item(fl.mean());
            });
            out[2] = norm(Ops.grad(Objectives.MINIMAX.generatorLoss(d.forward(g.forward(z))), g.tensors(), false));
            out[3] = norm(Ops.grad(Objectives.NON_SATURATING.generatorLoss(d.forward(g.forward(z))), g.tensors(), false));
            return out;
        }
    }

    static double norm(List<Tensor> grads) {
        double s = 0;
        for (Tensor t : grads) {
            s += Ops.item(t.square().sum());
        }
        return Math.sqrt(s);
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        Verdict.Builder v = Verdict.builder();
        List<Integer> ds = dSteps(scale);
        String last = Integer.toString(ds.get(ds.size() - 1));
        int nearPerfect = 0;
        List<String> parts = new ArrayList<>();
        for (int gs : gSteps(scale)) {
            String g = Integer.toString(gs);
            List<ResultTable.Condition> end = t.where("generator_steps", g, "d_steps", last);
            List<ResultTable.Condition> start = t.where("generator_steps", g, "d_steps", "0");
            if (end.isEmpty() || start.isEmpty()) {
                continue;
            }
            double peak = t.where("generator_steps", g).stream().mapToDouble(c -> c.mean("grad_norm_saturating")).max()
                    .orElse(Double.NaN);
            double acc = end.get(0).mean("d_accuracy");
            double ratio = end.get(0).mean("ratio");
            double fall = ratio / start.get(0).mean("ratio");
            v.number("g" + g + "_final_d_accuracy", acc).number("g" + g + "_final_ratio", ratio)
                    .number("g" + g + "_ratio_end_over_start", fall)
                    .number("g" + g + "_saturating_end_over_peak", end.get(0).mean("grad_norm_saturating") / peak);
            if (acc >= NEAR_PERFECT) {
                nearPerfect++;
                v.check(ratio <= 0.01, "G after " + g + " steps: saturating/non-saturating ≤ 1/100 (" + Toys.num(ratio) + ")");
                v.check(fall <= 0.01, "G after " + g + " steps: the ratio fell ≥ 100-fold (" + Toys.num(fall) + ")");
            }
            parts.add("G" + g + ": acc " + String.format(java.util.Locale.ROOT, "%.3f", acc) + ", ratio " + Toys.num(ratio));
        }
        int need = scale == Scale.QUICK ? 1 : 2;
        v.number("near_perfect_generators", nearPerfect);
        v.check(nearPerfect >= need, "at least " + need + " generators face a near-perfect discriminator");
        return v.build("after " + last + " D updates, saturating/non-saturating gradient norm: " + String.join("; ", parts));
    }
}
