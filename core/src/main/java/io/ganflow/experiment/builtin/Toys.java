package io.ganflow.experiment.builtin;

import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.experiment.Context;
import io.ganflow.gan.CriticFit;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.gan.Objective;
import io.ganflow.gan.Objectives;
import io.ganflow.gan.Regularizer;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.optim.Optimizer;
import io.ganflow.optim.OptimizerSpec;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** Critics fitted between fixed distributions, for the toy experiments; the bar advances per update. */
final class Toys {
    static final double LN2 = Math.log(2);
    /** Critic updates per progress report. */
    static final int CHUNK = 50;

    private Toys() {}

    /** The critic of the theory experiments: an MLP of 2 × 64 tanh units. */
    static Mlp critic(int in, long seed) {
        return Mlp.builder().in(in).out(1).width(64).depth(2).activation(Activation.TANH).build(new Rng(seed));
    }

    /** {@code steps} updates of Adam(lr, 0.5, 0.9), batches of 512 a side. */
    static void fit(Context ctx, Mlp d, Objective o, List<Regularizer> regs, Sampler p, Sampler q, int steps, double lr,
            long seed) {
        Optimizer opt = OptimizerSpec.adam(lr, 0.5, 0.9).create(d.parameters());
        Rng rng = new Rng(seed);
        for (int done = 0; done < steps; done += CHUNK) {
            int n = Math.min(CHUNK, steps - done);
            CriticFit.fit(d, o, regs, opt, p, q, n, 512, rng);
            ctx.advance(n);
        }
    }

    /**
     * JS(p‖q) estimated by a classifier trained between p and q: its objective E log D(x) + E log(1 − D(y)) on
     * n fresh samples a side is 2·JS − 2 ln 2 at the optimum, so (objective + 2 ln 2) / 2, a lower bound.
     */
    static double jsEstimate(Context ctx, int in, Sampler p, Sampler q, int steps, int n, long seed) {
        Mlp d = critic(in, seed);
        fit(ctx, d, Objectives.MINIMAX, List.of(), p, q, steps, 2e-3, seed + 1);
        double objective = -CriticFit.loss(d, Objectives.MINIMAX, p, q, n, new Rng(seed + 2));
        return (objective + 2 * LN2) / 2;
    }

    /**
     * W1(p, q) estimated by a WGAN-GP critic (λ = 50, so the soft constraint's bias stays near a few per cent):
     * 50 unpenalised updates orient it (in 1-D the one-centred penalty is a barrier at f′ = 0), then
     * {@code steps} penalised ones; the objective's estimate on n fresh samples a side.
     */
    static double wEstimate(Context ctx, int in, Sampler p, Sampler q, int steps, int n, long seed) {
        Mlp f = critic(in, seed);
        fit(ctx, f, Objectives.WASSERSTEIN, List.of(), p, q, 50, 1e-3, seed + 1);
        fit(ctx, f, Objectives.WASSERSTEIN, List.of(new GradientPenalty(50, 1)), p, q, steps, 1e-3, seed + 2);
        return CriticFit.estimate(f, Objectives.WASSERSTEIN, p, q, n, new Rng(seed + 3));
    }

    /** Uniform on the vertical segment {x} × [0, 1]. */
    static Sampler segment(double x) {
        return (n, rng) -> Ops.cat(List.of(Ops.add(Ops.zeros(n, 1), x), rng.uniform(n, 1)), 1);
    }

    /** n draws of a sampler as rows. */
    static double[][] draw(Sampler s, int n, long seed) {
        try (Scope scope = Scope.open()) {
            Tensor t = s.sample(n, new Rng(seed));
            return Ops.toRows(t);
        }
    }

    /** D's outputs at the given 1-D points. */
    static double[] outputs(Mlp d, double[] xs) {
        try (Scope s = Scope.open()) {
            return Ops.noGrad(() -> Ops.toDoubles(d.forward(Ops.fromDoubles(xs, xs.length, 1).to(
                    org.bytedeco.pytorch.global.torch.ScalarType.Float))));
        }
    }

    static String num(double v) {
        return io.ganflow.experiment.ResultTable.format(v);
    }
}
