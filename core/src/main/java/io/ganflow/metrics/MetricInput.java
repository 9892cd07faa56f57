package io.ganflow.metrics;

import io.ganflow.data.Mixture;
import io.ganflow.engine.Ops;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * What a {@link Metric} sees: both samples as rows and, made on first use inside the caller's native
 * scope, as float64 tensors; the mixture when the data has known modes; the suite's options.
 */
public final class MetricInput {
    private final double[][] real;
    private final double[][] fake;
    private final Mixture mixture;
    private final MetricSuite.Options options;
    private Tensor x;
    private Tensor y;

    public MetricInput(double[][] real, double[][] fake, Mixture mixture, MetricSuite.Options options) {
        this.real = real;
        this.fake = fake;
        this.mixture = mixture;
        this.options = options;
    }

    public double[][] real() {
        return real;
    }

    public double[][] fake() {
        return fake;
    }

    public Optional<Mixture> mixture() {
        return Optional.ofNullable(mixture);
    }

    public MetricSuite.Options options() {
        return options;
    }

    /** Points per side for metrics that need equal sizes: min(n, m, the exact-transport limit). */
    public int paired() {
        return Math.min(Math.min(real.length, fake.length), Transport.MAX_EXACT);
    }

    /** "n real vs m generated", for protocols. */
    public String sizes() {
        return real.length + " real vs " + fake.length + " generated";
    }

    public Tensor realTensor() {
        if (x == null) {
            x = Ops.fromRowsExact(real);
        }
        return x;
    }

    public Tensor fakeTensor() {
        if (y == null) {
            y = Ops.fromRowsExact(fake);
        }
        return y;
    }
}
