package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Instance noise (Sønderby et al. 2017; Arjovsky &amp; Bottou 2017): Gaussian noise of std σ(t) added to
 * every input of the critic, real and generated, annealed to 0 over training. With s = (step − 1)/steps:
 * constant σ₀; linear σ₀·(1 − s); cosine σ₀·½(1 + cos(π s)). The noise has the shape of the critic's input
 * (n, shape...): one independent N(0, σ²) value per coordinate of a point or per pixel of an image.
 */
public final class InstanceNoise {
    public static final List<String> SCHEDULES = List.of("constant", "linear", "cosine");
    private final double std;
    private final String schedule;

    public InstanceNoise(double std, String schedule) {
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("unknown noise schedule " + schedule + "; allowed: " + SCHEDULES);
        }
        this.std = std;
        this.schedule = schedule;
    }

    /** σ at a 1-based step of {@code total}. */
    public double std(long step, long total) {
        double s = (double) (step - 1) / total;
        switch (schedule) {
            case "linear":
                return std * (1 - s);
            case "cosine":
                return std * 0.5 * (1 + Math.cos(Math.PI * s));
            default:
                return std;
        }
    }

    public Tensor perturb(Tensor x, long step, long total, Rng rng) {
        double s = std(step, total);
        if (s == 0) {
            return x;
        }
        return x.add(Ops.mul(rng.normal(Ops.shape(x)).to(x.scalar_type()), s));
    }
}
