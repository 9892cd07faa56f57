package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Module;
import io.ganflow.train.Method;
import io.ganflow.train.StateDict;
import io.ganflow.train.StepContext;
import io.ganflow.train.StepStats;
import io.ganflow.train.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * The GAN family: a generator g(z), z ~ N(0, I), and a critic D trained against each other under an
 * {@link Objective} plus any {@link Regularizer}s. One step is {@code nCritic} critic updates followed by
 * one generator update.
 */
public final class GanMethod implements Method {
    private final Module generator;
    private final Module critic;
    private final int zDim;
    private final Objective objective;
    private final List<Regularizer> regularizers;
    private final int nCritic;
    private final Optimizer optG;
    private final Optimizer optD;

    public GanMethod(Module generator, Module critic, int zDim, Objective objective, List<Regularizer> regularizers,
            int nCritic, Optimizer optG, Optimizer optD) {
        if (nCritic < 1) {
            throw new IllegalArgumentException("nCritic must be >= 1, got " + nCritic);
        }
        this.generator = generator;
        this.critic = critic;
        this.zDim = zDim;
        this.objective = objective;
        this.regularizers = List.copyOf(regularizers);
        this.nCritic = nCritic;
        this.optG = optG;
        this.optD = optD;
    }

    @Override
    public String name() {
        return "gan";
    }

    @Override
    public StepStats step(StepContext ctx) {
        StepStats stats = new StepStats();
        for (int k = 0; k < nCritic; k++) {
            criticStep(ctx, stats, k == nCritic - 1);
        }
        generatorStep(ctx, stats);
        return stats;
    }

    /** One critic update: loss = objective(D(x), D(g(z))) + Σ regularizer terms. */
    private void criticStep(StepContext ctx, StepStats stats, boolean record) {
        Tensor real = ctx.data().sample(ctx.batch(), ctx.rng());
        Tensor fake = Ops.noGrad(() -> generator.forward(noise(ctx.batch(), ctx.rng())));
        Tensor realOut = critic.forward(real);
        Tensor fakeOut = critic.forward(fake);
        Tensor loss = objective.criticLoss(realOut, fakeOut);
        CriticBatch batch = new CriticBatch(critic, real, fake, ctx.rng());
        for (Regularizer r : regularizers) {
            Tensor term = r.criticTerm(batch);
            if (term != null) {
                loss = loss.add(term);
                if (record) {
                    stats.put(r.name(), term);
                }
            }
        }
        optD.step(Ops.grad(loss, critic.tensors(), false));
        for (Regularizer r : regularizers) {
            r.afterCriticStep(critic);
        }
        if (record) {
            stats.put("d_loss", loss);
            stats.put("w_estimate", realOut.mean().sub(fakeOut.mean()));
            if (ctx.diagnostics() && objective.isClassifier()) {
                stats.put("d_accuracy", accuracy(realOut, fakeOut));
            }
        }
    }

    /** One generator update: loss = objective's generator loss on D(g(z)). */
    private void generatorStep(StepContext ctx, StepStats stats) {
        Tensor fakeOut = critic.forward(generator.forward(noise(ctx.batch(), ctx.rng())));
        Tensor loss = objective.generatorLoss(fakeOut);
        List<Tensor> grads = Ops.grad(loss, generator.tensors(), false);
        optG.step(grads);
        stats.put("g_loss", loss);
        if (ctx.diagnostics()) {
            stats.put("g_grad_norm", globalNorm(grads));
        }
    }

    private Tensor noise(int n, Rng rng) {
        return rng.normal(n, zDim);
    }

    /** The fraction of real samples with logit > 0 and generated samples with logit < 0. */
    static Tensor accuracy(Tensor realOut, Tensor fakeOut) {
        Tensor hits = realOut.gt(Ops.s(0)).to(org.bytedeco.pytorch.global.torch.ScalarType.Float).sum()
                .add(fakeOut.lt(Ops.s(0)).to(org.bytedeco.pytorch.global.torch.ScalarType.Float).sum());
        return Ops.mul(hits, 1.0 / (realOut.size(0) + fakeOut.size(0)));
    }

    static Tensor globalNorm(List<Tensor> grads) {
        Tensor sq = null;
        for (Tensor g : grads) {
            Tensor s = g.square().sum();
            sq = sq == null ? s : sq.add(s);
        }
        return sq.sqrt();
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return Ops.noGrad(() -> generator.forward(noise(n, rng)));
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        Map<String, Optimizer> m = new LinkedHashMap<>();
        m.put("g", optG);
        m.put("d", optD);
        return m;
    }

    @Override
    public Optional<UnaryOperator<Tensor>> critic() {
        return Optional.of(x -> Ops.noGrad(() -> critic.forward(x)));
    }

    public Module generator() {
        return generator;
    }

    public Module criticModule() {
        return critic;
    }

    public int zDim() {
        return zDim;
    }

    public Objective objective() {
        return objective;
    }

    public List<Regularizer> regularizers() {
        return regularizers;
    }

    @Override
    public void saveState(StateDict into) {
        into.putModule("g", generator);
        into.putModule("d", critic);
        optG.saveState(into, "opt.g");
        optD.saveState(into, "opt.d");
    }

    @Override
    public void loadState(StateDict from) {
        from.loadModule("g", generator);
        from.loadModule("d", critic);
        optG.loadState(from, "opt.g");
        optD.loadState(from, "opt.d");
    }
}
