package io.ganflow.diffusion;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.flow.Solver;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.Samples;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The samplers of a score model, each on a {@link Denoiser} alone, each counting its network evaluations (NFE) and
 * drawing every noise from the request's random stream (the same seed gives the same samples). Two kinds:
 * <ul>
 *   <li>in the process's time t, from t_max to t_min on an even grid: the probability-flow ODE through ganflow's
 *       solvers ({@link #ode}), the reverse SDE by Euler–Maruyama ({@link #reverseSde}), the predictor–corrector
 *       sampler ({@link #predictorCorrector}) and NCSN's annealed Langevin dynamics ({@link #annealedLangevin});</li>
 *   <li>in k-diffusion's σ-space (x̃ = x/α, noise σ̃ = σ/α, {@link Denoiser#denoiseRatio}) on Karras et al.'s
 *       schedule: EDM's Heun sampler with churn ({@link #heun}), Euler ({@link #euler}, DDIM's η = 0 update in
 *       this space) and DPM-Solver++(2M) ({@link #dpmSolverPp2m}). Each ends at σ = 0, where x̃ is the data.</li>
 * </ul>
 */
public final class ScoreSamplers {
    private ScoreSamplers() {}

    /** x(t_max) drawn from the process's prior N(0, std² I). */
    public static Tensor prior(Process p, int n, long[] shape, Rng rng) {
        return Ops.mul(noise(n, shape, rng), p.priorStd());
    }

    private static Tensor noise(int n, long[] shape, Rng rng) {
        return Ops.toDevice(rng.normal(Ops.batchShape(n, shape)));
    }

    /**
     * The solver settings a request names ({@link io.ganflow.flow.SolverRequest}): {@code nfe} evaluations (default
     * {@code defaultNfe}) for a fixed-step solver, {@code atol}/{@code rtol} (default 1e-5) for dopri5.
     */
    public static Solver.Options solverOptions(SampleRequest r, Solver s, int defaultNfe) {
        return io.ganflow.flow.SolverRequest.options(r, s, Math.max(1, defaultNfe / s.stages()), 1e-5, 1e-5);
    }

    /** The solver a request names, default {@code heun}. */
    public static Solver solver(SampleRequest r) {
        return io.ganflow.flow.SolverRequest.solver(r, Solver.HEUN);
    }

    /** The probability-flow ODE from x(t_max) to t_min: deterministic given x(t_max). */
    public static Samples ode(Denoiser d, Tensor xT, Solver s, Solver.Options o) {
        Process p = d.process();
        Solver.Result res = s.solve(solverTime(d.probabilityFlow(), p), xT, 0, 1, o);
        return new Samples(res.x(), res.nfe(), List.of(), List.of(), "probability-flow ODE, " + s.key()
                + (s == Solver.DOPRI5 ? " (atol " + o.atol() + ", rtol " + o.rtol() + ")" : " (" + o.steps()
                        + " steps)") + ", t from " + p.tMax() + " to " + p.tMin()
                + (p.name().equals("edm") ? " (even in sigma^(1/7))" : ""));
    }

    /**
     * A field in the process's time t as a field in the solvers' time u in [0, 1], u = 0 at t_max and 1 at t_min:
     * t(u) = t_max + u (t_min − t_max), or, for EDM's σ(t) = t, t(u) = (t_max^{1/ρ} + u(t_min^{1/ρ} − t_max^{1/ρ}))^ρ
     * with ρ = 7 (Karras's schedule, so that a fixed-step solver's steps shrink with σ); dx/du = F(x, t(u)) dt/du.
     */
    public static io.ganflow.flow.VectorField solverTime(io.ganflow.flow.VectorField f, Process p) {
        if (!p.name().equals("edm")) {
            double span = p.tMin() - p.tMax();
            return (x, u) -> Ops.mul(f.at(x, p.tMax() + u * span), span);
        }
        double rho = 7;
        double a = Math.pow(p.tMax(), 1 / rho);
        double b = Math.pow(p.tMin(), 1 / rho);
        return (x, u) -> {
            double base = a + u * (b - a);
            return Ops.mul(f.at(x, Math.pow(base, rho)), rho * Math.pow(base, rho - 1) * (b - a));
        };
    }

    /**
     * t_max … t_min in {@code steps} steps: steps + 1 times, even in t (Song et al.'s grid: geometric in σ for VE),
     * except for EDM's σ(t) = t, where even steps in σ would be far too coarse at small σ: there Karras's schedule
     * with ρ = 7.
     */
    static double[] grid(Process p, int steps) {
        double[] t = new double[steps + 1];
        if (p.name().equals("edm")) {
            double[] k = karras(p.tMin(), p.tMax(), steps + 1, 7);
            System.arraycopy(k, 0, t, 0, steps + 1);
            return t;
        }
        for (int i = 0; i <= steps; i++) {
            t[i] = p.tMax() + (p.tMin() - p.tMax()) * i / steps;
        }
        return t;
    }

    /**
     * One Euler–Maruyama step of the reverse SDE dx = [f x − g² ∇ log p_t] dt + g dw̄ from t back to t − h:
     * the mean x − (f x − g² s) h, plus √(g² h) z unless {@code last} (the last step returns its mean, Song et al.'s
     * noise removal).
     */
    private static Tensor reverseStep(Denoiser d, Tensor x, double t, double h, boolean last, int n, long[] shape,
            Rng rng) {
        Process p = d.process();
        Tensor mean = x.sub(Ops.mul(Ops.mul(x, p.f(t)).sub(Ops.mul(d.score(x, t), p.g2(t))), h));
        return last ? mean : mean.add(Ops.mul(noise(n, shape, rng), Math.sqrt(p.g2(t) * h)));
    }

    /** The reverse SDE (Anderson 1982; Song et al. 2021, eq. 6) by Euler–Maruyama in {@code steps} steps: NFE = steps. */
    public static Samples reverseSde(Denoiser d, int n, long[] shape, Rng rng, int steps) {
        double[] t = grid(d.process(), steps);
        Tensor x = prior(d.process(), n, shape, rng);
        for (int i = 0; i < steps; i++) {
            Tensor xi = x;
            int k = i;
            x = Scope.isolated(() -> reverseStep(d, xi, t[k], t[k] - t[k + 1], k == steps - 1, n, shape, rng));
        }
        return new Samples(x, steps, List.of(), List.of(), "reverse SDE, Euler-Maruyama, " + steps + " steps");
    }

    /**
     * One Langevin corrector step at time t (Song et al. 2021, algorithm 5, with α = 1): the step size
     * ε = 2 (snr ‖z‖/‖s‖)² from the batch's mean norms, x ← x + ε s + √(2ε) z.
     */
    private static Tensor langevinCorrect(Denoiser d, Tensor x, double t, double snr, int n, long[] shape, Rng rng) {
        Tensor s = d.score(x, t);
        Tensor z = noise(n, shape, rng);
        // on the device, no read back: ε = 2 (snr ‖z‖ / ‖s‖)² as a 0-dimensional tensor
        Tensor ratio = Ops.mul(Ops.sampleNorm(z).mean(), snr).div(Ops.clamp(Ops.sampleNorm(s).mean(), 1e-30,
                Float.MAX_VALUE));
        Tensor eps = Ops.mul(ratio.mul(ratio), 2);
        return x.add(s.mul(eps)).add(z.mul(Ops.mul(eps, 2).sqrt()));
    }

    /**
     * The predictor–corrector sampler (Song et al. 2021, algorithm 1): at each of {@code steps} times,
     * {@code corrector} Langevin steps with signal-to-noise ratio {@code snr}, then one reverse-SDE step:
     * NFE = steps · (1 + corrector).
     */
    public static Samples predictorCorrector(Denoiser d, int n, long[] shape, Rng rng, int steps, int corrector,
            double snr) {
        double[] t = grid(d.process(), steps);
        Tensor x = prior(d.process(), n, shape, rng);
        for (int i = 0; i < steps; i++) {
            Tensor xi = x;
            int k = i;
            x = Scope.isolated(() -> {
                Tensor y = xi;
                for (int c = 0; c < corrector; c++) {
                    y = langevinCorrect(d, y, t[k], snr, n, shape, rng);
                }
                return reverseStep(d, y, t[k], t[k] - t[k + 1], k == steps - 1, n, shape, rng);
            });
        }
        return new Samples(x, steps * (1 + corrector), List.of(), List.of(), "predictor-corrector, " + steps
                + " steps, " + corrector + " Langevin step(s) each, snr " + snr);
    }

    /**
     * NCSN's annealed Langevin dynamics (Song &amp; Ermon 2019, algorithm 1): {@code levels} noise levels geometric in
     * σ/α from t_max to t_min, {@code perLevel} steps x ← x + (a/2) s + √a z at each, with a = δ σ(t)²; then, with
     * {@code denoise}, x ← D(x, t_min) (the final denoising step of Jolicoeur-Martineau et al. 2021). NCSN writes
     * a = ε σ²/σ_L²: δ = ε/σ_L², and its ε = 2e-5 at σ_L = 0.01 is δ = 0.2. NFE = levels · perLevel (+ 1).
     */
    public static Samples annealedLangevin(Denoiser d, int n, long[] shape, Rng rng, int levels, int perLevel,
            double delta, boolean denoise) {
        Process p = d.process();
        double hi = Math.log(p.ratio(p.tMax()));
        double lo = Math.log(p.ratio(p.tMin()));
        Tensor x = prior(p, n, shape, rng);
        for (int i = 0; i < levels; i++) {
            double ti = levels == 1 ? p.tMin() : p.timeOfRatio(Math.exp(hi + (lo - hi) * i / (levels - 1)));
            double s = p.sigma(ti);
            double a = delta * s * s;
            for (int k = 0; k < perLevel; k++) {
                Tensor xi = x;
                x = Scope.isolated(() -> xi.add(Ops.mul(d.score(xi, ti), a / 2)).add(Ops.mul(noise(n, shape, rng),
                        Math.sqrt(a))));
            }
        }
        int nfe = levels * perLevel;
        if (denoise) {
            x = d.denoise(x, p.tMin());
            nfe++;
        }
        return new Samples(x, nfe, List.of(), List.of(), "annealed Langevin, " + levels + " levels x " + perLevel
                + " steps, step " + delta + " sigma^2" + (denoise ? ", final denoising" : ""));
    }

    /**
     * Karras et al.'s σ schedule (2022, eq. 5): σ_i = (σ_max^{1/ρ} + i/(N − 1)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ for
     * i &lt; N, then σ_N = 0; N + 1 values.
     */
    public static double[] karras(double sigmaMin, double sigmaMax, int steps, double rho) {
        double[] s = new double[steps + 1];
        double a = Math.pow(sigmaMax, 1 / rho);
        double b = Math.pow(sigmaMin, 1 / rho);
        for (int i = 0; i < steps; i++) {
            s[i] = steps == 1 ? sigmaMax : Math.pow(a + (double) i / (steps - 1) * (b - a), rho);
        }
        s[steps] = 0;
        return s;
    }

    /** The Karras schedule between the process's ratios σ/α at t_min and t_max. */
    public static double[] karras(Process p, int steps, double rho) {
        return karras(p.ratio(p.tMin()), p.ratio(p.tMax()), steps, rho);
    }

    /** x̃ at σ_0: the prior's draw x(t_max) divided by α(t_max). */
    private static Tensor priorRatio(Process p, int n, long[] shape, Rng rng) {
        return Ops.mul(prior(p, n, shape, rng), 1 / p.alpha(p.tMax()));
    }

    /** (x̃ − D̃(x̃, σ))/σ: dx̃/dσ of the probability-flow ODE in σ-space. */
    private static Tensor slope(Denoiser d, Tensor x, double sigma) {
        return x.sub(d.denoiseRatio(x, sigma)).div(Ops.s(sigma));
    }

    /**
     * EDM's stochastic sampler (Karras et al. 2022, algorithm 2) over σ_0 … σ_N: at each step, churn raises σ_i to
     * σ̂ = σ_i (1 + γ) with γ = min(S_churn/N, √2 − 1) where S_tmin ≤ σ_i ≤ S_tmax (fresh noise of std
     * S_noise √(σ̂² − σ_i²)), an Euler step to σ_{i+1}, and Heun's correction unless σ_{i+1} = 0. NFE = 2N − 1;
     * S_churn = 0 is the deterministic Heun sampler (algorithm 1).
     */
    public static Samples heun(Denoiser d, int n, long[] shape, Rng rng, double[] sigmas, double churn, double sTmin,
            double sTmax, double sNoise) {
        int steps = sigmas.length - 1;
        double gammaMax = Math.min(churn / steps, Math.sqrt(2) - 1);
        Tensor x = priorRatio(d.process(), n, shape, rng);
        int nfe = 0;
        for (int i = 0; i < steps; i++) {
            double si = sigmas[i];
            double next = sigmas[i + 1];
            double gamma = churn > 0 && si >= sTmin && si <= sTmax ? gammaMax : 0;
            double hat = si * (1 + gamma);
            Tensor xi = x;
            x = Scope.isolated(() -> {
                Tensor xh = gamma > 0 ? xi.add(Ops.mul(noise(n, shape, rng), sNoise * Math.sqrt(hat * hat - si * si)))
                        : xi;
                Tensor k1 = slope(d, xh, hat);
                Tensor y = xh.add(Ops.mul(k1, next - hat));
                if (next > 0) {
                    Tensor k2 = slope(d, y, next);
                    y = xh.add(Ops.mul(k1.add(k2), 0.5 * (next - hat)));
                }
                return y;
            });
            nfe += next > 0 ? 2 : 1;
        }
        return new Samples(x, nfe, List.of(), List.of(), "EDM Heun, " + steps + " steps (Karras sigmas from "
                + fmt(sigmas[0]) + " to " + fmt(sigmas[steps - 1]) + ")" + (churn > 0 ? ", S_churn " + churn : ""));
    }

    /** Euler in σ-space over σ_0 … σ_N: x̃ ← x̃ + (σ_{i+1} − σ_i)(x̃ − D̃)/σ_i, DDIM's η = 0 update. NFE = N. */
    public static Samples euler(Denoiser d, int n, long[] shape, Rng rng, double[] sigmas) {
        int steps = sigmas.length - 1;
        Tensor x = priorRatio(d.process(), n, shape, rng);
        for (int i = 0; i < steps; i++) {
            Tensor xi = x;
            int k = i;
            x = Scope.isolated(() -> xi.add(Ops.mul(slope(d, xi, sigmas[k]), sigmas[k + 1] - sigmas[k])));
        }
        return new Samples(x, steps, List.of(), List.of(), "Euler in sigma, " + steps + " steps (Karras sigmas)");
    }

    /**
     * DPM-Solver++(2M) (Lu et al. 2022, algorithm 2) in σ-space, with λ = −ln σ: the first step (and the last, to
     * σ = 0) is first order, x̃ ← (σ_{i+1}/σ_i) x̃ − (e^{−h} − 1) D_i with h = λ_{i+1} − λ_i; the others use
     * D = (1 + 1/(2r)) D_i − (1/(2r)) D_{i−1} with r = h_{i−1}/h_i. NFE = N.
     */
    public static Samples dpmSolverPp2m(Denoiser d, int n, long[] shape, Rng rng, double[] sigmas) {
        int steps = sigmas.length - 1;
        Tensor x = priorRatio(d.process(), n, shape, rng);
        Tensor previous = null;
        for (int i = 0; i < steps; i++) {
            double si = sigmas[i];
            double next = sigmas[i + 1];
            Tensor xi = x;
            // the net's intermediates in a scope of their own; the few step tensors stay until the sampler's end
            Tensor den = Scope.isolated(() -> d.denoiseRatio(xi, si));
            if (next == 0) {
                x = den;
            } else {
                double h = Math.log(si) - Math.log(next);
                Tensor use = den;
                if (previous != null) {
                    double hLast = Math.log(sigmas[i - 1]) - Math.log(si);
                    double r = hLast / h;
                    use = Ops.mul(den, 1 + 1 / (2 * r)).sub(Ops.mul(previous, 1 / (2 * r)));
                }
                x = Ops.mul(x, next / si).sub(Ops.mul(use, Math.expm1(-h)));
            }
            previous = den;
        }
        return new Samples(x, steps, List.of(), List.of(), "DPM-Solver++(2M), " + steps + " steps (Karras sigmas)");
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
