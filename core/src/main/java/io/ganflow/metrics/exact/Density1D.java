package io.ganflow.metrics.exact;

/**
 * A probability density on the real line, known in closed form. The support is [lower, upper] (either may
 * be infinite) and the density is smooth between consecutive {@link #breakpoints()}, which must include
 * every point where it jumps or has a kink, and the support's finite ends.
 */
public interface Density1D {
    double pdf(double x);

    /** log pdf(x), −∞ outside the support; override when the density underflows in its tails. */
    default double logPdf(double x) {
        return Math.log(pdf(x));
    }

    double cdf(double x);

    double lower();

    double upper();

    /** Sorted points where the density may be non-smooth, including finite support ends. */
    double[] breakpoints();
}
