package io.ganflow.gan;

import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Module;
import io.ganflow.optim.Optimizer;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Trains a critic alone between two fixed distributions p (real) and q (generated): the inner
 * maximisation of a GAN objective with the generator frozen. Its converged outputs estimate what the
 * objective measures: log p/q for the classifier objectives (A3), the variational bound of D_f for
 * f-GANs (A8), W1 for a Lipschitz critic (A4–A6).
 */
public final class CriticFit {
    private CriticFit() {}

    /** Runs {@code steps} critic updates with batches of {@code batch} from each side. */
    public static void fit(Module critic, Objective objective, List<Regularizer> regularizers, Optimizer opt, Sampler p,
            Sampler q, int steps, int batch, Rng rng) {
        for (int s = 0; s < steps; s++) {
            try (Scope scope = Scope.open()) {
                Tensor real = p.sample(batch, rng);
                Tensor fake = q.sample(batch, rng);
                Tensor loss = objective.criticLoss(critic.forward(real), critic.forward(fake));
                CriticBatch b = new CriticBatch(critic, real, fake, rng);
                for (Regularizer r : regularizers) {
                    Tensor t = r.criticTerm(b);
                    if (t != null) {
                        loss = loss.add(t);
                    }
                }
                opt.step(Ops.grad(loss, critic.tensors(), false));
                for (Regularizer r : regularizers) {
                    r.afterCriticStep(critic);
                }
            }
        }
    }

    /** The objective's estimate (see {@link Objective#estimate}) on fresh samples of size n from each side. */
    public static double estimate(Module critic, Objective objective, Sampler p, Sampler q, int n, Rng rng) {
        try (Scope scope = Scope.open()) {
            return Ops.noGrad(() -> Ops.item(objective.estimate(critic.forward(p.sample(n, rng)),
                    critic.forward(q.sample(n, rng)))));
        }
    }

    /** The critic's loss (its negated objective) on fresh samples of size n from each side. */
    public static double loss(Module critic, Objective objective, Sampler p, Sampler q, int n, Rng rng) {
        try (Scope scope = Scope.open()) {
            return Ops.noGrad(() -> Ops.item(objective.criticLoss(critic.forward(p.sample(n, rng)),
                    critic.forward(q.sample(n, rng)))));
        }
    }
}
