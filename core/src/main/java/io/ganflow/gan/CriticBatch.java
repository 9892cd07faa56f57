package io.ganflow.gan;

import io.ganflow.engine.Rng;
import io.ganflow.nn.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The tensors of one critic update, handed to each {@link Regularizer}.
 *
 * @param critic the critic being trained
 * @param real the real batch (n, shape...): (n, d) for points, (n, C, H, W) for images
 * @param fake the generated batch, of the same shape, detached from the generator
 * @param rng the run's generator, for interpolation weights and noise
 */
public record CriticBatch(Module critic, Tensor real, Tensor fake, Rng rng) {}
