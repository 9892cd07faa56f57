package io.ganflow.metrics.exact;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The documents' worked examples (seed 002), computed by the general machinery rather than by their
 * closed forms, so tests can compare the two.
 *
 * <ul>
 *   <li>Shifted uniforms: p = U[0, 1], q = U[θ, θ + 1]. JS = |θ|·ln 2 for |θ| ≤ 1 and ln 2 beyond;
 *       W1 = |θ|; KL = ∞ for θ ≠ 0; TV = min(|θ|, 1).</li>
 *   <li>Parallel segments: p = {0}×U[0, 1], q = {θ}×U[0, 1] in the plane. For θ ≠ 0 the supports are
 *       disjoint lines, so JS = ln 2, KL = ∞, TV = 1, whatever θ; at θ = 0 all are 0. W1 = |θ|. (Seed 002
 *       prints the two JS cases swapped.)</li>
 * </ul>
 */
public final class DocumentExamples {
    private DocumentExamples() {}

    /** KL, JS, TV and W1 between U[0, 1] and U[θ, θ + 1]. */
    public static Map<String, Double> shiftedUniforms(double theta) {
        Density1D p = new Uniform(0, 1);
        Density1D q = new Uniform(theta, theta + 1);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("kl", Divergences1D.kl(p, q));
        m.put("js", Divergences1D.js(p, q));
        m.put("tv", Divergences1D.tv(p, q));
        m.put("w1", Divergences1D.w1(p, q));
        return m;
    }

    /**
     * KL, JS, TV and W1 between the segments {0}×U[0, 1] and {θ}×U[0, 1]. Measures on different vertical
     * lines are mutually singular, so every f-divergence takes its singular value f(0) + f′(∞); on the same
     * line it reduces to the 1-D divergence of the y-marginals. W1 couples the y-marginals by quantiles,
     * which is optimal because the cost √(θ² + Δy²) is convex in Δy.
     */
    public static Map<String, Double> parallelSegments(double theta) {
        Density1D py = new Uniform(0, 1);
        Density1D qy = new Uniform(0, 1);
        Map<String, Double> m = new LinkedHashMap<>();
        for (FFunction f : new FFunction[] {FFunction.KL, FFunction.JS, FFunction.TV}) {
            m.put(f.name(), theta == 0 ? Divergences1D.f(f, py, qy) : f.atZero() + f.slopeAtInfinity());
        }
        m.put("w1", Quadrature.integrate(u -> Math.hypot(theta, quantile(qy, u) - quantile(py, u)), 0, 1, 1e-13));
        return m;
    }

    /** The u-quantile of a density, by bisection on its CDF. */
    static double quantile(Density1D d, double u) {
        double lo = Double.isFinite(d.lower()) ? d.lower() : -1e6;
        double hi = Double.isFinite(d.upper()) ? d.upper() : 1e6;
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (d.cdf(mid) < u) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
