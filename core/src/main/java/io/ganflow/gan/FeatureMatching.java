package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Mlp;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Feature matching (Salimans et al. 2016, §3.1): the generator matches the mean of an inner critic layer,
 * adding λ·‖E_p f(x) − E_q f(g(z))‖² to its loss, where f is the post-activation output of a named hidden
 * layer of the critic. The real features are a fixed target (no gradient to the critic).
 */
public final class FeatureMatching implements Regularizer {
    private final double weight;
    private final int layer;

    /** @param layer the critic's hidden layer (0-based); −1 means the last one */
    public FeatureMatching(double weight, int layer) {
        this.weight = weight;
        this.layer = layer;
    }

    @Override
    public String name() {
        return "feature_matching";
    }

    /** The critic's features at the chosen layer, (n, width). */
    public Tensor features(Mlp critic, Tensor x) {
        List<Tensor> hidden = new ArrayList<>();
        critic.forward(x, hidden);
        return hidden.get(layer < 0 ? hidden.size() + layer : layer);
    }

    @Override
    public Tensor generatorTerm(GeneratorBatch b) {
        if (!(b.critic() instanceof Mlp critic)) {
            throw new IllegalStateException("feature matching needs an MLP critic");
        }
        Tensor realMean = Ops.noGrad(() -> features(critic, b.real().get()).mean(new long[] {0}, false, null));
        Tensor fakeMean = features(critic, b.fake()).mean(new long[] {0}, false, null);
        return Ops.mul(fakeMean.sub(realMean).square().sum(), weight);
    }
}
