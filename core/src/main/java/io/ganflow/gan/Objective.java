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

    /**
     * True when the generator's loss also reads the critic's outputs on real data (the relativistic objectives):
     * the generator update then draws a real batch and calls {@link #generatorLoss(Tensor, Tensor)}.
     */
    default boolean generatorNeedsReal() {
        return false;
    }

    /** The generator's loss given the critic's outputs on generated and on real data; by default the real ones are unused. */
    default Tensor generatorLoss(Tensor fakeOut, Tensor realOut) {
        return generatorLoss(fakeOut);
    }

    /**
     * What the critic's outputs estimate, logged every step: E_p f − E_q f for the Wasserstein family, the
     * variational bound for f-GANs, and for classifier objectives (JS) the estimate (−loss + 2 ln 2)/2 of
     * JS(p‖q), exact at the optimal discriminator (A3). Null when there is none.
     */
    default Tensor estimate(Tensor realOut, Tensor fakeOut) {
        if (isClassifier()) {
            return io.ganflow.engine.Ops.mul(io.ganflow.engine.Ops.rsub(2 * Math.log(2),
                    Objectives.classifierLoss(realOut, fakeOut, 1.0)), 0.5);
        }
        return realOut.mean().sub(fakeOut.mean());
    }

    /** The stat name of {@link #estimate}. */
    default String estimateName() {
        return isClassifier() ? "js_estimate" : "w_estimate";
    }

    /** True when the critic output is a logit whose sign classifies real (> 0) against fake. */
    default boolean isClassifier() {
        return true;
    }
}
