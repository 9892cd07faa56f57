package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.nn.FeatureCritic;
import io.ganflow.nn.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Feature matching (Salimans et al. 2016, §3.1): the generator matches the mean of an inner critic layer,
 * adding λ·‖E_p f(x) − E_q f(g(z))‖² to its loss, where f is an inner layer of the critic read through
 * {@link FeatureCritic} (for an MLP, the post-activation output of a hidden layer; an MLP on images reads the
 * flattened pixels). The squared norm runs over every feature dimension, so shaped features (a conv critic's
 * maps) work alike. The real features are a fixed target (no gradient to the critic).
 */
public final class FeatureMatching implements Regularizer {
    private final double weight;
    private final int layer;

    /** @param layer the critic's feature layer (0-based); −1 means the last one */
    public FeatureMatching(double weight, int layer) {
        this.weight = weight;
        this.layer = layer;
    }

    @Override
    public String name() {
        return "feature_matching";
    }

    /** The critic's features at the chosen layer, (n, features...). */
    public Tensor features(FeatureCritic critic, Tensor x) {
        return critic.features(x, layer);
    }

    /** The critic as a {@link FeatureCritic} with at least one feature layer, or an explanation. */
    public static FeatureCritic featureCritic(Module critic) {
        if (critic instanceof FeatureCritic f && f.featureLayers() > 0) {
            return f;
        }
        throw new IllegalStateException("feature matching needs a critic that exposes inner features"
                + " (io.ganflow.nn.FeatureCritic with a hidden layer), not " + critic);
    }

    @Override
    public Tensor generatorTerm(GeneratorBatch b) {
        FeatureCritic critic = featureCritic(b.critic());
        Tensor realMean = Ops.noGrad(() -> features(critic, b.real().get()).mean(new long[] {0}, false, null));
        Tensor fakeMean = features(critic, b.fake()).mean(new long[] {0}, false, null);
        return Ops.mul(fakeMean.sub(realMean).square().sum(), weight);
    }

    /** The critic's inner features are read without labels: not under conditioning. */
    @Override
    public boolean handlesLabels() {
        return false;
    }
}
