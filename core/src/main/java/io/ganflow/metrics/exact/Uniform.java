package io.ganflow.metrics.exact;

/** The uniform density on [a, b]. */
public record Uniform(double a, double b) implements Density1D {
    public Uniform {
        if (!(b > a)) {
            throw new IllegalArgumentException("uniform needs a < b, got [" + a + ", " + b + "]");
        }
    }

    @Override
    public double pdf(double x) {
        return x >= a && x <= b ? 1 / (b - a) : 0;
    }

    @Override
    public double cdf(double x) {
        return x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a);
    }

    @Override
    public double lower() {
        return a;
    }

    @Override
    public double upper() {
        return b;
    }

    @Override
    public double[] breakpoints() {
        return new double[] {a, b};
    }
}
