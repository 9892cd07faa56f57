package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A multilayer perceptron: {@code depth} hidden layers of {@code width} units with an activation after
 * each, then a linear output layer. Parameters are named {@code layer<i>.weight} and {@code layer<i>.bias}.
 *
 * <p>Options from SPEC B, each off by default:
 * <ul>
 *   <li>spectral normalisation of chosen layers ({@link SpectralNorm});</li>
 *   <li>minibatch discrimination before the output layer (Salimans et al. 2016, §3.2): with the last hidden
 *       features f(xᵢ) ∈ R^A, M_i = f(xᵢ)·T reshaped to (K, C), c_k(i, j) = exp(−‖M_{i,k} − M_{j,k}‖₁), and
 *       o(xᵢ)_k = Σ_{j≠i} c_k(i, j) appended to f(xᵢ) (the layer {@link MinibatchDiscrimination});</li>
 *   <li>virtual batch normalisation of the hidden pre-activations (Salimans et al. 2016, §3.5): each example
 *       is normalised with the statistics of a reference batch, fixed at construction, together with
 *       itself: μᵢ = (N μ_ref + hᵢ)/(N + 1), E[h²]ᵢ likewise; then scaled by γ and shifted by β. The output
 *       for one example never depends on the rest of its batch.</li>
 *   <li>batch normalisation of the hidden pre-activations ({@link BatchNorm}, parts {@code bn<i>}): batch
 *       statistics in training mode, running statistics in evaluation mode ({@link #train}).</li>
 * </ul>
 */
public final class Mlp implements FeatureCritic {
    private static final double VBN_EPS = 1e-5;
    /** Largest batch whose minibatch-discrimination features are computed jointly. */
    public static final int MBD_BLOCK = 512;
    private final int in;
    private final int width;
    private final int depth;
    private final int out;
    private final Activation activation;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final List<SpectralNorm> spectral = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final List<Parameter> buffers = new ArrayList<>();
    private final MinibatchDiscrimination mbd;
    private final int mbdKernels;
    private final Tensor vbnReference;
    private final List<Tensor> vbnGamma = new ArrayList<>();
    private final List<Tensor> vbnBeta = new ArrayList<>();
    private final List<BatchNorm> batchNorms = new ArrayList<>();
    private boolean training = true;

    private Mlp(Builder b, Rng rng) {
        if (b.in < 1 || b.out < 1 || b.depth < 0 || (b.depth > 0 && b.width < 1)) {
            throw new IllegalArgumentException("bad MLP shape in=" + b.in + " width=" + b.width + " depth=" + b.depth
                    + " out=" + b.out);
        }
        if (b.batchNorm && b.vbnReference > 0) {
            throw new IllegalArgumentException("batch norm and virtual batch norm exclude each other");
        }
        if (b.mbdKernels > 0 && b.depth == 0) {
            throw new IllegalArgumentException("minibatch discrimination needs at least one hidden layer");
        }
        this.in = b.in;
        this.width = b.width;
        this.depth = b.depth;
        this.out = b.out;
        this.activation = b.activation;
        this.mbdKernels = b.mbdKernels;
        int prev = in;
        for (int i = 0; i <= depth; i++) {
            int next = i < depth ? width : out;
            int fanIn = i == depth && mbdKernels > 0 ? prev + mbdKernels : prev;
            Tensor w = cast(b.init.weight(next, fanIn, rng), b.doubles);
            Tensor bias = cast(b.init.bias(next, fanIn, rng), b.doubles);
            weights.add(leaf(w));
            biases.add(leaf(bias));
            params.add(new Parameter("layer" + i + ".weight", weights.get(i)));
            params.add(new Parameter("layer" + i + ".bias", biases.get(i)));
            SpectralNorm sn = b.spectralLayers.contains(i) ? new SpectralNorm(next, rng, b.doubles) : null;
            spectral.add(sn);
            if (sn != null) {
                buffers.add(new Parameter("layer" + i + ".sn_u", sn.u()));
            }
            prev = next;
        }
        if (mbdKernels > 0) {
            mbd = new MinibatchDiscrimination(width, mbdKernels, b.mbdDim, rng, b.doubles);
            params.add(new Parameter("minibatch.T", mbd.tensor()));
        } else {
            mbd = null;
        }
        if (b.vbnReference > 0 && depth > 0) {
            vbnReference = cast(rng.normal(b.vbnReference, in), b.doubles);
            buffers.add(new Parameter("vbn.reference", vbnReference));
            for (int i = 0; i < depth; i++) {
                vbnGamma.add(leaf(cast(Ops.ones(width), b.doubles)));
                vbnBeta.add(leaf(cast(Ops.zeros(width), b.doubles)));
                params.add(new Parameter("vbn" + i + ".gamma", vbnGamma.get(i)));
                params.add(new Parameter("vbn" + i + ".beta", vbnBeta.get(i)));
            }
        } else {
            vbnReference = null;
        }
        if (b.batchNorm) {
            LayerInit li = new LayerInit(b.init, rng, b.doubles);
            for (int i = 0; i < depth; i++) {
                BatchNorm bn = new BatchNorm(li, width);
                batchNorms.add(bn);
                for (Parameter p : bn.parameters()) {
                    params.add(new Parameter("bn" + i + "." + p.name(), p.value()));
                }
                for (Parameter p : bn.buffers()) {
                    buffers.add(new Parameter("bn" + i + "." + p.name(), p.value()));
                }
            }
        }
    }

    private static Tensor cast(Tensor t, boolean doubles) {
        return doubles ? t.to(torch.ScalarType.Double) : t;
    }

    private static Tensor leaf(Tensor t) {
        t.set_requires_grad(true);
        return t;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, (List<Tensor>) null);
    }

    /**
     * Applies the network; if {@code hidden} is not null, each hidden layer's post-activation output is
     * appended to it (for feature matching and diagnostics).
     */
    public Tensor forward(Tensor x, List<Tensor> hidden) {
        if (mbd != null && x.size(0) > MBD_BLOCK && hidden == null) {
            // The pairwise features cost n²·K·C memory: a large batch (a contour grid, an evaluation set)
            // is evaluated in independent blocks, each acting as its own minibatch.
            List<Tensor> parts = new ArrayList<>();
            for (long s = 0; s < x.size(0); s += MBD_BLOCK) {
                parts.add(forward(x.narrow(0, s, Math.min(MBD_BLOCK, x.size(0) - s)), (List<Tensor>) null));
            }
            return Ops.cat(parts, 0);
        }
        Tensor h = x;
        Tensor r = vbnReference;
        for (int i = 0; i < depth; i++) {
            Tensor w = weight(i);
            h = Ops.linear(h, w, biases.get(i));
            if (r != null) {
                r = Ops.linear(r, w, biases.get(i));
                Tensor[] hr = virtualBatchNorm(h, r, i);
                h = hr[0];
                r = activation.apply(hr[1]);
            }
            if (!batchNorms.isEmpty()) {
                h = batchNorms.get(i).forward(h);
            }
            // the linear layer's output is fresh unless virtual batch norm made h from it and its reference
            h = r == null && batchNorms.isEmpty() ? activation.applyToFresh(h) : activation.apply(h);
            if (hidden != null) {
                hidden.add(h);
            }
        }
        if (mbd != null) {
            h = mbd.forward(h);
        }
        return Ops.linear(h, weight(depth), biases.get(depth));
    }

    private Tensor weight(int i) {
        SpectralNorm sn = spectral.get(i);
        return sn == null ? weights.get(i) : sn.normalise(weights.get(i));
    }

    /** o(xᵢ)_k = Σ_{j≠i} exp(−‖M_{i,k} − M_{j,k}‖₁), shape (n, K) ({@link MinibatchDiscrimination#closeness}). */
    public Tensor minibatchFeatures(Tensor f) {
        return mbd.closeness(f);
    }

    /** The hidden layers: feature matching can read any of them. */
    @Override
    public int featureLayers() {
        return depth;
    }

    /** The post-activation output (n, width) of hidden layer {@code layer} (negative: from the last). */
    @Override
    public Tensor features(Tensor x, int layer) {
        int i = FeatureCritic.resolveLayer(layer, depth);
        List<Tensor> hidden = new ArrayList<>();
        forward(x, hidden);
        return hidden.get(i);
    }

    /** Normalises h (n, w) with the reference batch r (N, w) plus each example itself; r with its own stats. */
    private Tensor[] virtualBatchNorm(Tensor h, Tensor r, int layer) {
        double n = r.size(0);
        Tensor mean = r.mean(new long[] {0}, true, null);
        Tensor sq = r.square().mean(new long[] {0}, true, null);
        Tensor mi = Ops.mul(Ops.mul(mean, n).add(h), 1 / (n + 1));
        Tensor sqi = Ops.mul(Ops.mul(sq, n).add(h.square()), 1 / (n + 1));
        Tensor vari = sqi.sub(mi.square());
        Tensor g = vbnGamma.get(layer);
        Tensor b = vbnBeta.get(layer);
        Tensor hn = h.sub(mi).div(Ops.add(vari, VBN_EPS).sqrt()).mul(g).add(b);
        Tensor rn = r.sub(mean).div(Ops.add(sq.sub(mean.square()), VBN_EPS).sqrt()).mul(g).add(b);
        return new Tensor[] {hn, rn};
    }

    @Override
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(params);
    }

    @Override
    public List<Parameter> buffers() {
        return Collections.unmodifiableList(buffers);
    }

    @Override
    public void train(boolean on) {
        training = on;
        for (BatchNorm bn : batchNorms) {
            bn.train(on);
        }
    }

    @Override
    public boolean isTraining() {
        return training;
    }

    /** True if the hidden layers are batch normalised. */
    public boolean batchNorm() {
        return !batchNorms.isEmpty();
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public int width() {
        return width;
    }

    public int depth() {
        return depth;
    }

    public Activation activation() {
        return activation;
    }

    /** The (spectrally normalised, if on) weight of layer i, for inspection and tests. */
    public Tensor effectiveWeight(int i) {
        return weight(i);
    }

    @Override
    public String toString() {
        return "Mlp(" + in + " -> " + width + "x" + depth + " " + activation.key() + (batchNorms.isEmpty() ? "" : " bn")
                + " -> " + out + ")";
    }

    /** Builds an {@link Mlp}; every field has a default except the input and output sizes. */
    public static final class Builder {
        private int in = -1;
        private int out = -1;
        private int width = 128;
        private int depth = 3;
        private Activation activation = Activation.RELU;
        private Init init = Init.TORCH;
        private boolean doubles;
        private Set<Integer> spectralLayers = Set.of();
        private int mbdKernels;
        private int mbdDim = 5;
        private int vbnReference;
        private boolean batchNorm;

        public Builder in(int v) {
            in = v;
            return this;
        }

        public Builder out(int v) {
            out = v;
            return this;
        }

        public Builder width(int v) {
            width = v;
            return this;
        }

        public Builder depth(int v) {
            depth = v;
            return this;
        }

        public Builder activation(Activation v) {
            activation = v;
            return this;
        }

        public Builder init(Init v) {
            init = v;
            return this;
        }

        /** Float64 parameters (for finite-difference tests; training uses float32). */
        public Builder doublePrecision(boolean v) {
            doubles = v;
            return this;
        }

        /** Spectrally normalise these layers (0 … depth; depth is the output layer). */
        public Builder spectralNorm(Set<Integer> layers) {
            spectralLayers = Set.copyOf(layers);
            return this;
        }

        /** Minibatch discrimination with K kernels of dimension C before the output layer (0: off). */
        public Builder minibatchDiscrimination(int kernels, int dim) {
            mbdKernels = kernels;
            mbdDim = dim;
            return this;
        }

        /** Virtual batch normalisation with a reference batch of this many N(0, I) inputs (0: off). */
        public Builder virtualBatchNorm(int referenceSize) {
            vbnReference = referenceSize;
            return this;
        }

        /** Batch normalisation of every hidden layer's pre-activation (off by default). */
        public Builder batchNorm(boolean v) {
            batchNorm = v;
            return this;
        }

        public Mlp build(Rng rng) {
            return new Mlp(this, rng);
        }
    }
}
