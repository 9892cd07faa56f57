package io.ganflow.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * A critic that exposes inner features, for feature matching (Salimans et al. 2016, §3.1): the output of one
 * of its inner layers for a batch, as (n, features...). {@link Mlp} exposes its hidden layers'
 * post-activation outputs; {@link Reshaped} passes its flattened input through to the module it wraps; a
 * convolutional critic can expose its feature maps the same way.
 */
public interface FeatureCritic extends Module {
    /** How many feature layers can be read; 0 when none can (then feature matching is refused). */
    int featureLayers();

    /**
     * The features of {@code x} (n, sample shape...) at a layer, 0-based, negative counting from the last
     * (−1 is the last one); differentiable in x and in the critic's parameters.
     *
     * @throws IllegalArgumentException if {@code layer} is not in −featureLayers() … featureLayers() − 1
     */
    Tensor features(Tensor x, int layer);

    /** The 0-based index of {@code layer}, checked; negative values count from the last layer. */
    static int resolveLayer(int layer, int layers) {
        int i = layer < 0 ? layers + layer : layer;
        if (i < 0 || i >= layers) {
            throw new IllegalArgumentException("feature layer " + layer + " does not exist; allowed: "
                    + (layers < 1 ? "none" : -layers + " to " + (layers - 1)));
        }
        return i;
    }
}
