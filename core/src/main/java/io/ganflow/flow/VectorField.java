package io.ganflow.flow;

import org.bytedeco.pytorch.Tensor;

/** dx/dt = f(x, t) for a batch of states x (n, shape...) at a common time t; f returns the same shape. */
@FunctionalInterface
public interface VectorField {
    Tensor at(Tensor x, double t);
}
