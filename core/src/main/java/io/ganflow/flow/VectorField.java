package io.ganflow.flow;

import org.bytedeco.pytorch.Tensor;

/** dx/dt = f(x, t) for a batch of states x (n, d) at a common time t. */
@FunctionalInterface
public interface VectorField {
    Tensor at(Tensor x, double t);
}
