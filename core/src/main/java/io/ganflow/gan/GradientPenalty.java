package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;

/**
 * A gradient penalty on the critic at interpolates x̂ = α·x + (1 − α)·x̃ between real x and generated x̃,
 * with α ~ U[0, 1] drawn once per sample, not once per coordinate: shape (n, 1) for points, (n, 1, 1, 1) for
 * images (C, H, W), broadcast over every pixel of the pair. ‖∇f(x̂)‖ is each sample's Euclidean norm over all
 * of its non-batch dimensions (the Frobenius norm of an image-shaped gradient).
 *
 * <ul>
 *   <li>centre 1 (A5, Gulrajani et al. 2017, eq. 3): λ·E(‖∇f(x̂)‖ − 1)²;</li>
 *   <li>centre 0 (A6, seed 000's ReFlow derivation; also Thanh-Tung et al. 2019): (λ/2)·E‖∇f(x̂)‖².</li>
 * </ul>
 */
public final class GradientPenalty implements Regularizer {
    private final double weight;
    private final int center;

    public GradientPenalty(double weight, int center) {
        if (center != 0 && center != 1) {
            throw new IllegalArgumentException("gradient penalty centre must be 0 or 1, got " + center);
        }
        this.weight = weight;
        this.center = center;
    }

    @Override
    public String name() {
        return center == 1 ? "gp" : "gp0";
    }

    public double weight() {
        return weight;
    }

    public int center() {
        return center;
    }

    /**
     * x̂ = α·real + (1 − α)·fake with one α per sample, as a fresh leaf that records gradients. The n draws are
     * the same for every sample shape (drawn as (n, 1), then viewed as (n, 1, …, 1)).
     */
    public static Tensor interpolate(Tensor real, Tensor fake, Rng rng) {
        Tensor alpha = Ops.perSample(rng.uniform(real.size(0), 1).to(real.scalar_type()), real);
        Tensor xhat = fake.add(alpha.mul(real.sub(fake)));
        return Ops.requiringGrad(xhat);
    }

    /** The penalty for the given interpolates, differentiable in the critic's parameters. */
    public Tensor penaltyAt(io.ganflow.nn.Module critic, Tensor xhat) {
        Tensor out = critic.forward(xhat);
        Tensor g = Ops.inputGrad(out, xhat, true);
        if (center == 1) {
            return Ops.mul(Ops.add(Ops.sampleNorm(g), -1.0).square().mean(), weight);
        }
        return Ops.mul(Ops.sampleSquaredNorm(g).mean(), weight / 2);
    }

    @Override
    public Tensor criticTerm(CriticBatch b) {
        return penaltyAt(b.critic(), interpolate(b.real(), b.fake(), b.rng()));
    }
}
