package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;

/**
 * An exponential moving average of a module's weights (Yazıcı et al. 2019): after each update of the
 * target, θ_ema ← β·θ_ema + (1 − β)·θ. Sampling and evaluation use the average when it is on.
 *
 * <p>Buffers: batch norm's running statistics ({@code …running_mean}, {@code …running_var}) are averaged with
 * the same decay, like the weights (as BigGAN's EMA does): the mean of a linear layer's output is linear in its
 * weights, so the averaged statistics describe the averaged weights better than the target's current ones
 * would. Every other buffer (a power-iteration vector, a reference batch, time frequencies) is copied. The
 * shadow is put in evaluation mode ({@link Module#train}) and never trained: its batch norms normalise with
 * those running statistics, so a sample depends on its own latent only.
 */
public final class Ema {
    private final Module target;
    private final Module shadow;
    private final double decay;

    /** @param shadow a module of the target's architecture; it starts as a copy of the target */
    public Ema(Module target, Module shadow, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in (0, 1), got " + decay);
        }
        this.target = target;
        this.shadow = shadow;
        this.decay = decay;
        shadow.copyFrom(target);
        shadow.train(false);
    }

    /** True for the buffers that are averaged rather than copied: batch norm running statistics. */
    static boolean averaged(Parameter buffer) {
        return buffer.name().endsWith("running_mean") || buffer.name().endsWith("running_var");
    }

    public void update() {
        Ops.noGrad(() -> {
            List<Parameter> s = shadow.parameters();
            List<Parameter> t = target.parameters();
            for (int i = 0; i < s.size(); i++) {
                // θ_ema + (1 − β)(θ − θ_ema)
                s.get(i).value().lerp_(t.get(i).value(), Ops.s(1 - decay));
            }
            List<Parameter> sb = shadow.buffers();
            List<Parameter> tb = target.buffers();
            for (int i = 0; i < sb.size(); i++) {
                if (averaged(sb.get(i))) {
                    sb.get(i).value().lerp_(tb.get(i).value(), Ops.s(1 - decay));
                } else {
                    sb.get(i).value().copy_(tb.get(i).value());
                }
            }
        });
    }

    public Module shadow() {
        return shadow;
    }

    public double decay() {
        return decay;
    }
}
