package io.ganflow.gan;

import io.ganflow.engine.Rng;
import io.ganflow.nn.Module;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * The tensors of one critic update, handed to each {@link Regularizer}.
 *
 * @param critic the critic being trained
 * @param real the real batch (n, shape...): (n, d) for points, (n, C, H, W) for images
 * @param fake the generated batch, of the same shape, detached from the generator
 * @param rng the run's generator, for interpolation weights and noise
 * @param labels for a conditional critic, the class of each row of real and of fake (a conditional GAN
 *     generates its fakes for the real rows' classes); a penalty evaluates the critic at these classes and
 *     differentiates with respect to x only
 */
public record CriticBatch(Module critic, Tensor real, Tensor fake, Rng rng, Optional<Tensor> labels) {
    /** An unconditional batch. */
    public CriticBatch(Module critic, Tensor real, Tensor fake, Rng rng) {
        this(critic, real, fake, rng, Optional.empty());
    }
}
