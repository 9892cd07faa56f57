package io.ganflow.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.flow.Solver;
import io.ganflow.nn.VelocityModel;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.Samples;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The continuous-time processes against their SDEs, the parameterisations' conversions, and every score-model
 * sampler and the likelihood with the exact denoiser of Gaussian data, where the truth is closed-form:
 * x_0 ~ N(μ, s²) per coordinate gives x_t ~ N(αμ, α²s² + σ²) and D(x, t) = μ + αs²/(α²s² + σ²)·(x − αμ).
 */
class ScoreModelTest {
    static final double MU = 1.5;
    static final double S = 0.5;
    static final int N = 20_000;

    static List<Process> processes() {
        return List.of(Process.vp(0.1, 20, 1e-3), Process.subVp(0.1, 20, 1e-3), Process.ve(0.01, 50, 1e-3),
                Process.edm(0.002, 80), Process.cosine(1e-3, 0.999));
    }

    /**
     * α and σ solve the SDE's moment equations: dα/dt = f α, and the noise's variance v = σ² obeys
     * dv/dt = 2 f v + g² (Särkkä &amp; Solin 2019, eq. 5.51). Checked by central differences at 40 times, to 1e-6 of
     * the larger side.
     */
    @Test
    void marginalsSolveTheSdesMomentEquations() {
        for (Process p : processes()) {
            double h = 1e-6 * (p.tMax() - p.tMin());
            for (int i = 1; i < 40; i++) {
                double t = p.tMin() + (p.tMax() - p.tMin()) * i / 40;
                double da = (p.alpha(t + h) - p.alpha(t - h)) / (2 * h);
                assertEquals(p.f(t) * p.alpha(t), da, 1e-6 * Math.max(1, Math.abs(da)), p.name() + " alpha at " + t);
                double v1 = p.sigma(t + h) * p.sigma(t + h);
                double v0 = p.sigma(t - h) * p.sigma(t - h);
                double dv = (v1 - v0) / (2 * h);
                double want = 2 * p.f(t) * p.sigma(t) * p.sigma(t) + p.g2(t);
                assertEquals(want, dv, 1e-6 * Math.max(1, Math.abs(want)), p.name() + " variance at " + t);
            }
        }
        // the ends: VP and sub-VP start at the data and end near N(0, 1); VE and EDM at their sigma range
        Process vp = Process.vp(0.1, 20, 1e-3);
        assertEquals(Math.exp(-0.25 * 19.9 - 0.05), vp.alpha(1), 1e-15);
        assertEquals(1.0, vp.alpha(0), 0);
        assertEquals(0.0, vp.sigma(0), 0);
        assertEquals(50.0, Process.ve(0.01, 50, 1e-3).sigma(1), 1e-12);
        assertEquals(0.01, Process.ve(0.01, 50, 1e-3).sigma(0), 1e-15);
        assertEquals(0.25 * Math.log(3), Process.edm(0.002, 80).netTime(3), 1e-15);
        // the continuous cosine schedule's ᾱ(k/T) is the discrete schedule's ᾱ_k (where no β was clipped)
        NoiseSchedule discrete = NoiseSchedule.cosine(1000);
        Process cos = Process.cosine(1e-3, 0.999);
        for (int k = 1; k <= 980; k += 7) {
            assertEquals(discrete.alphaBar(k), cos.alpha(k / 1000.0) * cos.alpha(k / 1000.0), 1e-12, "k = " + k);
        }
    }

    /** The inverse of σ/α, by bisection or in closed form, returns the time. */
    @Test
    void timeOfRatioInvertsTheRatio() {
        for (Process p : processes()) {
            for (int i = 0; i <= 10; i++) {
                double t = p.tMin() + (p.tMax() - p.tMin()) * i / 10;
                assertEquals(t, p.timeOfRatio(p.ratio(t)), 1e-9 * p.tMax(), p.name());
            }
        }
    }

    /**
     * Every target's regression value maps back to x_0 through D = c_x x + c_o F, EDM's coefficients are those of
     * Karras et al.'s table 1 (written here from the paper), and the weightings meet where they must: NCSN's σ²
     * on the score is the ε loss, EDM's λ(σ) is unit weight on F.
     */
    @Test
    void targetsConvertBackToTheData() {
        double x0 = 0.7;
        double e = -1.3;
        for (double[] as : new double[][] {{1, 0.3}, {0.8, 0.6}, {0.05, 0.9987}, {1, 20}}) {
            double a = as[0];
            double s = as[1];
            double x = a * x0 + s * e;
            for (Target t : Target.values()) {
                Target.Coefficients c = t.coefficients(a, s, 0.5);
                double f = c.tx() * x0 + c.te() * e;
                assertEquals(x0, c.cx() * x + c.co() * f, 1e-12, t + " at " + a + ", " + s);
            }
            assertEquals(e, Target.EPS.coefficients(a, s, 0.5).te() * e, 0);
            assertEquals(-e / s, Target.SCORE.coefficients(a, s, 0.5).te() * e, 1e-15);
            assertEquals(a * e - s * x0, Target.V.coefficients(a, s, 0.5).tx() * x0
                    + Target.V.coefficients(a, s, 0.5).te() * e, 1e-15);
        }
        double sd = 0.5;
        for (double sigma : new double[] {0.002, 0.3, 2, 80}) {
            Target.Coefficients c = Target.EDM.coefficients(1, sigma, sd);
            assertEquals(1 / Math.sqrt(sigma * sigma + sd * sd), c.cin(), 1e-15);
            assertEquals(sd * sd / (sigma * sigma + sd * sd), c.cx(), 1e-15);
            assertEquals(sigma * sd / Math.sqrt(sigma * sigma + sd * sd), c.co(), 1e-15);
            Process p = Process.edm(0.002, 80);
            assertEquals(1.0, Target.Weighting.EDM.targetWeight(Target.EDM, p, sigma, sd), 1e-12);
        }
        Process vp = Process.vp(0.1, 20, 1e-3);
        for (double t : new double[] {0.01, 0.5, 1}) {
            assertEquals(1.0, Target.Weighting.SIGMA2.targetWeight(Target.EPS, vp, t, 0.5), 1e-12);
            assertEquals(1.0, Target.Weighting.SIMPLE.targetWeight(Target.V, vp, t, 0.5), 1e-12);
            // likelihood weighting of the ε loss: g²/σ²
            assertEquals(vp.g2(t) / (vp.sigma(t) * vp.sigma(t)), Target.Weighting.LIKELIHOOD.targetWeight(Target.EPS,
                    vp, t, 0.5), 1e-9);
        }
    }

    /** The exact denoiser of N(μ, s²) per coordinate under process p. */
    static Denoiser exact(Process p, double mu, double s) {
        return new Denoiser() {
            @Override
            public Process process() {
                return p;
            }

            @Override
            public Tensor denoise(Tensor x, double t) {
                double a = p.alpha(t);
                double sg = p.sigma(t);
                double k = a * s * s / (a * a * s * s + sg * sg);
                return Ops.add(Ops.mul(x, k), mu * (1 - k * a));
            }
        };
    }

    /**
     * A net read through each target gives back the exact denoiser when it outputs the exact target: the net here
     * is the closed form F* = t_x D* + t_ε ε* with ε* = (x − αD*)/σ, so D = c_x x + c_o F* must be D*.
     */
    @Test
    void aNetOfEachTargetDenoisesThroughItsConversion() {
        try (Scope sc = Scope.open()) {
            for (Process p : processes()) {
                Denoiser truth = exact(p, MU, S);
                for (Target target : Target.values()) {
                    for (double t : new double[] {p.tMin() * 2, 0.3 * p.tMax(), p.tMax()}) {
                        double a = p.alpha(t);
                        double sg = p.sigma(t);
                        Target.Coefficients c = target.coefficients(a, sg, 0.5);
                        VelocityModel f = FakeNet.of((xin, tt, labels) -> {
                            Tensor x = Ops.mul(xin, 1 / c.cin());
                            Tensor d = truth.denoise(x, t);
                            Tensor e = x.sub(Ops.mul(d, a)).div(Ops.s(sg));
                            return Ops.mul(d, c.tx()).add(Ops.mul(e, c.te()));
                        });
                        Tensor x = Ops.fromDoubles(new double[] {-2, 0.1, 3.7}, 3, 1);
                        double[] want = Ops.toDoubles(truth.denoise(x, t));
                        double[] got = Ops.toDoubles(ScoreMethod.denoiser(f, p, target, 0.5).denoise(x, t));
                        for (int i = 0; i < 3; i++) {
                            assertEquals(want[i], got[i], 1e-9 * Math.max(1, Math.abs(want[i])), p.name() + " "
                                    + target + " t " + t);
                        }
                    }
                }
            }
        }
    }

    static final ScoreMethod.Settings DEFAULTS = new ScoreMethod.Settings(0.5, -1.2, 1.2, "heun", 50, 7, 0, 0.16, 1,
            0.2, 10);

    /** Mean, std and NFE of a sampler's output for 1-D data. */
    static double[] moments(Denoiser d, String sampler, SampleRequest r) {
        try (Scope s = Scope.open()) {
            return FakeNet.moments(ScoreMethod.sample(d, sampler, r, new long[] {1}, DEFAULTS));
        }
    }

    /**
     * With the exact denoiser, every sampler returns N(1.5, 0.5²) from every process: over 20,000 samples the mean
     * and std within 0.025. Their sampling errors are 0.0035 and 0.0025; the prior's mismatch (N(0, σ_max²) where
     * the process ends at N(μ, σ_max² + s²)) moves the mean by about −μ s/σ_max (VE: −0.015, EDM: −0.009); the
     * rest is each sampler's discretisation at the NFE given (measured on EDM's process, Heun at 35 NFE is 0.03 off
     * in the std, at 79 NFE 0.005: second order) and t_min's residual noise (σ(t_min) ≤ 0.01). NFE as each sampler
     * counts it.
     */
    @Test
    void everySamplerReturnsGaussianDataFromEveryProcess() {
        for (Process p : processes()) {
            Denoiser d = exact(p, MU, S);
            Object[][] cases = {
                {"heun", SampleRequest.of(N, new Rng(1)).withOption("nfe", 79), 79},
                {"heun", SampleRequest.of(N, new Rng(2)).withOption("nfe", 79).withOption("s_churn", 10), 79},
                {"dpmpp2m", SampleRequest.of(N, new Rng(3)).withOption("nfe", 35), 35},
                {"euler", SampleRequest.of(N, new Rng(4)).withOption("nfe", 200), 200},
                {"ode", SampleRequest.of(N, new Rng(5)).withOption("solver", "rk4").withOption("nfe", 400), 400},
                {"sde", SampleRequest.of(N, new Rng(6)).withOption("nfe", 1000), 1000},
                {"pc", SampleRequest.of(N, new Rng(7)).withOption("nfe", 1000), 1000},
            };
            for (Object[] c : cases) {
                double[] ms = moments(d, (String) c[0], (SampleRequest) c[1]);
                assertEquals(MU, ms[0], 0.025, p.name() + " " + c[0]);
                assertEquals(S, ms[1], 0.025, p.name() + " " + c[0]);
                assertEquals((int) c[2], ms[2], 0, p.name() + " " + c[0] + " NFE");
            }
        }
    }

    /**
     * NCSN's annealed Langevin dynamics with the exact score on VE: 10 geometric levels from σ = 50 to 0.01 of 100
     * steps each with NCSN's step (a = 0.2 σ², its ε = 2e-5 at σ_L = 0.01), then the denoising step: mean and std
     * within 0.03. NFE 1,001.
     */
    @Test
    void annealedLangevinReturnsGaussianData() {
        Denoiser d = exact(Process.ve(0.01, 50, 1e-3), MU, S);
        double[] ms = moments(d, "langevin", SampleRequest.of(N, new Rng(8)).withOption("nfe", 1000)
                .withOption("per_level", 100));
        assertEquals(MU, ms[0], 0.03);
        assertEquals(S, ms[1], 0.03);
        assertEquals(1001, ms[2], 0);
    }

    /**
     * EDM's Heun sampler is second order, Euler in σ first order: with the exact denoiser at 10 steps Heun's
     * error in the std is below Euler's, and DPM-Solver++(2M) at 10 steps below Euler's at 10 (2M is second
     * order in λ). Karras's schedule starts at σ_max and ends at σ_min, then 0.
     */
    @Test
    void higherOrderSamplersBeatEulerAtFewSteps() {
        double[] k = ScoreSamplers.karras(0.002, 80, 18, 7);
        assertEquals(80, k[0], 1e-12);
        assertEquals(0.002, k[17], 1e-12);
        assertEquals(0, k[18], 0);
        double mid = Math.pow(Math.pow(80, 1 / 7.0) + 0.5 * (Math.pow(0.002, 1 / 7.0) - Math.pow(80, 1 / 7.0)), 7);
        assertEquals(mid, ScoreSamplers.karras(0.002, 80, 3, 7)[1], 1e-12);
        Denoiser d = exact(Process.edm(0.002, 80), MU, S);
        double euler = Math.abs(moments(d, "euler", SampleRequest.of(N, new Rng(1)).withOption("nfe", 10))[1] - S);
        double heun = Math.abs(moments(d, "heun", SampleRequest.of(N, new Rng(1)).withOption("nfe", 19))[1] - S);
        double dpm = Math.abs(moments(d, "dpmpp2m", SampleRequest.of(N, new Rng(1)).withOption("nfe", 10))[1] - S);
        assertTrue(heun < euler && dpm < euler, "euler " + euler + ", heun " + heun + ", dpm++ " + dpm);
    }

    /**
     * The likelihood through the probability-flow ODE, for 2-D Gaussian data N(μ, s² I) with the exact denoiser,
     * with the exact divergence (Dormand–Prince, tolerances 1e-8, float64), against two closed forms:
     * <ul>
     *   <li>the flow's own: for Gaussian data the ODE is the affine map x_t = m_t + √(v_t/v_min)(x − m_min) with
     *       m_t = α_t μ, v_t = α_t² s² + σ_t², so the NLL with the prior N(0, std² I) is
     *       −log N(x_1; 0, std² I) − D·½ ln(v_1/v_min): to 1e-4 nats, on VE (μ = 1.5), VP and sub-VP;</li>
     *   <li>the data's: −log N(x; μ, s² I), to 1e-3 nats, where the prior's mismatch is below that: μ = 0 (VE with
     *       σ_max = 80: under 1e-5; VP: α(1)² = 4.3e-5).</li>
     * </ul>
     * Hutchinson's estimate (2 Rademacher probes, RK4 in 100 steps) agrees with the exact divergence to 1e-3 nats:
     * the Jacobian of this field is diagonal, and vᵀAv = tr A for a diagonal A and v in {−1, 1}ᴰ, so here the
     * estimate is exact and only the solvers differ; the estimator's variance on a full Jacobian is checked in
     * {@code hutchinsonIsUnbiasedOnAFullJacobian}.
     */
    @Test
    void theOdeLikelihoodMatchesTheClosedForm() {
        try (Scope sc = Scope.open()) {
            Object[][] cases = {{Process.ve(0.002, 80, 1e-5), MU, S}, {Process.vp(0.1, 20, 1e-5), MU, S},
                {Process.subVp(0.1, 20, 1e-5), -0.8, 1.3}, {Process.ve(0.002, 80, 1e-5), 0.0, S},
                {Process.vp(0.1, 20, 1e-5), 0.0, 0.7}};
            for (Object[] c : cases) {
                Process p = (Process) c[0];
                double mu = (double) c[1];
                double s = (double) c[2];
                Denoiser d = exact(p, mu, s);
                double[][] pts = {{mu, mu}, {mu + 0.4, mu - 0.9}, {mu - 1.1, mu + 0.2}};
                Tensor x = Ops.fromRowsExact(pts);
                Likelihood.Result r = Likelihood.nll(d, x, Likelihood.Divergence.EXACT, 0, Solver.DOPRI5,
                        Solver.Options.tolerances(1e-8, 1e-8), new Rng(1));
                double t0 = p.tMin();
                double t1 = p.tMax();
                double v0 = p.alpha(t0) * p.alpha(t0) * s * s + p.sigma(t0) * p.sigma(t0);
                double v1 = p.alpha(t1) * p.alpha(t1) * s * s + p.sigma(t1) * p.sigma(t1);
                double std = p.priorStd();
                for (int i = 0; i < pts.length; i++) {
                    double flow = 2 * 0.5 * Math.log(v1 / v0);
                    double q = 0;
                    double prior = Math.log(2 * Math.PI * std * std);
                    for (double v : pts[i]) {
                        double x1 = p.alpha(t1) * mu + Math.sqrt(v1 / v0) * (v - p.alpha(t0) * mu);
                        prior += x1 * x1 / (2 * std * std);
                        q += (v - mu) * (v - mu);
                    }
                    assertEquals(prior - flow, r.nll()[i], 1e-4, p.name() + " mu " + mu + ", point " + i
                            + ": the flow's closed form");
                    if (mu == 0) {
                        double truth = Math.log(2 * Math.PI * s * s) + q / (2 * s * s);
                        assertEquals(truth, r.nll()[i], 1e-3, p.name() + " point " + i + ": the data's NLL");
                    }
                }
                Likelihood.Result h = Likelihood.nll(d, x, Likelihood.Divergence.HUTCHINSON, 2, Solver.RK4,
                        Solver.Options.steps(100), new Rng(2));
                for (int i = 0; i < pts.length; i++) {
                    assertEquals(r.nll()[i], h.nll()[i], 1e-3, p.name() + " Hutchinson, point " + i);
                }
            }
        }
    }

    /**
     * Hutchinson's estimator is unbiased where the Jacobian is full: a denoiser D(x) = A x on VE makes the field
     * linear, F = −ln(σ_max/σ_min)(A − I) x, so with one Rademacher probe v per sample the estimated ∫∇·F differs from
     * the exact one by c·(A₁₂ + A₂₁) v₁v₂ with c = −ln(σ_max/σ_min)(t_max − t_min): ± a known amount, mean zero.
     * Over 4,000 samples (the same solver for both) every difference has that size and their mean is within four
     * standard errors of zero.
     */
    @Test
    void hutchinsonIsUnbiasedOnAFullJacobian() {
        try (Scope sc = Scope.open()) {
            Process p = Process.ve(0.01, 50, 1e-3);
            Tensor a = Ops.fromRowsExact(new double[][] {{1.2, 0.5}, {-0.3, 0.9}});
            Denoiser d = new Denoiser() {
                @Override
                public Process process() {
                    return p;
                }

                @Override
                public Tensor denoise(Tensor x, double t) {
                    return Ops.mm(x, a.t());
                }
            };
            int n = 4000;
            double[][] rows = new double[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = new double[] {0.3, -0.2};
            }
            Tensor x = Ops.fromRowsExact(rows);
            double[] exact = Likelihood.nll(d, x, Likelihood.Divergence.EXACT, 0, Solver.EULER,
                    Solver.Options.steps(50), new Rng(1)).nll();
            double[] hutch = Likelihood.nll(d, x, Likelihood.Divergence.HUTCHINSON, 1, Solver.EULER,
                    Solver.Options.steps(50), new Rng(3)).nll();
            double size = Math.log(50 / 0.01) * (1 - 1e-3) * (0.5 - 0.3);
            double mean = 0;
            for (int i = 0; i < n; i++) {
                double diff = exact[i] - hutch[i];
                assertEquals(size, Math.abs(diff), 1e-9, "sample " + i);
                mean += diff / n;
            }
            assertEquals(0, mean, 4 * size / Math.sqrt(n));
        }
    }

    /**
     * Every sampler, from VE (σ 0.01 to 4), VP and EDM, with the exact denoiser of ring8 (8 modes of std 0.02 on a
     * circle of radius 2: the toy's truth, {@link MixtureDenoiser}) covers 8/8 modes with at least 95 % of 2,000
     * samples within 3 std of a mode (measured 0.96 to 0.996; the probability-flow ODE in 200 RK4 evaluations is the
     * lowest). Any failure here is the sampler's, not a model's.
     */
    @Test
    void everySamplerFindsTheRingWithTheExactDenoiser() {
        io.ganflow.data.Mixture ring = io.ganflow.data.toy.GaussianMixture.ring8().mixture().orElseThrow();
        for (Process p : List.of(Process.ve(0.01, 4, 1e-3), Process.vp(0.1, 20, 1e-3), Process.edm(0.002, 80))) {
            Denoiser d = new MixtureDenoiser(p, ring);
            String[][] cases = {{"heun", "49"}, {"dpmpp2m", "30"}, {"euler", "100"}, {"ode", "200"}, {"sde", "500"},
                {"pc", "1000"}, {"langevin", "1000"}};
            for (String[] c : cases) {
                try (Scope s = Scope.open()) {
                    SampleRequest r = SampleRequest.of(2000, new Rng(1)).withOption("nfe", c[1]);
                    r = c[0].equals("ode") ? r.withOption("solver", "rk4") : r;
                    r = c[0].equals("langevin") ? r.withOption("per_level", "100") : r;
                    Samples out = ScoreMethod.sample(d, c[0], r, new long[] {2}, DEFAULTS);
                    io.ganflow.metrics.ModeReport rep = io.ganflow.metrics.ModeMetrics.evaluate(Ops.toRows(out.x()),
                            ring);
                    assertEquals(8, rep.modesCovered(), p.name() + " " + c[0]);
                    assertTrue(rep.highQualityFraction() >= 0.95, p.name() + " " + c[0] + ": "
                            + rep.highQualityFraction());
                }
            }
        }
    }

    /**
     * The mixture's exact denoiser obeys Tweedie's formula D = (x + σ² ∇ log p_t(x))/α, with ∇ log p_t by central
     * differences of the noised mixture's log-density (components of std √(s² + σ²) on VE, α = 1), to 1e-6; and the
     * ODE likelihood of ring8 under it equals the mixture's log-density to 0.01 nats (VE, σ from 0.002 to 80,
     * Dormand–Prince at 1e-7; the prior's mismatch is below 1e-3 there, the rest is the solver's).
     */
    @Test
    void theMixtureDenoiserIsTweediesAndItsLikelihoodIsTheMixtures() {
        io.ganflow.data.Mixture ring = io.ganflow.data.toy.GaussianMixture.ring8().mixture().orElseThrow();
        try (Scope sc = Scope.open()) {
            Process ve = Process.ve(0.002, 80, 1e-5);
            double sigma = 0.3;
            double t = ve.timeOfRatio(sigma);
            io.ganflow.data.Mixture noised = new io.ganflow.data.Mixture(ring.centers(),
                    Math.sqrt(ring.std() * ring.std() + sigma * sigma));
            double[][] pts = {{1.9, 0.3}, {0.1, -1.7}, {1.2, 1.5}, {0, 0.2}};
            double[][] got = Ops.toRows(new MixtureDenoiser(ve, ring).denoise(Ops.fromRowsExact(pts), t));
            double h = 1e-5;
            for (int i = 0; i < pts.length; i++) {
                for (int j = 0; j < 2; j++) {
                    double[] up = pts[i].clone();
                    double[] down = pts[i].clone();
                    up[j] += h;
                    down[j] -= h;
                    double g = (MixtureDenoiser.logDensity(noised, new double[][] {up})[0]
                            - MixtureDenoiser.logDensity(noised, new double[][] {down})[0]) / (2 * h);
                    assertEquals(pts[i][j] + sigma * sigma * g, got[i][j], 1e-6, "point " + i + ", coordinate " + j);
                }
            }
            double[][] data = {{2.01, 0.0}, {1.40, 1.43}, {-0.02, -1.97}};
            Likelihood.Result r = Likelihood.nll(new MixtureDenoiser(ve, ring), Ops.fromRowsExact(data),
                    Likelihood.Divergence.EXACT, 0, Solver.DOPRI5, Solver.Options.tolerances(1e-7, 1e-7), new Rng(1));
            double[] truth = MixtureDenoiser.logDensity(ring, data);
            for (int i = 0; i < data.length; i++) {
                assertEquals(-truth[i], r.nll()[i], 0.01, "point " + i);
            }
        }
    }

    /**
     * The normal quantile that tabulates EDM's log-normal σ, against printed tables of Φ⁻¹ (Abramowitz &amp; Stegun,
     * table 26.5): Φ⁻¹(0.975) = 1.959963985, Φ⁻¹(0.999) = 3.090232306, Φ⁻¹(0.01) = −2.326347874, to 1e-8; and
     * symmetric.
     */
    @Test
    void theNormalQuantileIsTheTables() {
        assertEquals(1.959963985, NormalQuantile.of(0.975), 1e-8);
        assertEquals(3.090232306, NormalQuantile.of(0.999), 1e-8);
        assertEquals(-2.326347874, NormalQuantile.of(0.01), 1e-8);
        assertEquals(0, NormalQuantile.of(0.5), 1e-15);
        for (double u : new double[] {1e-6, 0.02, 0.3}) {
            assertEquals(-NormalQuantile.of(u), NormalQuantile.of(1 - u), 1e-8 * Math.abs(NormalQuantile.of(u)));
        }
    }

    /** Samplers are deterministic given the seed, and refuse an option or value they do not take by name. */
    @Test
    void samplersAreDeterministicAndCheckTheirOptions() {
        Denoiser d = exact(Process.edm(0.002, 80), MU, S);
        try (Scope sc = Scope.open()) {
            for (String sampler : List.of("heun", "dpmpp2m", "euler", "ode", "sde", "pc", "langevin")) {
                SampleRequest r = SampleRequest.of(30, new Rng(9)).withOption("nfe", 20);
                assertArrayEquals(Ops.toFloats(ScoreMethod.sample(d, sampler, r, new long[] {1}, DEFAULTS).x()),
                        Ops.toFloats(ScoreMethod.sample(d, sampler, SampleRequest.of(30, new Rng(9)).withOption("nfe",
                                20), new long[] {1}, DEFAULTS).x()), sampler);
            }
            assertThrows(BadInputException.class, () -> ScoreMethod.sample(d, "heun", SampleRequest.of(5, new Rng(1))
                    .withOption("s_churn", -1), new long[] {1}, DEFAULTS));
            assertThrows(BadInputException.class, () -> ScoreMethod.sample(d, "pc", SampleRequest.of(5, new Rng(1))
                    .withOption("nfe", 4).withOption("corrector", 4), new long[] {1}, DEFAULTS));
            assertThrows(BadInputException.class, () -> ScoreMethod.sample(d, "langevin", SampleRequest.of(5,
                    new Rng(1)).withOption("denoise", "maybe"), new long[] {1}, DEFAULTS));
            assertThrows(BadInputException.class, () -> ScoreMethod.sample(d, "ode", SampleRequest.of(5, new Rng(1))
                    .withOption("solver", "midpoint"), new long[] {1}, DEFAULTS));
        }
    }
}
