package io.ganflow.flow;

import io.ganflow.nn.VelocityNet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Activation;
import io.ganflow.optim.Optimizer;
import io.ganflow.optim.OptimizerSpec;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** SPEC C: the rectified-flow loss against its closed-form minimiser, and the solvers' orders. */
class FlowTest {
    /**
     * N(0, 1) → N(m, s²) under the independent coupling: x_t ~ N(t m, σ_t²) with σ_t² = (1 − t)² + t² s², and
     * (x1 − x0, x_t) are jointly Gaussian, so v*(x, t) = E[x1 − x0 | x_t = x] = m + (t s² − (1 − t))/σ_t²·(x − t m).
     * The trained v matches it within 0.1 on t ∈ {0.1, …, 0.9}, |x − t m| ≤ 1.5 σ_t; RK4 samples have mean m and
     * std s within 0.05.
     */
    @Test
    void rectifiedFlowBetweenGaussiansLearnsTheClosedFormVelocity() {
        double m = 2.0;
        double s = 0.5;
        Rng rng = new Rng(1);
        VelocityNet v = new VelocityNet(1, 64, 2, Activation.SILU, "sinusoidal", 8, rng);
        Optimizer opt = OptimizerSpec.adam(2e-3, 0.9, 0.999).create(v.parameters());
        Sampler p0 = Sampler.normal(0, 1);
        Sampler p1 = Sampler.normal(m, s);
        for (int i = 0; i < 4000; i++) {
            try (Scope sc = Scope.open()) {
                if (i == 3000) {
                    opt.setLearningRate(5e-4);
                }
                Tensor loss = RectifiedFlow.loss(v::velocity, p0.sample(1024, rng), p1.sample(1024, rng), rng);
                opt.step(Ops.grad(loss, v.tensors(), false));
            }
        }
        double worst = 0;
        for (double t = 0.1; t < 0.95; t += 0.2) {
            double mu = t * m;
            double var = (1 - t) * (1 - t) + t * t * s * s;
            double[] xs = new double[13];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = mu + Math.sqrt(var) * (-1.5 + 3.0 * i / (xs.length - 1));
            }
            final double tt = t;
            double[] got;
            try (Scope sc = Scope.open()) {
                got = Ops.noGrad(() -> Ops.toDoubles(v.velocity(Ops.fromDoubles(xs, xs.length, 1).to(torch.ScalarType.Float), tt)));
            }
            for (int i = 0; i < xs.length; i++) {
                double want = m + (t * s * s - (1 - t)) / var * (xs[i] - mu);
                worst = Math.max(worst, Math.abs(got[i] - want));
            }
        }
        assertTrue(worst < 0.1, "max |v − v*| = " + worst);
        try (Scope sc = Scope.open()) {
            double[] x = Ops.toDoubles(Solver.RK4.solve(v::velocity, p0.sample(20_000, new Rng(2)), 0, 1,
                    Solver.Options.steps(20)).x());
            double mean = java.util.Arrays.stream(x).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(x).map(a -> (a - mean) * (a - mean)).average().orElseThrow());
            assertEquals(m, mean, 0.05);
            assertEquals(s, sd, 0.05);
        }
    }

    /** dx/dt = cos(t)·x, x(0) = 1: x(1) = e^{sin 1}. Returns |x̂(1) − x(1)| and the NFE. */
    static double[] error(Solver s, Solver.Options o) {
        try (Scope sc = Scope.open()) {
            Tensor x0 = Ops.fromDoubles(new double[] {1.0, -0.5}, 2, 1);
            Solver.Result r = s.solve((x, t) -> Ops.mul(x, Math.cos(t)), x0, 0, 1, o);
            double[] got = Ops.toDoubles(r.x());
            double e = Math.exp(Math.sin(1));
            return new double[] {Math.max(Math.abs(got[0] - e), Math.abs(got[1] + 0.5 * e)), r.nfe()};
        }
    }

    static double order(Solver s, int n) {
        return Math.log(error(s, Solver.Options.steps(n))[0] / error(s, Solver.Options.steps(2 * n))[0]) / Math.log(2);
    }

    @Test
    void solversConvergeAtTheirOrders() {
        assertEquals(1, order(Solver.EULER, 64), 0.1);
        assertEquals(2, order(Solver.HEUN, 64), 0.1);
        assertEquals(4, order(Solver.RK4, 16), 0.15);
        assertEquals(64, (int) error(Solver.EULER, Solver.Options.steps(64))[1]);
        assertEquals(128, (int) error(Solver.HEUN, Solver.Options.steps(64))[1]);
        assertEquals(64, (int) error(Solver.RK4, Solver.Options.steps(16))[1]);
    }

    /** Dormand–Prince meets its tolerance, and with fewer evaluations than RK4 needs for the same error. */
    @Test
    void dormandPrinceMeetsItsToleranceWithFewerEvaluationsThanRk4() {
        double[] dp = error(Solver.DOPRI5, Solver.Options.tolerances(1e-10, 1e-10));
        assertTrue(dp[0] < 1e-8, "dopri5 error " + dp[0]);
        int rk4Nfe = 0;
        for (int n = 1; n < 1 << 14; n *= 2) {
            double[] r = error(Solver.RK4, Solver.Options.steps(n));
            if (r[0] <= dp[0]) {
                rk4Nfe = (int) r[1];
                break;
            }
        }
        assertTrue(rk4Nfe > dp[1], "dopri5 NFE " + dp[1] + " (error " + dp[0] + ") against RK4 NFE " + rk4Nfe);
    }

    /** Straightness is 0 for a constant field (straight lines) and positive for a rotation. */
    @Test
    void straightnessOfKnownFields() {
        try (Scope sc = Scope.open()) {
            Tensor x0 = new Rng(3).normal(100, 2).to(torch.ScalarType.Double);
            Tensor c = Ops.fromDoubles(new double[] {1.0, -2.0}, 1, 2);
            assertEquals(0.0, RectifiedFlow.straightness((x, t) -> c.expand(x.size(0), 2), x0, 50), 1e-20);
            // rotation at angular speed 1: x_t = R(t) x0, chord c = (R(1) − I) x0 with |c|² = r²(2 − 2 cos 1),
            // ⟨c, v_t⟩ = r²(sin(1 − t) + sin t) and |v_t| = r, so S = E r² (2 cos 1 − 1)
            Tensor rot = Ops.fromDoubles(new double[] {0, 1, -1, 0}, 2, 2);
            double got = RectifiedFlow.straightness((x, t) -> x.matmul(rot), x0, 200);
            double want = 0;
            for (double[] q : Ops.toRows(x0)) {
                want += (q[0] * q[0] + q[1] * q[1]) * (2 * Math.cos(1) - 1) / 100;
            }
            assertTrue(got > 0.05, "a rotation is not straight: " + got);
            assertEquals(want, got, 1e-3 * want);
        }
    }
}
