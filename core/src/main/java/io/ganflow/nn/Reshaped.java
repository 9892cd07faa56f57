package io.ganflow.nn;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A module on flat vectors used on shaped samples: the input batch is flattened to (n, in) and the output
 * reshaped to (n, outShape...). An MLP generator of images, or an MLP critic reading them, is one. As a
 * {@link FeatureCritic} it exposes the wrapped module's features (of the flattened input) when that module
 * exposes any.
 */
public final class Reshaped implements FeatureCritic {
    private final Module inner;
    private final long[] outShape;

    /** @param outShape the shape of one output sample, without the batch dimension */
    public Reshaped(Module inner, long[] outShape) {
        this.inner = inner;
        this.outShape = outShape.clone();
    }

    public Module inner() {
        return inner;
    }

    @Override
    public Tensor forward(Tensor x) {
        long n = x.size(0);
        Tensor y = inner.forward(x.dim() > 2 ? x.reshape(n, -1) : x);
        if (outShape.length == 1) {
            return y;
        }
        long[] shape = new long[outShape.length + 1];
        shape[0] = n;
        System.arraycopy(outShape, 0, shape, 1, outShape.length);
        return y.reshape(shape);
    }

    @Override
    public int featureLayers() {
        return inner instanceof FeatureCritic f ? f.featureLayers() : 0;
    }

    @Override
    public Tensor features(Tensor x, int layer) {
        if (!(inner instanceof FeatureCritic f)) {
            throw new IllegalArgumentException("the wrapped module " + inner + " exposes no features");
        }
        return f.features(x.dim() > 2 ? x.reshape(x.size(0), -1) : x, layer);
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public List<Parameter> buffers() {
        return inner.buffers();
    }

    @Override
    public void train(boolean on) {
        inner.train(on);
    }

    @Override
    public boolean isTraining() {
        return inner.isTraining();
    }
}
