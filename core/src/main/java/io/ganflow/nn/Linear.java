package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A fully connected layer y = x Wᵀ + b, as PyTorch's {@code nn.Linear(in, out)}: weight (out, in), optional bias
 * (out), optionally spectrally normalised. Tensors: {@code weight}, {@code bias}; buffer {@code sn_u}.
 */
public final class Linear implements Module {
    private final long in;
    private final long out;
    private final Tensor weight;
    private final Tensor bias;
    private final SpectralNorm sn;
    private final List<Parameter> params = new ArrayList<>();
    private final List<Parameter> buffers = new ArrayList<>();

    public Linear(LayerInit li, long in, long out, boolean bias, boolean spectralNorm) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("bad Linear(" + in + ", " + out + ")");
        }
        this.in = in;
        this.out = out;
        this.weight = li.parameter(li.init().weight(new long[] {out, in}, in, out, li.rng()));
        params.add(new Parameter("weight", weight));
        if (bias) {
            this.bias = li.parameter(li.init().bias(out, in, li.rng()));
            params.add(new Parameter("bias", this.bias));
        } else {
            this.bias = null;
        }
        this.sn = spectralNorm ? new SpectralNorm(out, li.rng(), li.doubles()) : null;
        if (sn != null) {
            buffers.add(new Parameter("sn_u", sn.u()));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.linear(x, effectiveWeight(), bias);
    }

    /** W, or W/σ(W) with spectral normalisation (advancing u if autograd is on). */
    public Tensor effectiveWeight() {
        return sn == null ? weight : sn.normalise(weight);
    }

    public long in() {
        return in;
    }

    public long out() {
        return out;
    }

    public boolean hasBias() {
        return bias != null;
    }

    public boolean spectralNorm() {
        return sn != null;
    }

    @Override
    public List<Parameter> parameters() {
        return List.copyOf(params);
    }

    @Override
    public List<Parameter> buffers() {
        return List.copyOf(buffers);
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + (bias == null ? ", no bias" : "") + (sn == null ? "" : ", spectral norm")
                + ")";
    }
}
