package io.ganflow.gan;

import io.ganflow.nn.Module;
import io.ganflow.nn.StateDict;
import org.bytedeco.pytorch.Tensor;

/**
 * A term added to the critic's or the generator's loss, or a constraint applied after an update, or both.
 * Every hook is optional. A regularizer with state (running averages) saves it in checkpoints.
 */
public interface Regularizer {
    String name();

    /**
     * Whether the regularizer works under conditioning: its terms evaluate the critic at the batch's labels where it
     * has them, or do not read the critic at all (clipping, averages). One that would evaluate a conditional critic
     * without its labels says false, and a conditional GAN refuses it.
     */
    default boolean handlesLabels() {
        return true;
    }

    /** The term to add to the critic loss for this batch, or null. */
    default Tensor criticTerm(CriticBatch batch) {
        return null;
    }

    /** The term to add to the generator loss for this batch, or null. */
    default Tensor generatorTerm(GeneratorBatch batch) {
        return null;
    }

    /** Runs after every critic optimiser step (e.g. weight clipping, running averages). */
    default void afterCriticStep(Module critic) {}

    /** Runs after every generator optimiser step. */
    default void afterGeneratorStep(Module generator) {}

    default void saveState(StateDict into, String prefix) {}

    default void loadState(StateDict from, String prefix) {}

    /** Tensors kept across steps (running averages), which a run on a device moves there ({@link
     * io.ganflow.train.Method#stateTensors}). */
    default java.util.List<org.bytedeco.pytorch.Tensor> stateTensors() {
        return java.util.List.of();
    }
}
