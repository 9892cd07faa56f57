package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.metrics.exact.Divergences1D;
import io.ganflow.metrics.exact.Normal;
import io.ganflow.metrics.exact.Quadrature;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.optim.OptimizerSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** f-GAN (A8): every conjugate checked against its definition, the bound's tightness, and trained bounds. */
class FDivergenceTest {
    static final Normal P = new Normal(0, 1);
    static final Normal Q = new Normal(1, 1.5);

    /** sup_{u ≥ 0} (t·u − f(u)) by golden-section search on the concave function, after bracketing. */
    static double supremum(FDivergence d, double t) {
        double lo = 0;
        double hi = 1;
        while (hi < 1e7 && t * (2 * hi) - d.f().f(2 * hi) > t * hi - d.f().f(hi)) {
            hi *= 2;
        }
        hi *= 2;
        double g = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 300; i++) {
            double a = hi - g * (hi - lo);
            double b = lo + g * (hi - lo);
            if (t * a - d.f().f(a) > t * b - d.f().f(b)) {
                hi = b;
            } else {
                lo = a;
            }
        }
        double u = 0.5 * (lo + hi);
        return Math.max(t * u - d.f().f(u), -d.f().f(0));
    }

    @ParameterizedTest
    @EnumSource(FDivergence.class)
    void conjugateIsTheSupremumOfItsDefinition(FDivergence d) {
        int checked = 0;
        for (double v = -3; v <= 3; v += 0.25) {
            double t = d.activation(v); // every t the output activation can produce
            double want = supremum(d, t);
            double got = d.conjugate(t);
            assertEquals(want, got, 1e-6 * Math.max(1, Math.abs(want)), d + " at t = " + t);
            // the tensor form agrees with the scalar form, and f*(g_f(v)) is computed stably
            double tensor = Ops.item(d.conjugateOfActivation(Ops.fromDoubles(new double[] {v}, 1)));
            assertEquals(got, tensor, 1e-9 * Math.max(1, Math.abs(got)), d + " tensor form at v = " + v);
            double act = Ops.item(d.activation(Ops.fromDoubles(new double[] {v}, 1)));
            assertEquals(t, act, 1e-12, d + " activation at v = " + v);
            checked++;
        }
        assertTrue(checked > 20);
    }

    @ParameterizedTest
    @EnumSource(FDivergence.class)
    void fenchelEqualityHoldsAtTheDerivative(FDivergence d) {
        for (double u : new double[] {0.1, 0.5, 0.9, 1.7, 3.0, 8.0}) {
            if (d == FDivergence.TV && Math.abs(u - 1) < 1e-9) {
                continue;
            }
            double t = d.derivative(u);
            assertEquals(u * t - d.f().f(u), d.conjugate(t), 1e-10, d + " at u = " + u);
        }
    }

    /** T*(x) = f′(p(x)/q(x)) attains the bound: E_p T* − E_q f*(T*) = D_f(p‖q), by quadrature. */
    @ParameterizedTest
    @EnumSource(FDivergence.class)
    void optimalCriticAttainsTheBound(FDivergence d) {
        double bound = Quadrature.integrate(x -> {
            double p = P.pdf(x);
            double q = Q.pdf(x);
            if (p == 0 || q == 0) {
                return 0;
            }
            double t = d.derivative(p / q);
            return p * t - q * d.conjugate(t);
        }, -30, 30, 1e-12);
        double exact = Divergences1D.f(d.f(), P, Q);
        assertEquals(exact, bound, 1e-7 * Math.max(1, exact), d.toString());
    }

    /** A trained critic's variational bound lies within 10 % of the true divergence (quadrature). */
    @ParameterizedTest
    @EnumSource(FDivergence.class)
    void trainedBoundIsWithinTenPercent(FDivergence d) {
        Rng rng = new Rng(5);
        Mlp t = Mlp.builder().in(1).out(1).width(64).depth(2).activation(Activation.TANH).build(rng);
        Objective o = d.objective();
        CriticFit.fit(t, o, List.of(), OptimizerSpec.adam(2e-3, 0.9, 0.999).create(t.parameters()),
                Sampler.normal(0, 1), Sampler.normal(1, 1.5), 3000, 512, rng);
        double est = CriticFit.estimate(t, o, Sampler.normal(0, 1), Sampler.normal(1, 1.5), 200_000, new Rng(6));
        double exact = Divergences1D.f(d.f(), P, Q);
        assertTrue(Math.abs(est - exact) <= 0.1 * exact, d + ": trained bound " + est + ", exact " + exact);
    }
}
