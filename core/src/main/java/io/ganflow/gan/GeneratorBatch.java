package io.ganflow.gan;

import io.ganflow.nn.Module;
import java.util.Optional;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;

/**
 * The tensors of one generator update, handed to each {@link Regularizer}.
 *
 * @param critic the critic
 * @param generator the generator being trained
 * @param fake the generated batch, differentiable in the generator's parameters
 * @param real a real batch, drawn on first use (only regularizers that need one pay for it)
 * @param labels for a conditional generator, the class of each generated row
 */
public record GeneratorBatch(Module critic, Module generator, Tensor fake, Supplier<Tensor> real,
        Optional<Tensor> labels) {
    /** An unconditional batch. */
    public GeneratorBatch(Module critic, Module generator, Tensor fake, Supplier<Tensor> real) {
        this(critic, generator, fake, real, Optional.empty());
    }
}
