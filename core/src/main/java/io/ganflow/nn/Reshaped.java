package io.ganflow.nn;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A module on flat vectors used on shaped samples: the input batch is flattened to (n, in) and the output
 * reshaped to (n, outShape...). An MLP generator of images, or an MLP critic reading them, is one.
 */
public final class Reshaped implements Module {
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
