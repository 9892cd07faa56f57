package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;

/**
 * A4, Arjovsky et al. 2017, Algorithm 1: after every critic update, clip each weight to [−c, c]. Every trainable
 * parameter of the critic is clipped, whatever its shape (dense matrices, convolution kernels, biases), so it
 * works for any critic and any sample shape; buffers (spectral-norm vectors) are left alone.
 */
public final class WeightClipping implements Regularizer {
    private final double c;

    public WeightClipping(double c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "clip";
    }

    public double bound() {
        return c;
    }

    @Override
    public void afterCriticStep(Module critic) {
        Ops.noGrad(() -> {
            for (Parameter p : critic.parameters()) {
                Ops.clamp_(p.value(), -c, c);
            }
        });
    }
}
