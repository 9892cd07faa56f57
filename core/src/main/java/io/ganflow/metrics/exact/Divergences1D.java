package io.ganflow.metrics.exact;

import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

/**
 * Exact divergences between two 1-D densities, by piecewise numerical integration. The real line is cut
 * at every breakpoint of either density, so each piece is smooth and lies either in both supports, in
 * one, or in neither. Mass of p where q vanishes makes KL infinite (a real +∞, never NaN), and in general
 * contributes f′(∞) per unit mass; mass of q where p vanishes contributes f(0).
 */
public final class Divergences1D {
    private static final double TOL = 1e-13;

    private Divergences1D() {}

    /** D_f(p‖q) = ∫ q f(p/q) dx, with the limits of {@link FFunction} where a density vanishes. */
    public static double f(FFunction fn, Density1D p, Density1D q) {
        double total = 0;
        double[] cuts = cuts(p, q);
        for (int i = 0; i + 1 < cuts.length; i++) {
            double a = cuts[i];
            double b = cuts[i + 1];
            double mid = midpoint(a, b);
            boolean inP = p.pdf(mid) > 0 || inSupport(p, mid);
            boolean inQ = q.pdf(mid) > 0 || inSupport(q, mid);
            if (inP && inQ) {
                DoubleUnaryOperator g = x -> integrand(fn, p.logPdf(x), q.logPdf(x));
                total += Quadrature.integrate(g, a, b, TOL);
            } else if (inP) {
                double mass = p.cdf(b) - p.cdf(a);
                if (mass > 0) {
                    total += mass * fn.slopeAtInfinity();
                }
            } else if (inQ) {
                double mass = q.cdf(b) - q.cdf(a);
                if (mass > 0) {
                    total += mass * fn.atZero();
                }
            }
            if (total == Double.POSITIVE_INFINITY) {
                return total;
            }
        }
        return total;
    }

    /**
     * q·f(p/q) from the log densities, without overflow: as q·f(t) with t = p/q ≤ 1, or as p·(f(t)/t)
     * with f(t)/t taken from log t when t > 1 (so Gaussian tails with q ≪ p stay exact).
     */
    static double integrand(FFunction fn, double lp, double lq) {
        if (lp == Double.NEGATIVE_INFINITY && lq == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        if (lp <= lq) {
            double qx = Math.exp(lq);
            return qx == 0 ? 0 : qx * fn.fFromLog(lp - lq);
        }
        double px = Math.exp(lp);
        return px == 0 ? 0 : px * fn.fOverT(lp - lq);
    }

    public static double kl(Density1D p, Density1D q) {
        return f(FFunction.KL, p, q);
    }

    /** Jensen–Shannon divergence in nats, in [0, ln 2]. */
    public static double js(Density1D p, Density1D q) {
        return f(FFunction.JS, p, q);
    }

    /** Total variation ½∫|p − q|, in [0, 1]. */
    public static double tv(Density1D p, Density1D q) {
        return f(FFunction.TV, p, q);
    }

    /** W1 = ∫|F_p(x) − F_q(x)| dx. */
    public static double w1(Density1D p, Density1D q) {
        double total = 0;
        double[] cuts = cuts(p, q);
        for (int i = 0; i + 1 < cuts.length; i++) {
            total += Quadrature.integrate(x -> Math.abs(p.cdf(x) - q.cdf(x)), cuts[i], cuts[i + 1], TOL);
        }
        return total;
    }

    /** −∞, every breakpoint of p and q, +∞ (sorted, distinct). */
    static double[] cuts(Density1D p, Density1D q) {
        TreeSet<Double> s = new TreeSet<>();
        s.add(Double.NEGATIVE_INFINITY);
        s.add(Double.POSITIVE_INFINITY);
        for (double b : p.breakpoints()) {
            s.add(b);
        }
        for (double b : q.breakpoints()) {
            s.add(b);
        }
        double[] out = new double[s.size()];
        int i = 0;
        for (double d : s) {
            out[i++] = d;
        }
        return out;
    }

    private static boolean inSupport(Density1D d, double x) {
        return x >= d.lower() && x <= d.upper() && d.pdf(x) > 0;
    }

    private static double midpoint(double a, double b) {
        if (Double.isInfinite(a) && Double.isInfinite(b)) {
            return 0;
        }
        if (Double.isInfinite(a)) {
            return b - 1;
        }
        if (Double.isInfinite(b)) {
            return a + 1;
        }
        return 0.5 * (a + b);
    }
}
