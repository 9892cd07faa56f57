package io.ganflow.nn;

import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;

/**
 * A time-dependent vector field v(x, t) with trainable parameters: the velocity of a rectified flow. x is a
 * batch (n, shape...) of the data's shape; v returns the same shape. Implementations: the MLP
 * {@code io.ganflow.nn.VelocityNet}, and any net registered for {@code model.v.kind}.
 */
public interface VelocityModel extends Module {
    /** v(x, t) with x (n, shape...) and t (n, 1). */
    Tensor velocity(Tensor x, Tensor t);

    /**
     * v(x, t) given the class of each sample, for a conditional field (a label embedding added to the time
     * embedding); an unconditional field refuses labels.
     */
    default Tensor velocity(Tensor x, Tensor t, java.util.Optional<Tensor> labels) {
        if (labels.isPresent()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " is not conditional and takes no class"
                    + " labels");
        }
        return velocity(x, t);
    }

    /** v(x, t) at one time t for the whole batch. */
    default Tensor velocity(Tensor x, double t) {
        // made with x's options: on x's device and of its type, inside the step
        return velocity(x, org.bytedeco.pytorch.global.torch.full(new long[] {x.size(0), 1}, Ops.s(t), x.options()));
    }
}
