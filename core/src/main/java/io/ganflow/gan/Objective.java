package io.ganflow.gan;

import org.bytedeco.pytorch.Tensor;

/**
 * A GAN objective as two pure functions of the critic's raw outputs (logits for the classifier-based
 * objectives), each returning a scalar loss to <em>minimise</em>. No hidden state.
 */
public interface Objective {
    /** The config name, e.g. "wasserstein". */
    String name();

    /** The critic's loss, from its outputs on a real batch (n, 1) and a generated batch (n, 1). */
    Tensor criticLoss(Tensor realOut, Tensor fakeOut);

    /** The generator's loss, from the critic's outputs on a generated batch. */
    Tensor generatorLoss(Tensor fakeOut);

    /** True when the critic output is a logit whose sign classifies real (> 0) against fake. */
    default boolean isClassifier() {
        return true;
    }
}
