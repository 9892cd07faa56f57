package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.nn.AuxClassifierCritic;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * AC-GAN's class loss (Odena, Olah &amp; Shlens 2017, eq. 2): with L_C the log-likelihood of the right class under
 * the critic's auxiliary classifier, the critic maximises L_C on real and generated samples and the generator
 * maximises it on its own. As losses with weight λ ({@code gan.acgan.weight}):
 *
 * <pre>
 *   critic:    λ · ( CE(c(x), y) + CE(c(G(z, y)), y) )      (x, y) real, G(z, y) generated for the real rows' classes
 *   generator: λ · CE(c(G(z, y)), y)
 * </pre>
 *
 * CE is the mean cross-entropy of the logits c(·) against the class. The generated samples of the critic's term are
 * detached (the critic step's fakes), as for the adversarial loss.
 */
public final class AuxClassifierLoss implements Regularizer {
    private final double weight;

    public AuxClassifierLoss(double weight) {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("the AC-GAN weight must be > 0, got " + weight);
        }
        this.weight = weight;
    }

    @Override
    public String name() {
        return "acgan";
    }

    public double weight() {
        return weight;
    }

    private static AuxClassifierCritic aux(io.ganflow.nn.Module critic) {
        if (!(critic instanceof AuxClassifierCritic a)) {
            throw new IllegalArgumentException("the AC-GAN loss needs an AuxClassifierCritic, got " + critic);
        }
        return a;
    }

    /** Mean cross-entropy of logits (n, K) against int64 classes (n). */
    static Tensor crossEntropy(Tensor logits, Tensor classes) {
        return torch.cross_entropy(logits, classes);
    }

    @Override
    public Tensor criticTerm(CriticBatch b) {
        AuxClassifierCritic c = aux(b.critic());
        Tensor y = b.labels().orElseThrow(() -> new IllegalArgumentException("the AC-GAN loss needs labels"));
        return Ops.mul(crossEntropy(c.classLogits(b.real()), y).add(crossEntropy(c.classLogits(b.fake()), y)), weight);
    }

    @Override
    public Tensor generatorTerm(GeneratorBatch b) {
        AuxClassifierCritic c = aux(b.critic());
        Tensor y = b.labels().orElseThrow(() -> new IllegalArgumentException("the AC-GAN loss needs labels"));
        return Ops.mul(crossEntropy(c.classLogits(b.fake()), y), weight);
    }
}
