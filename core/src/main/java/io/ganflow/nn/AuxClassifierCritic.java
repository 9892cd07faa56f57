package io.ganflow.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * AC-GAN's critic (Odena, Olah &amp; Shlens 2017): one net with 1 + K outputs, the first the critic's usual output
 * on x alone, the other K the logits of an auxiliary classifier of x's class. As a {@link ConditionalModule} it
 * takes the labels and ignores them, so every objective and penalty reads the critic as it would an unconditional
 * one; the class enters training only through {@link io.ganflow.gan.AuxClassifierLoss} on {@link #classLogits}.
 */
public final class AuxClassifierCritic extends ClassWrapper {
    /** @param body the net: samples to (n, 1 + classes) */
    public AuxClassifierCritic(Module body, int classes) {
        super(body, classes);
    }

    /** The critic's output (n, 1); the labels are not read. */
    @Override
    public Tensor forward(Tensor x, Tensor labels) {
        return net().forward(x).narrow(1, 0, 1);
    }

    /** The auxiliary classifier's logits (n, classes). */
    public Tensor classLogits(Tensor x) {
        return net().forward(x).narrow(1, 1, classes());
    }
}
