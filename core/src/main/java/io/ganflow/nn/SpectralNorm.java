package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;

/**
 * Spectral normalisation of a weight matrix (Miyato et al. 2018, Algorithm 1): W_SN = W / σ(W), with σ
 * estimated by one step of power iteration per training forward pass, v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖,
 * σ = uᵀWv. The vector u persists between steps (a buffer, saved in checkpoints); the gradient flows through
 * σ's dependence on W, not through u and v. Forward passes with autograd off (sampling, plots) do not
 * advance the iteration.
 */
public final class SpectralNorm {
    private final Tensor u;

    SpectralNorm(long out, Rng rng, boolean doubles) {
        Tensor init = rng.normal(out);
        if (doubles) {
            init = init.to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
        }
        u = init.div(init.norm());
    }

    Tensor u() {
        return u;
    }

    /** W / σ(W), advancing the power iteration when autograd is on. */
    public Tensor normalise(Tensor w) {
        Tensor[] uv = new Tensor[2];
        boolean training = GradMode.is_enabled();
        Ops.noGrad(() -> {
            Tensor wd = w.detach();
            Tensor v = wd.t().matmul(u);
            v = v.div(Ops.add(v.norm(), 1e-12));
            Tensor next = wd.matmul(v);
            next = next.div(Ops.add(next.norm(), 1e-12));
            if (training) {
                u.copy_(next);
            }
            // σ uses the fresh vector, never the buffer itself: a second forward pass in the same graph
            // (real, then fake) updates the buffer in place, which must not touch a saved tensor
            uv[0] = next;
            uv[1] = v;
        });
        Tensor sigma = uv[0].dot(w.matmul(uv[1]));
        return w.div(sigma);
    }
}
