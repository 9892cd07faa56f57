package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A 2-D convolution with a square kernel, as PyTorch's {@code nn.Conv2d(in, out, k, stride, padding)}: weight
 * (out, in, k, k), optional bias (out), input (n, in, H, W), output (n, out, H', W') with
 * H' = ⌊(H + 2·padding − k)/stride⌋ + 1. With spectral normalisation the weight is divided by the largest
 * singular value of its (out, in·k·k) reshape (Miyato et al. 2018, as PyTorch's {@code spectral_norm}), by the
 * power iteration of {@link SpectralNorm}. Tensors: {@code weight}, {@code bias}; buffer {@code sn_u}.
 */
public final class Conv2d implements Module {
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

    public Conv2d(LayerInit li, long in, long out, long kernel, long stride, long padding, boolean bias,
            boolean spectralNorm) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("bad Conv2d(" + in + ", " + out + ", k=" + kernel + ", stride=" + stride
                    + ", padding=" + padding + ")");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long kk = kernel * kernel;
        this.weight = li.parameter(li.init().weight(new long[] {out, in, kernel, kernel}, in * kk, out * kk, li.rng()));
        params.add(new Parameter("weight", weight));
        if (bias) {
            this.bias = li.parameter(li.init().bias(out, in * kk, li.rng()));
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
        return Ops.conv2d(x, effectiveWeight(), bias, stride, padding);
    }

    /** The weight the forward pass uses: W, or W/σ(W) with spectral normalisation (advancing u if autograd is on). */
    public Tensor effectiveWeight() {
        if (sn == null) {
            return weight;
        }
        return sn.normalise(weight.reshape(out, -1)).reshape(out, in, kernel, kernel);
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
        return "Conv2d(" + in + ", " + out + ", k=" + kernel + ", stride=" + stride + ", padding=" + padding
                + (bias == null ? ", no bias" : "") + (sn == null ? "" : ", spectral norm") + ")";
    }
}
