package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A transposed 2-D convolution with a square kernel, as PyTorch's
 * {@code nn.ConvTranspose2d(in, out, k, stride, padding)}: weight (in, out, k, k) (PyTorch's layout), optional
 * bias (out), output size (H − 1)·stride − 2·padding + k; k = 4, stride 2, padding 1 doubles H. Initial values
 * use PyTorch's fans for this layout (fan-in out·k·k). Spectral normalisation divides by the largest singular
 * value of the (out, in·k·k) reshape of the weight with its first two axes swapped, as PyTorch's
 * {@code spectral_norm(dim=1)}. Tensors: {@code weight}, {@code bias}; buffer {@code sn_u}.
 */
public final class ConvTranspose2d implements Module {
    private final long in;
    private final long out;
    private final long kernel;
    private final long stride;
    private final long padding;
    private final Tensor weight;
    private final Tensor bias;
    private final SpectralNorm sn;
    private final List<Parameter> params = new ArrayList<>();
    private final List<Parameter> buffers = new ArrayList<>();

    public ConvTranspose2d(LayerInit li, long in, long out, long kernel, long stride, long padding, boolean bias,
            boolean spectralNorm) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("bad ConvTranspose2d(" + in + ", " + out + ", k=" + kernel + ", stride="
                    + stride + ", padding=" + padding + ")");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long kk = kernel * kernel;
        this.weight = li.parameter(li.init().weight(new long[] {in, out, kernel, kernel}, out * kk, in * kk, li.rng()));
        params.add(new Parameter("weight", weight));
        if (bias) {
            this.bias = li.parameter(li.init().bias(out, out * kk, li.rng()));
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
        return Ops.convTranspose2d(x, effectiveWeight(), bias, stride, padding);
    }

    /** The weight the forward pass uses: W, or W/σ(W) with spectral normalisation (advancing u if autograd is on). */
    public Tensor effectiveWeight() {
        if (sn == null) {
            return weight;
        }
        Tensor m = weight.transpose(0, 1).reshape(out, -1);
        return sn.normalise(m).reshape(out, in, kernel, kernel).transpose(0, 1);
    }

    public long in() {
        return in;
    }

    public long out() {
        return out;
    }

    public long kernel() {
        return kernel;
    }

    public long stride() {
        return stride;
    }

    public long padding() {
        return padding;
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
        return "ConvTranspose2d(" + in + ", " + out + ", k=" + kernel + ", stride=" + stride + ", padding=" + padding
                + (bias == null ? ", no bias" : "") + (sn == null ? "" : ", spectral norm") + ")";
    }
}
