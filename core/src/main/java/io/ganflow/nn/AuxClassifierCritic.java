package io.ganflow.nn;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * AC-GAN's critic (Odena, Olah &amp; Shlens 2017): one net with 1 + K outputs, the first the critic's usual output
 * on x alone, the other K the logits of an auxiliary classifier of x's class. As a {@link ConditionalModule} it
 * takes the labels and ignores them, so every objective and penalty reads the critic as it would an unconditional
 * one; the class enters training only through {@link io.ganflow.gan.AuxClassifierLoss} on {@link #classLogits}.
 */
public final class AuxClassifierCritic implements ConditionalModule {
    private final Module body;
    private final int classes;

    /** @param body the net: samples to (n, 1 + classes) */
    public AuxClassifierCritic(Module body, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.body = body;
        this.classes = classes;
    }

    @Override
    public int classes() {
        return classes;
    }

    /** The critic's output (n, 1); the labels are not read. */
    @Override
    public Tensor forward(Tensor x, Tensor labels) {
        return body.forward(x).narrow(1, 0, 1);
    }

    /** The auxiliary classifier's logits (n, classes). */
    public Tensor classLogits(Tensor x) {
        return body.forward(x).narrow(1, 1, classes);
    }

    @Override
    public List<Parameter> parameters() {
        return body.parameters();
    }

    @Override
    public List<Parameter> buffers() {
        return body.buffers();
    }

    @Override
    public void train(boolean on) {
        body.train(on);
    }

    @Override
    public boolean isTraining() {
        return body.isTraining();
    }
}
