package io.ganflow.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * A velocity (or score) net that reads its time through one embedding e(t): v(x, t) = field(x, e(t)). A class
 * embedding added to e(t) makes it conditional ({@link LabelledVelocityNet}), the way diffusion U-Nets take a
 * class.
 */
public interface EmbeddedField extends VelocityModel {
    /** The time embedding e(t), (n, {@link #embedWidth()}), for t of shape (n, 1) of x's type. */
    Tensor embed(Tensor t);

    /** The field at x given an embedding e (n, {@link #embedWidth()}); velocity(x, t) = field(x, embed(t)). */
    Tensor field(Tensor x, Tensor e);

    /** The width of the embedding the net adds its conditioning to. */
    long embedWidth();
}
