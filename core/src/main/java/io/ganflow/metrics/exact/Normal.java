package io.ganflow.metrics.exact;

/** The normal density N(μ, σ²). */
public record Normal(double mu, double sigma) implements Density1D {
    public Normal {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("normal needs sigma > 0, got " + sigma);
        }
    }

    @Override
    public double pdf(double x) {
        return Math.exp(logPdf(x));
    }

    @Override
    public double logPdf(double x) {
        double z = (x - mu) / sigma;
        return -0.5 * z * z - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
    }

    @Override
    public double cdf(double x) {
        return 0.5 * Special.erfc(-(x - mu) / (sigma * Math.sqrt(2)));
    }

    @Override
    public double lower() {
        return Double.NEGATIVE_INFINITY;
    }

    @Override
    public double upper() {
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public double[] breakpoints() {
        return new double[] {mu};
    }
}
