package io.ganflow.nn;

import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * How a layer makes its tensors: the weight {@link Init}, the generator every initial value is drawn from
 * (in construction order, so a net is reproducible from its seed), and the precision (float64 only for
 * tests against finite differences or recorded PyTorch values; training uses float32).
 */
public record LayerInit(Init init, Rng rng, boolean doubles) {
    public LayerInit(Init init, Rng rng) {
        this(init, rng, false);
    }

    /** The tensor in this precision, as a leaf that records gradients (a parameter). */
    public Tensor parameter(Tensor t) {
        Tensor c = cast(t);
        c.set_requires_grad(true);
        return c;
    }

    /** The tensor in this precision, not recording gradients (a buffer). */
    public Tensor buffer(Tensor t) {
        return cast(t);
    }

    private Tensor cast(Tensor t) {
        return doubles ? t.to(torch.ScalarType.Double) : t;
    }
}
