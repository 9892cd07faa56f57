package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Minibatch discrimination (Salimans et al. 2016, §3.2) as a layer that any critic can put before its output
 * layer: for features f(xᵢ) ∈ R^A (flattened if shaped) and a learned tensor T (A, K·C), M_i = f(xᵢ)·T reshaped
 * to (K, C), c_k(i, j) = exp(−‖M_{i,k} − M_{j,k}‖₁), and o(xᵢ)_k = Σ_{j≠i} c_k(i, j). {@link #forward} appends
 * o to the flattened features: (n, A) → (n, A + K). {@link Mlp} uses it for {@code model.d.minibatch.*}.
 *
 * <p>The pairwise features cost n²·K·C memory; callers that score large batches (evaluation sets, plot grids)
 * score them in independent blocks, as {@link Mlp} does with blocks of {@link Mlp#MBD_BLOCK}.
 */
public final class MinibatchDiscrimination implements Module {
    private final int in;
    private final int kernels;
    private final int dim;
    private final Tensor t;

    /** T ~ 0.1·N(0, 1), drawn from {@code rng} as one (in, kernels·dim) normal draw. */
    public MinibatchDiscrimination(int in, int kernels, int dim, Rng rng, boolean doubles) {
        if (in < 1 || kernels < 1 || dim < 1) {
            throw new IllegalArgumentException("bad minibatch discrimination shape in=" + in + " kernels=" + kernels
                    + " dim=" + dim);
        }
        this.in = in;
        this.kernels = kernels;
        this.dim = dim;
        Tensor w = Ops.mul(rng.normal(in, (long) kernels * dim), 0.1);
        this.t = doubles ? w.to(torch.ScalarType.Double) : w;
        this.t.set_requires_grad(true);
    }

    /** The learned tensor T, (in, kernels·dim). */
    public Tensor tensor() {
        return t;
    }

    public int kernels() {
        return kernels;
    }

    /** o(xᵢ)_k = Σ_{j≠i} exp(−‖M_{i,k} − M_{j,k}‖₁), shape (n, K), for features f (n, A) or (n, shape...). */
    public Tensor closeness(Tensor f) {
        long n = f.size(0);
        Tensor m = Ops.flatten(f).matmul(t).view(n, kernels, dim);
        Tensor diff = m.unsqueeze(1).sub(m.unsqueeze(0)).abs().sum(new long[] {3}, false, null); // (n, n, K)
        return torch.exp(diff.neg()).sum(new long[] {1}, false, null).sub(Ops.s(1.0));
    }

    /** [f, o(f)]: the flattened features with the K closeness features appended, (n, A + K). */
    @Override
    public Tensor forward(Tensor f) {
        Tensor flat = Ops.flatten(f);
        return Ops.cat(List.of(flat, closeness(flat)), 1);
    }

    /** The width of {@link #forward}'s output, A + K. */
    public int outFeatures() {
        return in + kernels;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("T", t));
    }
}
