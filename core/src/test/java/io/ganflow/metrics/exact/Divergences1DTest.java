package io.ganflow.metrics.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exact divergences against closed forms. */
class Divergences1DTest {
    static final double LN2 = Math.log(2);

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1, 0.37, 0.5, 0.99, 1.0, 1.5, 3.0, -0.25, -2.0})
    void shiftedUniformsMatchTheDocuments(double theta) {
        Map<String, Double> m = DocumentExamples.shiftedUniforms(theta);
        double a = Math.abs(theta);
        assertEquals(Math.min(a, 1) * LN2, m.get("js"), 1e-12, "JS = |θ| ln 2, saturating at ln 2");
        assertEquals(a, m.get("w1"), 1e-12, "W1 = |θ|");
        assertEquals(Math.min(a, 1), m.get("tv"), 1e-12, "TV");
        assertEquals(theta == 0 ? 0.0 : Double.POSITIVE_INFINITY, m.get("kl"), "KL is infinite, not NaN");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1e-9, 0.01, 0.5, 1.0, 4.0, -3.0})
    void parallelSegmentsMatchTheDocuments(double theta) {
        Map<String, Double> m = DocumentExamples.parallelSegments(theta);
        boolean same = theta == 0;
        assertEquals(same ? 0.0 : LN2, m.get("js"), 1e-12, "JS jumps from 0 at θ = 0 to ln 2 for any θ ≠ 0");
        assertEquals(same ? 0.0 : 1.0, m.get("tv"), 1e-12);
        assertEquals(same ? 0.0 : Double.POSITIVE_INFINITY, m.get("kl"));
        assertEquals(Math.abs(theta), m.get("w1"), 1e-12, "W1 = |θ| is continuous in θ");
    }

    @Test
    void gaussianKlMatchesClosedForm() {
        double[][] cases = {{0, 1, 1, 1.5}, {0, 1, 0, 1}, {2, 0.5, -1, 3}, {0, 10, 0, 1}, {0, 1, 0, 10}};
        for (double[] c : cases) {
            double m1 = c[0];
            double s1 = c[1];
            double m2 = c[2];
            double s2 = c[3];
            double want = Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
            double got = Divergences1D.kl(new Normal(m1, s1), new Normal(m2, s2));
            assertEquals(want, got, 1e-10 * Math.max(1, want), java.util.Arrays.toString(c));
            double rev = Divergences1D.f(FFunction.REVERSE_KL, new Normal(m2, s2), new Normal(m1, s1));
            assertEquals(want, rev, 1e-10 * Math.max(1, want), "reverse KL(q‖p) = KL(p‖q) " + java.util.Arrays.toString(c));
        }
    }

    @Test
    void gaussianHellingerAndW1MatchClosedForms() {
        double m1 = 0.3;
        double s1 = 0.8;
        double m2 = -1.1;
        double s2 = 1.7;
        double v = s1 * s1 + s2 * s2;
        double hell = 2 * (1 - Math.sqrt(2 * s1 * s2 / v) * Math.exp(-(m1 - m2) * (m1 - m2) / (4 * v)));
        assertEquals(hell, Divergences1D.f(FFunction.HELLINGER, new Normal(m1, s1), new Normal(m2, s2)), 1e-11);
        // equal widths: W1 is the shift
        assertEquals(1.4, Divergences1D.w1(new Normal(m1, 0.7), new Normal(m2, 0.7)), 1e-9);
    }

    @Test
    void pearsonChiSquaredOfGaussiansMatchesClosedForm() {
        // chi2(N(m1, s^2) || N(m2, s^2)) = exp((m1 - m2)^2 / s^2) - 1
        double got = Divergences1D.f(FFunction.PEARSON, new Normal(0.5, 1), new Normal(0, 1));
        assertEquals(Math.exp(0.25) - 1, got, 1e-10);
    }

    @Test
    void disjointSupportsGiveSingularValues() {
        Uniform p = new Uniform(0, 1);
        Uniform q = new Uniform(2, 3);
        assertEquals(LN2, Divergences1D.js(p, q), 1e-15);
        assertEquals(1.0, Divergences1D.tv(p, q), 1e-15);
        assertEquals(2.0, Divergences1D.f(FFunction.HELLINGER, p, q), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, Divergences1D.kl(p, q));
        assertEquals(Double.POSITIVE_INFINITY, Divergences1D.f(FFunction.REVERSE_KL, p, q));
        assertEquals(2.0, Divergences1D.w1(p, q), 1e-12);
    }

    @Test
    void erfcMatchesKnownValues() {
        // Abramowitz & Stegun table values
        assertEquals(1.0, Special.erfc(0), 1e-16);
        assertEquals(0.4795001221869535, Special.erfc(0.5), 1e-15);
        assertEquals(0.15729920705028513, Special.erfc(1.0), 1e-15);
        assertEquals(0.004677734981047266, Special.erfc(2.0), 1e-16);
        assertEquals(2.209049699858544e-05, Special.erfc(3.0), 1e-19);
        assertEquals(1.5374597944280349e-12, Special.erfc(5.0), 1e-25);
        assertEquals(2 - 0.15729920705028513, Special.erfc(-1.0), 1e-15);
    }
}
