package io.ganflow.gan;

import io.ganflow.nn.Module;
import org.bytedeco.pytorch.Tensor;

/** A term added to the critic's loss, or a constraint applied after each critic update, or both. */
public interface Regularizer {
    String name();

    /** The term to add to the critic loss for this batch, or null when the regularizer adds none. */
    default Tensor criticTerm(CriticBatch batch) {
        return null;
    }

    /** Runs after every critic optimiser step (e.g. weight clipping). */
    default void afterCriticStep(Module critic) {}
}
