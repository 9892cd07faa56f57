package io.ganflow.gan;

import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;

/**
 * Zero-centred gradient penalties at data points (Mescheder et al. 2018, eq. 9–10): R1 = (γ/2)·E_p‖∇D(x)‖²
 * at real points, R2 = (γ/2)·E_q‖∇D(x̃)‖² at generated points. The norm is each sample's over all of its
 * non-batch dimensions, so points (n, d) and images (n, C, H, W) are treated alike.
 */
public final class PointPenalty implements Regularizer {
    private final double gamma;
    private final boolean atReal;

    private PointPenalty(double gamma, boolean atReal) {
        this.gamma = gamma;
        this.atReal = atReal;
    }

    public static PointPenalty r1(double gamma) {
        return new PointPenalty(gamma, true);
    }

    public static PointPenalty r2(double gamma) {
        return new PointPenalty(gamma, false);
    }

    @Override
    public String name() {
        return atReal ? "r1" : "r2";
    }

    /** (γ/2)·E‖∇D(x)‖², differentiable in the critic's parameters. */
    public Tensor penaltyAt(io.ganflow.nn.Module critic, Tensor points) {
        return penaltyAt(critic, points, java.util.Optional.empty());
    }

    /** The same at the points' classes, for a conditional critic: the gradient in x alone. */
    public Tensor penaltyAt(io.ganflow.nn.Module critic, Tensor points, java.util.Optional<Tensor> labels) {
        Tensor x = Ops.requiringGrad(points);
        Tensor g = Ops.inputGrad(critic.forward(x, labels), x, true);
        return Ops.mul(Ops.sampleSquaredNorm(g).mean(), gamma / 2);
    }

    @Override
    public Tensor criticTerm(CriticBatch b) {
        return penaltyAt(b.critic(), atReal ? b.real() : b.fake(), b.labels());
    }

}
