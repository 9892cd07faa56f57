package io.ganflow.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.VelocityModel;
import io.ganflow.optim.OptimizerSpec;
import io.ganflow.train.SampleRequest;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The forward process against its closed forms, DDIM's step choice, and the samplers run with the exact noise
 * predictor of Gaussian data: there the truth is known, so every sampler must return the data distribution.
 */
class DiffusionTest {
    @Test
    void linearScheduleIsDdpms() {
        NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
        assertEquals(1000, s.steps());
        assertEquals(1e-4, s.beta(1), 1e-15);
        assertEquals(0.02, s.beta(1000), 1e-15);
        assertEquals(1e-4 + (0.02 - 1e-4) * 499 / 999, s.beta(500), 1e-15);
        // ᾱ_t as exp Σ log(1 − β_s), an independent summation of the product
        double logSum = 0;
        for (int t = 1; t <= 1000; t++) {
            logSum += Math.log1p(-(1e-4 + (0.02 - 1e-4) * (t - 1) / 999));
            assertEquals(Math.exp(logSum), s.alphaBar(t), 1e-12 * Math.max(1, Math.exp(logSum)) + 1e-15, "t = " + t);
        }
        assertEquals(1.0, s.alphaBar(0));
        assertTrue(s.alphaBar(1000) > 4.0e-5 && s.alphaBar(1000) < 4.1e-5, "DDPM's ᾱ_T ≈ 4.04e-5: " + s.alphaBar(1000));
        assertEquals((1 - s.alphaBar(499)) / (1 - s.alphaBar(500)) * s.beta(500), s.betaTilde(500), 1e-15);
    }

    @Test
    void cosineScheduleFollowsItsClosedForm() {
        NoiseSchedule s = NoiseSchedule.cosine(1000);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int t = 1; t <= 980; t++) {
            double want = Math.pow(Math.cos((t / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2) / f0;
            assertEquals(want, s.alphaBar(t), 1e-12, "t = " + t);
        }
        for (int t = 1; t <= 1000; t++) {
            assertTrue(s.beta(t) > 0 && s.beta(t) <= 0.999, "t = " + t);
            assertTrue(s.alphaBar(t) < s.alphaBar(t - 1));
        }
    }

    @Test
    void ddimSpacings() {
        assertArrayEquals(new int[] {1000, 900, 800, 700, 600, 500, 400, 300, 200, 100},
                DiffusionMethod.timesteps(1000, 10, "trailing"));
        assertArrayEquals(new int[] {901, 801, 701, 601, 501, 401, 301, 201, 101, 1},
                DiffusionMethod.timesteps(1000, 10, "leading"), "leading never starts at T");
        int[] lin = DiffusionMethod.timesteps(1000, 10, "linspace");
        assertEquals(1000, lin[0]);
        assertEquals(1, lin[9]);
        assertEquals(Math.round(1 + 999.0 * 8 / 9), lin[1]);
        assertThrows(BadInputException.class, () -> DiffusionMethod.timesteps(1000, 10, "uniform"));
    }

    static final double MU = 1.5;
    static final double S = 0.5;

    /**
     * The exact noise predictor of 1-D data N(μ, s²): x_t ~ N(√ᾱ μ, ᾱ s² + 1 − ᾱ), so the score is
     * −(x − √ᾱ μ)/(ᾱ s² + 1 − ᾱ) and ε* = −√(1 − ᾱ)·score.
     */
    static VelocityModel exact(NoiseSchedule sch) {
        return FakeNet.of((x, t, labels) -> {
            double[] tt = Ops.toDoubles(t);
            double[] xs = Ops.toDoubles(x);
            float[] out = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                double a = sch.alphaBar((int) Math.round(tt[i] * sch.steps()));
                out[i] = (float) (Math.sqrt(1 - a) * (xs[i] - Math.sqrt(a) * MU) / (a * S * S + 1 - a));
            }
            return Ops.fromFloats(out, xs.length, 1);
        });
    }

    static DiffusionMethod method(NoiseSchedule sch) {
        VelocityModel e = exact(sch);
        return new DiffusionMethod(e, OptimizerSpec.sgd(1e-3, 0).create(e.parameters()), sch, new long[] {1},
                new DiffusionMethod.Defaults("ancestral", "beta", 50, 0, "trailing"));
    }

    /**
     * A conditional DDPM guides its noise prediction as ε̃ = (1 + w) ε(x, t, y) − w ε(x, t, ∅) (Ho &amp; Salimans 2022,
     * eq. 6). With a net whose ε is a constant per class (0.3 for class 0, −0.2 for class 1, 0.5 for ∅), one DDIM step
     * from T to 0 (ᾱ_0 = 1, η = 0) is x̂_0 = (x_T − √(1 − ᾱ_T) ε̃)/√ᾱ_T exactly; it counts two network calls at w &gt; 0.
     */
    @Test
    void guidedDdpmCombinesTheClassAndTheNullNoisePredictions() {
        NoiseSchedule sch = NoiseSchedule.linear(1000, 1e-4, 0.02);
        VelocityModel e = FakeNet.of((x, t, labels) -> {
            long n = x.size(0);
            float[] out = new float[(int) n];
            long[] y = labels.map(Ops::toLongs).orElse(new long[(int) n]);
            for (int i = 0; i < n; i++) {
                out[i] = labels.isEmpty() || y[i] == 2 ? 0.5f : y[i] == 0 ? 0.3f : -0.2f;
            }
            return Ops.fromFloats(out, n, 1);
        });
        DiffusionMethod m = new DiffusionMethod(e, OptimizerSpec.sgd(1e-3, 0).create(e.parameters()),
                java.util.Optional.empty(), sch, new long[] {1}, new DiffusionMethod.Defaults("ddim", "beta", 1, 0,
                        "trailing"), new ScoreMethod.Conditioning(2, 0.1, 0));
        double w = 2;
        long[] asked = {0, 1, 0, 1};
        io.ganflow.train.Samples got = m.sample(SampleRequest.of(4, new Rng(5)).withLabels(asked)
                .withOption("guidance", w));
        double[] xT = Ops.toDoubles(new Rng(5).normal(4, 1));
        double[] x = Ops.toDoubles(got.x());
        double a = sch.alphaBar(1000);
        for (int i = 0; i < 4; i++) {
            double eps = (1 + w) * (asked[i] == 0 ? 0.3 : -0.2) - w * 0.5;
            assertEquals((xT[i] - Math.sqrt(1 - a) * eps) / Math.sqrt(a), x[i], 1e-4 * Math.abs(x[i]) + 1e-5, "row " + i);
        }
        assertEquals(2, got.nfe());
    }

    /**
     * DDIM with clip_sample = c: with a constant ε = 0.5 and two trailing steps (t = 1000, 500), the first step's
     * x̂_0 = (x_T − √(1 − ᾱ_1000)·0.5)/√ᾱ_1000 is clipped to [−c, c]; the second step recovers that x̂_0 from x_500
     * exactly and ends at ᾱ_0 = 1, so the sample is clamp(x̂_0, −c, c). With c = 100 some of the 64 samples are
     * clipped (|x̂_0| ≈ 156·|x_T − 0.5|) and some are not; without clipping none is.
     */
    @Test
    void ddimClipsThePredictedCleanSample() {
        NoiseSchedule sch = NoiseSchedule.linear(1000, 1e-4, 0.02);
        VelocityModel e = FakeNet.of((x, t, labels) -> Ops.full(0.5, Ops.shape(x)));
        DiffusionMethod m = new DiffusionMethod(e, OptimizerSpec.sgd(1e-3, 0).create(e.parameters()), sch,
                new long[] {1}, new DiffusionMethod.Defaults("ddim", "beta", 2, 0, "trailing", 100));
        double[] xT = Ops.toDoubles(new Rng(6).normal(64, 1));
        io.ganflow.train.Samples got = m.sample(SampleRequest.of(64, new Rng(6)));
        double[] x = Ops.toDoubles(got.x());
        double[] free = Ops.toDoubles(m.sample(SampleRequest.of(64, new Rng(6)).withOption("clip_sample", 0.0)).x());
        double a = sch.alphaBar(1000);
        int clipped = 0;
        for (int i = 0; i < 64; i++) {
            double raw = (xT[i] - Math.sqrt(1 - a) * 0.5) / Math.sqrt(a);
            double want = Math.max(-100, Math.min(100, raw));
            clipped += raw == want ? 0 : 1;
            assertEquals(want, x[i], 1e-4 * Math.abs(want) + 1e-4, "row " + i);
            assertEquals(raw, free[i], 1e-4 * Math.abs(raw) + 1e-4, "row " + i + " without clipping");
        }
        assertTrue(clipped > 0 && clipped < 64, clipped + " of 64 clipped");
        assertTrue(got.description().contains("clipped to ±100"), got.description());
    }

    /**
     * The ancestral chain with clip_sample = c, written out: x_T ~ N(0, 1), then for t = T … 1 the posterior mean
     * (√ᾱ_{t−1} β_t x̂_0 + √(1 − β_t)(1 − ᾱ_{t−1}) x_t)/(1 − ᾱ_t) at x̂_0 = clamp((x_t − √(1 − ᾱ_t) ε)/√ᾱ_t, −c, c),
     * plus √β_t z for t > 1, the draws in that order from the request's stream; T = 20, ε = 0.3 constant, c = 1.5.
     * With a bound no x̂_0 reaches (c = 1e6) the chain equals the unclipped one: the posterior mean is the ε form's. The last
     * step returns x̂_0 itself, so every sample lies in [−c, c].
     */
    @Test
    void ancestralClipsThePredictedCleanSample() {
        NoiseSchedule sch = NoiseSchedule.linear(20, 1e-3, 0.2);
        VelocityModel e = FakeNet.of((x, t, labels) -> Ops.full(0.3, Ops.shape(x)));
        DiffusionMethod m = new DiffusionMethod(e, OptimizerSpec.sgd(1e-3, 0).create(e.parameters()), sch,
                new long[] {1}, new DiffusionMethod.Defaults("ancestral", "beta", 20, 0, "trailing", 1.5));
        int n = 32;
        Rng draws = new Rng(8);
        double[] x = Ops.toDoubles(draws.normal(n, 1));
        for (int t = 20; t >= 1; t--) {
            double at = sch.alphaBar(t);
            double ap = sch.alphaBar(t - 1);
            double beta = 1 - at / ap;
            double[] z = t > 1 ? Ops.toDoubles(draws.normal(n, 1)) : new double[n];
            for (int i = 0; i < n; i++) {
                double x0 = Math.max(-1.5, Math.min(1.5, (x[i] - Math.sqrt(1 - at) * 0.3) / Math.sqrt(at)));
                x[i] = (Math.sqrt(ap) * beta * x0 + Math.sqrt(1 - beta) * (1 - ap) * x[i]) / (1 - at) + Math.sqrt(beta) * z[i];
            }
        }
        double[] got = Ops.toDoubles(m.sample(SampleRequest.of(n, new Rng(8))).x());
        for (int i = 0; i < n; i++) {
            assertEquals(x[i], got[i], 1e-4, "row " + i);
        }
        double[] far = Ops.toDoubles(m.sample(SampleRequest.of(n, new Rng(9)).withOption("clip_sample", 1e6)).x());
        double[] none = Ops.toDoubles(m.sample(SampleRequest.of(n, new Rng(9)).withOption("clip_sample", 0.0)).x());
        for (int i = 0; i < n; i++) {
            assertEquals(none[i], far[i], 1e-4 * Math.abs(none[i]) + 1e-4, "row " + i);
        }
        // the last step (ᾱ_0 = 1, no noise) returns x̂_0 itself: inside [−c, c]
        assertTrue(java.util.Arrays.stream(got).allMatch(v -> Math.abs(v) <= 1.5 + 1e-5), "the samples lie in [-1.5, 1.5]");
    }

    /**
     * With the exact predictor, the ancestral chain (both variances) and DDIM over all 1,000 steps (η = 0 and 1)
     * return N(1.5, 0.5²): over 20,000 samples the mean within 0.02 (the sample mean's std is 0.0035) and the std
     * within 0.02 (the sample std's is 0.0025).
     */
    @Test
    void everySamplerReturnsGaussianDataWithTheExactPredictor() {
        DiffusionMethod m = method(NoiseSchedule.linear(1000, 1e-4, 0.02));
        List<SampleRequest> requests = List.of(SampleRequest.of(N, new Rng(1)),
                SampleRequest.of(N, new Rng(2)).withOption("variance", "beta_tilde"),
                SampleRequest.of(N, new Rng(3)).withProcedure("ddim").withOption("nfe", 1000),
                SampleRequest.of(N, new Rng(4)).withProcedure("ddim").withOption("nfe", 1000).withOption("eta", 1.0));
        for (SampleRequest r : requests) {
            double[] ms = moments(m, r);
            assertEquals(MU, ms[0], 0.02, ms[2] + "");
            assertEquals(S, ms[1], 0.02, ms[2] + "");
        }
    }

    /**
     * DDIM at η = 0 is a first-order discretisation of the probability-flow ODE: with the exact predictor its error
     * in the std falls about as 1/S (measured 0.027 at S = 50, 0.006 at 200, 0.0001 at 1,000), and every step count
     * keeps the mean. Each request counts S network evaluations.
     */
    @Test
    void ddimConvergesAsItsStepsGrow() {
        DiffusionMethod m = method(NoiseSchedule.linear(1000, 1e-4, 0.02));
        double[] err = new double[3];
        int[] steps = {50, 200, 1000};
        for (int k = 0; k < 3; k++) {
            SampleRequest r = SampleRequest.of(N, new Rng(3)).withProcedure("ddim").withOption("nfe", steps[k]);
            double[] ms = moments(m, r);
            assertEquals(MU, ms[0], 0.02);
            assertEquals(steps[k], ms[2], 0);
            err[k] = Math.abs(ms[1] - S);
        }
        assertTrue(err[0] > err[1] && err[1] > err[2], java.util.Arrays.toString(err));
        assertTrue(err[1] < 0.01 && err[2] < 0.002, java.util.Arrays.toString(err));
    }

    /**
     * The probability-flow ODE with the exact predictor transports N(0, 1) to the data, N(1.5, 0.5²), with RK4 in
     * 100 steps and with Dormand–Prince (20,000 samples: mean and std within 0.02; the predictor reads the discrete
     * ᾱ at the nearest step, which differs from the SDE's continuous ᾱ(t) by less than 0.1 %). It is deterministic:
     * the only draw is x(1). The cosine schedule's continuous form (ᾱ(t) = f(t)/f(0)) does the same with RK4, EDM's
     * Heun and DPM-Solver++(2M).
     */
    @Test
    void theProbabilityFlowOdeReturnsGaussianData() {
        DiffusionMethod m = method(NoiseSchedule.linear(1000, 1e-4, 0.02));
        for (SampleRequest r : List.of(
                SampleRequest.of(N, new Rng(5)).withProcedure("ode").withOption("solver", "rk4").withOption("nfe", 400),
                SampleRequest.of(N, new Rng(6)).withProcedure("ode").withOption("solver", "dopri5"))) {
            double[] ms = moments(m, r);
            assertEquals(MU, ms[0], 0.02);
            assertEquals(S, ms[1], 0.02);
        }
        assertEquals(400, moments(m, SampleRequest.of(10, new Rng(5)).withProcedure("ode").withOption("solver", "rk4")
                .withOption("nfe", 400))[2], 0);
        try (Scope s = Scope.open()) {
            SampleRequest r = SampleRequest.of(20, new Rng(7)).withProcedure("ode");
            assertArrayEquals(Ops.toFloats(m.sample(r).x()), Ops.toFloats(m.sample(SampleRequest.of(20, new Rng(7))
                    .withProcedure("ode")).x()));
        }
        // the cosine schedule's continuous form (Process.cosine): its ODE, Heun and DPM-Solver++ return the data too
        DiffusionMethod cos = method(NoiseSchedule.cosine(1000));
        for (SampleRequest r : List.of(
                SampleRequest.of(N, new Rng(5)).withProcedure("ode").withOption("solver", "rk4").withOption("nfe", 400),
                SampleRequest.of(N, new Rng(6)).withProcedure("heun").withOption("nfe", 79),
                SampleRequest.of(N, new Rng(7)).withProcedure("dpmpp2m").withOption("nfe", 50))) {
            double[] ms = moments(cos, r);
            assertEquals(MU, ms[0], 0.02, r.procedure());
            assertEquals(S, ms[1], 0.02, r.procedure());
        }
    }

    static final int N = 20_000;

    /** Mean, std and NFE of a request's samples. */
    static double[] moments(DiffusionMethod m, SampleRequest r) {
        try (Scope s = Scope.open()) {
            return FakeNet.moments(m.sample(r));
        }
    }

    @Test
    void samplersAreDeterministicGivenTheSeedAndCheckTheirOptions() {
        DiffusionMethod m = method(NoiseSchedule.cosine(100));
        try (Scope s = Scope.open()) {
            SampleRequest r = SampleRequest.of(50, new Rng(9)).withProcedure("ddim").withOption("nfe", 10);
            assertArrayEquals(Ops.toFloats(m.sample(r).x()), Ops.toFloats(m.sample(SampleRequest.of(50, new Rng(9))
                    .withProcedure("ddim").withOption("nfe", 10)).x()));
            assertArrayEquals(Ops.toFloats(m.sample(5, new Rng(4))), Ops.toFloats(m.sample(5, new Rng(4))));
            assertThrows(BadInputException.class, () -> m.sample(SampleRequest.of(5, new Rng(1)).withProcedure("ddim")
                    .withOption("nfe", 101)));
            assertThrows(BadInputException.class, () -> m.sample(SampleRequest.of(5, new Rng(1))
                    .withOption("variance", "huge")));
            assertThrows(BadInputException.class, () -> m.sample(SampleRequest.of(5, new Rng(1)).withOption("solver",
                    "rk4")), "a flow's option");
        }
    }
}
