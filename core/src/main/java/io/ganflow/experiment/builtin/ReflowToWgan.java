package io.ganflow.experiment.builtin;

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
import io.ganflow.flow.ParticleGan;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.gan.Objectives;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.optim.OptimizerSpec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The documents' derivation from rectified flow to WGAN (SPEC D3): with v = ∇D the critic's loss is the WGAN
 * loss plus the zero-centred penalty, and the particle update is the WGAN generator update; checked on batches
 * to float64 rounding, then by training both on ring8. ReFlow-GAN (D2) beside WGAN-GP for scale.
 */
final class ReflowToWgan implements Experiment {
    static final String D3 = "D3: v = ∇D, particle step (ring8-gradient-field-approx)";
    static final String WGAN0 = "WGAN + zero-centred penalty λ = 1, same nets";
    static final String D2 = "D2: ReFlow-GAN (ring8-reflow-gan)";
    static final String WGANGP = "WGAN-GP (ring8-wgan-gp)";
    static final int BATCHES = 10;

    @Override
    public String claim() {
        return "Rectified flow with a gradient field v = ∇D gives WGAN: the critic's loss is the WGAN loss plus the"
                + " zero-centred gradient penalty (λ = 1) at the interpolates, and the generator's particle update with"
                + " K = 1 is 2ε times the WGAN generator gradient; so both train to the same result.";
    }

    @Override
    public String source() {
        return "docs/spec.md D3 and D1 (seed 000's ReFlow derivation); docs/flows.md";
    }

    @Override
    public String threshold() {
        return "On " + BATCHES + " random float64 batches and nets: |critic loss difference| ≤ 1e-10 relative and the"
                + " generator gradients equal to 1e-10 of their largest entry. Trained on ring8 (means over seeds): both"
                + " cover 8/8 modes in every seed and their W1 differ by at most a factor 1.5. ReFlow-GAN against WGAN-GP is"
                + " reported beside it, not judged.";
    }

    @Override
    public String protocol(Scale s) {
        return "Identities: 16 × 2 tanh float64 MLPs, batches of 64 (generator) and 32 (critic), as BridgeTest. Training:"
                + " ring8-gradient-field-approx (64 × 2 MLPs, n_critic 1, K = 1, ε = 0.05, Adam 2e-3 linearly decayed, "
                + steps(s) + " steps) against the same preset with method = gan, gan.objective = wasserstein, gp 1 centred"
                + " at 0; then ring8-reflow-gan and ring8-wgan-gp" + (s == Scale.QUICK ? " cut to " + steps(s) + " and "
                + steps(s) / 3 + " steps" : " as shipped") + ".";
    }

    static int steps(Scale s) {
        return s == Scale.QUICK ? 300 : 4000;
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 3L * steps(s) + steps(s) / 3 : 2L * 4000 + 4000 + 6000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("eval-w1", "ring8: exact W1 during training", "step", "W1", false, true),
                Figure.points("samples-d3", "D3, v = ∇D: data and 1,000 samples (first seed)"),
                Figure.points("samples-wgan0", "WGAN + zero-centred penalty: data and 1,000 samples (first seed)"));
    }

    static Mlp net(int in, int out, long seed) {
        return Mlp.builder().in(in).out(out).width(16).depth(2).activation(Activation.TANH).doublePrecision(true)
                .build(new Rng(seed));
    }

    /** Relative critic-loss difference and relative generator-gradient difference on one random batch. */
    static double[] identities(long seed) {
        try (Scope s = Scope.open()) {
            Mlp g = net(3, 2, seed + 1);
            Mlp d = net(2, 1, seed + 2);
            double eps = 0.05;
            ParticleGan pg = new ParticleGan(ParticleGan.Form.GRADIENT_FIELD_APPROX, g, d,
                    OptimizerSpec.adam(1e-3, 0.5, 0.9).create(g.parameters()),
                    OptimizerSpec.adam(1e-3, 0.5, 0.9).create(d.parameters()), 3, 1, 1, eps, UnaryOperator.identity(), 0);
            Rng rng = new Rng(seed + 3);
            Tensor real = Ops.add(rng.normal(32, 2), 1.0).to(torch.ScalarType.Double);
            Tensor fake = rng.normal(32, 2).to(torch.ScalarType.Double);
            Tensor t = rng.uniform(32, 1).to(torch.ScalarType.Double);
            double got = Ops.item(pg.fieldLoss(real, fake, t));
            Tensor xhat = Ops.requiringGrad(fake.add(t.mul(real.sub(fake))));
            double want = Ops.item(Objectives.WASSERSTEIN.criticLoss(d.forward(real), d.forward(fake)))
                    + Ops.item(new GradientPenalty(1.0, 0).penaltyAt(d, xhat));
            double lossErr = Math.abs(got - want) / Math.max(1, Math.abs(want));
            Tensor z = rng.normal(64, 3).to(torch.ScalarType.Double);
            Tensor x = Ops.noGrad(() -> g.forward(z));
            Tensor u = pg.direction(x);
            Tensor target = Ops.noGrad(() -> x.add(Ops.mul(u, eps)));
            List<Tensor> reg = Ops.grad(pg.regressionLoss(z, target), g.tensors(), false);
            List<Tensor> wgan = Ops.grad(Objectives.WASSERSTEIN.generatorLoss(d.forward(g.forward(z))), g.tensors(), false);
            double scale = 0;
            double diff = 0;
            for (int k = 0; k < reg.size(); k++) {
                double[] a = Ops.toDoubles(reg.get(k));
                double[] b = Ops.toDoubles(wgan.get(k));
                for (int i = 0; i < a.length; i++) {
                    scale = Math.max(scale, Math.abs(2 * eps * b[i]));
                    diff = Math.max(diff, Math.abs(a[i] - 2 * eps * b[i]));
                }
            }
            return new double[] {lossErr, diff / scale};
        }
    }

    @Override
    public void run(Context ctx, Trial trial) {
        ctx.status("identities");
        double lossErr = 0;
        double gradErr = 0;
        for (int i = 0; i < BATCHES; i++) {
            double[] e = identities(ctx.seed(i) * 10);
            lossErr = Math.max(lossErr, e[0]);
            gradErr = Math.max(gradErr, e[1]);
        }
        trial.row("check", "identity on " + BATCHES + " batches").put("critic_loss_rel_error", lossErr)
                .put("generator_grad_rel_error", gradErr);
        String steps = Integer.toString(steps(ctx.scale()));
        String[] small = ctx.quick() ? new String[] {"train.steps", steps, "train.eval_every", "0", "train.eval_samples",
            "1000", "train.w1_samples", "500"} : new String[] {"train.eval_every", "1000"};
        ctx.status(D3);
        Runs.Done d3 = Runs.train(ctx, trial, "ring8-gradient-field-approx", "D3 (v = ∇D)", "eval", List.of("w1"), small);
        Runs.modeRow(trial.row("check", D3), d3);
        trial.cloud("samples-d3", "data", Runs.data(d3.run(), 1000, 1));
        trial.cloud("samples-d3", "generated", Runs.samples(d3.run(), 1000, 2));
        ctx.status(WGAN0);
        Runs.Done w0 = Runs.train(ctx, trial, "ring8-gradient-field-approx", "WGAN + GP0 λ = 1", "eval", List.of("w1"),
                ImageRuns.concat(small, "method", "gan", "gan.objective", "wasserstein", "gan.gp.weight", "1",
                        "gan.gp.center", "0"));
        Runs.modeRow(trial.row("check", WGAN0), w0);
        trial.cloud("samples-wgan0", "data", Runs.data(w0.run(), 1000, 1));
        trial.cloud("samples-wgan0", "generated", Runs.samples(w0.run(), 1000, 2));
        ctx.status(D2);
        Runs.Done d2 = Runs.train(ctx, trial, "ring8-reflow-gan", "D2 ReFlow-GAN", "eval", List.of("w1"), small);
        Runs.modeRow(trial.row("check", D2), d2);
        ctx.status(WGANGP);
        // at the quick scale WGAN-GP (128 × 3, n_critic 5) gets a third of the steps: it is the costly arm
        Runs.Done gp = Runs.train(ctx, trial, "ring8-wgan-gp", "WGAN-GP", "eval", List.of("w1"), ctx.quick()
                ? ImageRuns.concat(small, "train.steps", Integer.toString(steps(ctx.scale()) / 3)) : small);
        Runs.modeRow(trial.row("check", WGANGP), gp);
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition id = t.where("check", "identity on " + BATCHES + " batches").get(0);
        ResultTable.Condition d3 = t.get("check", D3);
        ResultTable.Condition w0 = t.get("check", WGAN0);
        ResultTable.Condition d2 = t.get("check", D2);
        ResultTable.Condition gp = t.get("check", WGANGP);
        double le = id.values().get("critic_loss_rel_error").stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double ge = id.values().get("generator_grad_rel_error").stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double a = d3.mean("w1");
        double b = w0.mean("w1");
        Verdict.Builder v = Verdict.builder();
        v.number("critic_loss_rel_error_max", le).number("generator_grad_rel_error_max", ge).number("d3_w1", a)
                .number("wgan0_w1", b).number("d3_modes", d3.mean("modes_covered")).number("wgan0_modes",
                        w0.mean("modes_covered")).number("reflow_gan_w1", d2.mean("w1")).number("reflow_gan_high_quality",
                        d2.mean("high_quality")).number("wgan_gp_w1", gp.mean("w1")).number("wgan_gp_high_quality",
                        gp.mean("high_quality"));
        v.check(le <= 1e-10, "critic loss = WGAN + zero-centred penalty to 1e-10");
        v.check(ge <= 1e-10, "particle update = 2ε × WGAN generator gradient to 1e-10");
        v.check(d3.mean("modes_covered") >= 8 && w0.mean("modes_covered") >= 8, "both cover 8/8 modes in every seed");
        v.check(Math.max(a, b) <= 1.5 * Math.min(a, b), "their W1 differ by at most a factor 1.5");
        return v.build("identities to " + Toys.num(Math.max(le, ge)) + "; trained W1 " + Toys.num(a) + " (D3) vs "
                + Toys.num(b) + " (WGAN + GP0), modes " + Toys.num(d3.mean("modes_covered")) + " vs "
                + Toys.num(w0.mean("modes_covered")) + "; beside it ReFlow-GAN HQ " + Toys.num(d2.mean("high_quality"))
                + ", W1 " + Toys.num(d2.mean("w1")) + " vs WGAN-GP HQ " + Toys.num(gp.mean("high_quality")) + ", W1 "
                + Toys.num(gp.mean("w1")));
    }
}
