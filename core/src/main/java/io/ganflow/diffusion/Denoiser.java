package io.ganflow.diffusion;

import io.ganflow.engine.Ops;
import io.ganflow.flow.VectorField;
import org.bytedeco.pytorch.Tensor;

/**
 * A model of the data seen through a forward {@link Process}: D(x, t), the estimate of E[x_0 | x_t = x]. Every
 * score-model sampler and the likelihood need only this: the score is ∇ log p_t(x) = (α D − x)/σ² (Tweedie's
 * formula) and the probability-flow ODE (Song et al. 2021, eq. 13) is dx/dt = f x − ½ g² ∇ log p_t.
 */
public interface Denoiser {
    Process process();

    /** D(x, t) for a batch x at one time t. */
    Tensor denoise(Tensor x, double t);

    /** ∇ log p_t(x) = (α(t) D(x, t) − x)/σ(t)². */
    default Tensor score(Tensor x, double t) {
        Process p = process();
        double s = p.sigma(t);
        return Ops.mul(Ops.mul(denoise(x, t), p.alpha(t)).sub(x), 1 / (s * s));
    }

    /** The probability-flow ODE's field f(t) x − ½ g(t)² ∇ log p_t(x), in the process's own time t. */
    default VectorField probabilityFlow() {
        Process p = process();
        return (x, t) -> Ops.mul(x, p.f(t)).sub(Ops.mul(score(x, t), 0.5 * p.g2(t)));
    }

    /**
     * D in k-diffusion's σ-space: x̃ = x/α is the data plus noise of std σ̃ = σ/α, and D̃(x̃, σ̃) = D(α x̃, t(σ̃)).
     * Any process becomes EDM's α = 1 form, so one implementation of a σ-space sampler drives all of them.
     */
    default Tensor denoiseRatio(Tensor xTilde, double ratio) {
        double t = process().timeOfRatio(ratio);
        return denoise(Ops.mul(xTilde, process().alpha(t)), t);
    }
}
