package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

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
    private static final Scalar ZERO = Scope.outlive(new Scalar(0.0));
    /** The fast path for ReLU MLP critics; -Dganflow.gp.fast=false turns it off (to measure it). */
    private static final boolean FAST = Boolean.parseBoolean(System.getProperty("ganflow.gp.fast", "true"));
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
    public Tensor penaltyAt(Module critic, Tensor xhat) {
        Tensor g = ReluMlpInputGrad.of(critic) != null ? ReluMlpInputGrad.of(critic).at(xhat) : autogradInputGrad(critic,
                xhat);
        return penaltyOf(g);
    }

    /**
     * True if the penalty on {@code critic} takes the fast path for plain ReLU MLPs, which leaves out the
     * products with zero matrices that autograd's double backward runs (see {@link ReluMlpInputGrad}).
     */
    public static boolean skipsZeroGradients(Module critic) {
        return ReluMlpInputGrad.of(critic) != null;
    }

    /** The penalty through autograd's double backward, for every critic (the reference for the fast path). */
    Tensor penaltyByAutograd(Module critic, Tensor xhat) {
        return penaltyOf(autogradInputGrad(critic, xhat));
    }

    private static Tensor autogradInputGrad(Module critic, Tensor xhat) {
        Tensor x = xhat.requires_grad() ? xhat : Ops.requiringGrad(xhat);
        return Ops.inputGrad(critic.forward(x), x, true);
    }

    Tensor penaltyOf(Tensor g) {
        if (center == 1) {
            return Ops.mul(Ops.add(Ops.sampleNorm(g), -1.0).square().mean(), weight);
        }
        return Ops.mul(Ops.sampleSquaredNorm(g).mean(), weight / 2);
    }

    @Override
    public Tensor criticTerm(CriticBatch b) {
        ReluMlpInputGrad fast = ReluMlpInputGrad.of(b.critic());
        if (fast != null && b.labels().isEmpty()) {
            // the fast path needs no leaf copy of the interpolates: it never differentiates with respect to them
            Tensor alpha = b.rng().uniform(b.real().size(0), 1).to(b.real().scalar_type());
            Tensor fake = b.fake();
            return penaltyOf(fast.at(fake.add(alpha.mul(b.real().sub(fake)))));
        }
        Tensor xhat = interpolate(b.real(), b.fake(), b.rng());
        if (b.labels().isPresent()) {
            Tensor x = Ops.requiringGrad(xhat);
            return penaltyOf(Ops.inputGrad(b.critic().forward(x, b.labels()), x, true));
        }
        return penaltyAt(b.critic(), xhat);
    }


    /**
     * ∇ₓD(x) for a plain ReLU MLP critic (no spectral, batch or virtual batch normalisation, no minibatch
     * features), written out: with the ReLU outputs a₀ … a_{L−1} of a forward pass that records nothing,
     * ∇ₓD = ((1·W_L ⊙ 1[a_{L−1} &gt; 0]) W_{L−1} ⊙ … ⊙ 1[a₀ &gt; 0]) W₀, each product and mask the very
     * operation autograd's backward pass runs (mm, threshold_backward), so the value is the same. What
     * differs is the graph the penalty's gradient flows back through: autograd's double backward also sends
     * gradients, all zero (ReLU's second derivative), back through the forward pass at the interpolates,
     * multiplying zero matrices (in the bench's critic update, 4 of its 26 width × width products). Here the
     * forward pass is no part of the graph, so the penalty's gradient in the weights is the same, without
     * those products: bit for bit in GradientPenaltyTest.
     */
    static final class ReluMlpInputGrad {
        private final ReluMlpGradients net;

        private ReluMlpInputGrad(ReluMlpGradients net) {
            this.net = net;
        }

        /** The fast path for {@code critic}, or null if it is not a plain ReLU MLP. */
        static ReluMlpInputGrad of(Module critic) {
            ReluMlpGradients net = FAST ? ReluMlpGradients.of(critic) : null;
            return net == null ? null : new ReluMlpInputGrad(net);
        }

        /** ∇ₓD at each row of x, differentiable in the weights (not in x). */
        Tensor at(Tensor x) {
            int hidden = net.hidden();
            Tensor[] acts = new Tensor[hidden];
            Ops.noGrad(() -> {
                Tensor h = x.detach();
                for (int i = 0; i < hidden; i++) {
                    h = Activation.RELU.applyToFresh(Ops.linear(h, net.weight(i), net.bias(i)));
                    acts[i] = h;
                }
            });
            // autograd starts from ones_like(D(x)), shape (n, 1), and multiplies by the output layer's weight
            // Ops.mm: under bf16 each product runs in bfloat16 between float32 casts, as autograd's backward
            // of Ops.linear does, so both paths still agree (GradientPenaltyTest)
            Tensor g = Ops.mm(net.weight(hidden).new_ones(x.size(0), 1), net.weight(hidden));
            for (int i = hidden - 1; i >= 0; i--) {
                g = Ops.mm(torch.threshold_backward(g, acts[i], ZERO), net.weight(i));
            }
            return g;
        }
    }
}
