package io.ganflow.data;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;

/** Anything that draws (n, d) samples with a seeded generator. Every {@link Dataset} is one. */
@FunctionalInterface
public interface Sampler {
    Tensor sample(int n, Rng rng);

    /** 1-D N(μ, σ²), shape (n, 1). */
    static Sampler normal(double mu, double sigma) {
        return (n, rng) -> Ops.add(Ops.mul(rng.normal(n, 1), sigma), mu);
    }

    /** 1-D U[a, b], shape (n, 1). */
    static Sampler uniform(double a, double b) {
        return (n, rng) -> Ops.add(Ops.mul(rng.uniform(n, 1), b - a), a);
    }
}
