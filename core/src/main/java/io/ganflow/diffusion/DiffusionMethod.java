package io.ganflow.diffusion;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.StateDict;
import io.ganflow.nn.VelocityModel;
import io.ganflow.optim.Optimizer;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.Samples;
import io.ganflow.train.SamplingProcedure;
import io.ganflow.train.StepContext;
import io.ganflow.train.StepStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * DDPM (Ho, Jain &amp; Abbeel 2020): a net ε_θ(x_t, t) learns the noise of x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε with the
 * simple loss E_{t, x_0, ε} ‖ε − ε_θ(x_t, t)‖² (t uniform on 1 … T), and samples by reversing the process. The net
 * is any {@link VelocityModel} (a net of x and a time in [0, 1] through ganflow's one time embedding), given t/T.
 * Since ε_θ(x_t, t) = −√(1 − ᾱ_t) ∇ log p_t(x_t) at the optimum, DDPM is a score model with a particular weighting.
 *
 * <p>Two sampling procedures, each deterministic given the request's random stream and counting its network
 * evaluations (NFE):
 * <ul>
 *   <li>{@code ancestral}: x_T ~ N(0, I), then for t = T … 1, x_{t−1} = (x_t − β_t/√(1 − ᾱ_t)·ε_θ)/√(1 − β_t) + σ_t z
 *       with σ_t² = β_t ({@code --option variance=beta}, DDPM's default) or β̃_t ({@code variance=beta_tilde}), and
 *       no noise at t = 1: NFE T. With {@code --option clip_sample=c > 0} the mean is instead the posterior mean
 *       (√ᾱ_{t−1} β_t x̂_0 + √α_t (1 − ᾱ_{t−1}) x_t)/(1 − ᾱ_t) at x̂_0 clipped to [−c, c] (the same mean unclipped);</li>
 *   <li>{@code ddim} (Song, Meng &amp; Ermon 2021, eq. 12): S of the T steps ({@code --nfe S}, chosen by
 *       {@code --option spacing=leading|trailing|linspace}, diffusers' names), x̂_0 = (x_t − √(1 − ᾱ_t) ε_θ)/√ᾱ_t and
 *       x_{t'} = √ᾱ_{t'} x̂_0 + √(1 − ᾱ_{t'} − σ²) ε_θ + σ z with σ = η √((1 − ᾱ_{t'})/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_{t'})
 *       ({@code --option eta=η}; η = 0 is deterministic, η = 1 with all T steps is DDPM with β̃): NFE S. With
 *       {@code --option clip_sample=c > 0} x̂_0 is clipped to [−c, c] before the update and ε_θ is kept
 *       (diffusers' {@code clip_sample}, which its DDIM and DDPM schedulers turn on by default; off by default here,
 *       where toy data are not confined to [−1, 1]).</li>
 * </ul>
 */
public final class DiffusionMethod implements Method, ScoreModel {
    /** DDPM's ancestral sampler: every step of the chain. */
    public static final SamplingProcedure ANCESTRAL = new SamplingProcedure("ancestral", "DDPM's reverse chain over"
            + " all T steps; --option variance=beta|beta_tilde, --option clip_sample=C (x0 clipped to [-C, C]; 0: none)",
            List.of("variance", "clip_sample", "guidance"), false);
    /** DDIM: S of the T steps, deterministic at eta 0. */
    public static final SamplingProcedure DDIM = new SamplingProcedure("ddim", "DDIM over --nfe S of the T steps;"
            + " --option eta=E, --option spacing=leading|trailing|linspace, --option clip_sample=C (x0 clipped to"
            + " [-C, C]; 0: none)", List.of("nfe", "eta", "spacing", "clip_sample", "guidance"), false);
    /** The probability-flow ODE of the continuous process through ganflow's solvers. */
    public static final SamplingProcedure ODE = new SamplingProcedure("ode", "the probability-flow ODE of the VP SDE"
            + " from t = 1 to 0.001 with --solver (euler, heun, rk4, dopri5) and --nfe, or --atol/--rtol for dopri5"
            + "", List.of("solver", "nfe", "atol", "rtol", "guidance"), false);
    /** EDM's Heun sampler on the continuous process's σ/α. */
    public static final SamplingProcedure HEUN = new SamplingProcedure("heun", "EDM's Heun sampler on Karras sigmas"
            + " of the VP SDE, NFE 2N - 1; --nfe, --option rho=R, s_churn=C, s_tmin=, s_tmax=,"
            + " s_noise=", List.of("nfe", "rho", "s_churn", "s_tmin", "s_tmax", "s_noise", "guidance"), false);
    /** DPM-Solver++(2M) on the continuous process's σ/α. */
    public static final SamplingProcedure DPMPP2M = new SamplingProcedure("dpmpp2m", "DPM-Solver++(2M) on Karras"
            + " sigmas of the VP SDE, NFE N; --nfe, --option rho=R", List.of("nfe", "rho", "guidance"), false);
    /** Where the ODE stops: t = δ (Song et al. 2021's ε for VP), as ᾱ(0) = 1 makes the field singular at t = 0. */
    public static final double ODE_END = 1e-3;
    /** The spacings of DDIM's steps. */
    public static final List<String> SPACINGS = List.of("leading", "trailing", "linspace");

    private final VelocityModel eps;
    private final TrainedNet trained;
    private final Optimizer opt;
    private final NoiseSchedule schedule;
    private final long[] shape;
    private final List<SamplingProcedure> procedures;
    private final Defaults defaults;
    private final Tensor sqrtAlphaBar;
    private final Tensor sqrtOneMinusAlphaBar;
    private final ScoreMethod.Conditioning conditioning;

    /**
     * What a sample request falls back on.
     *
     * @param procedure "ancestral" or "ddim" (the method's default procedure)
     * @param variance "beta" or "beta_tilde"
     * @param steps DDIM's steps S
     * @param eta DDIM's η
     * @param spacing DDIM's spacing
     * @param clipSample DDIM's clipping of x̂_0 to [−c, c] (diffusers' {@code clip_sample}); 0: none
     */
    public record Defaults(String procedure, String variance, int steps, double eta, String spacing,
            double clipSample) {
        /** Without clipping. */
        public Defaults(String procedure, String variance, int steps, double eta, String spacing) {
            this(procedure, variance, steps, eta, spacing, 0);
        }
    }

    /**
     * @param eps the noise-prediction net
     * @param opt its optimiser
     * @param schedule the forward process
     * @param shape one sample's shape
     */
    public DiffusionMethod(VelocityModel eps, Optimizer opt, NoiseSchedule schedule, long[] shape, Defaults defaults) {
        this(eps, opt, java.util.Optional.empty(), schedule, shape, defaults);
    }

    /** With an exponential moving average of the net's weights, which then samples. */
    public DiffusionMethod(VelocityModel eps, Optimizer opt, java.util.Optional<io.ganflow.nn.Ema> ema,
            NoiseSchedule schedule, long[] shape, Defaults defaults) {
        this(eps, opt, ema, schedule, shape, defaults, ScoreMethod.Conditioning.NONE);
    }

    /**
     * A class-conditional DDPM (the net a {@link io.ganflow.nn.LabelledVelocityNet}): labels dropped to ∅ with
     * probability p_uncond in training, sampling guided as ε̃ = (1 + w) ε_θ(x, t, y) − w ε_θ(x, t, ∅) (Ho &amp;
     * Salimans 2022, eq. 6), in every sampler.
     */
    public DiffusionMethod(VelocityModel eps, Optimizer opt, java.util.Optional<io.ganflow.nn.Ema> ema,
            NoiseSchedule schedule, long[] shape, Defaults defaults, ScoreMethod.Conditioning conditioning) {
        this.conditioning = conditioning;
        this.eps = eps;
        this.trained = new TrainedNet("eps", eps, opt, ema);
        this.opt = opt;
        this.schedule = schedule;
        this.shape = shape.clone();
        this.defaults = defaults;
        List<SamplingProcedure> all = new ArrayList<>(List.of(ANCESTRAL, DDIM, ODE, HEUN, DPMPP2M));
        SamplingProcedure first = all.stream().filter(p -> p.name().equals(defaults.procedure())).findFirst()
                .orElse(ANCESTRAL);
        all.remove(first);
        all.add(0, first);
        this.procedures = List.copyOf(all);
        int steps = schedule.steps();
        float[] a = new float[steps];
        float[] b = new float[steps];
        for (int s = 1; s <= steps; s++) {
            a[s - 1] = (float) Math.sqrt(schedule.alphaBar(s));
            b[s - 1] = (float) Math.sqrt(1 - schedule.alphaBar(s));
        }
        this.sqrtAlphaBar = io.ganflow.engine.Scope.persistent(Ops.fromFloats(a, steps));
        this.sqrtOneMinusAlphaBar = io.ganflow.engine.Scope.persistent(Ops.fromFloats(b, steps));
    }

    @Override
    public String name() {
        return "ddpm";
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /**
     * One step of the simple loss on a batch: t uniform on 1 … T, ε ~ N(0, I). Everything stays on the run's device:
     * √ᾱ_t and √(1 − ᾱ_t) are looked up in the method's tables by t.
     */
    @Override
    public StepStats step(StepContext ctx) {
        Tensor x0;
        java.util.Optional<Tensor> y = java.util.Optional.empty();
        if (conditioning.classes() > 0) {
            // classifier-free guidance's training: each label dropped to ∅ (index classes) with probability p_uncond
            io.ganflow.data.Batch b = ctx.data().sampleBatch(ctx.batch(), ctx.rng(), true);
            x0 = b.x();
            Tensor drop = ctx.rng().uniform(x0.size(0)).lt(Ops.s(conditioning.pUncond()));
            y = java.util.Optional.of(b.labels().get().masked_fill(Ops.toDevice(drop), Ops.s(conditioning.classes())));
        } else {
            x0 = ctx.data().sample(ctx.batch(), ctx.rng());
        }
        long n = x0.size(0);
        Tensor t = ctx.rng().integers(schedule.steps(), n); // t − 1: the tables start at t = 1
        Tensor noise = Ops.toDevice(ctx.rng().normal(Ops.shape(x0)));
        Tensor xt = Ops.perSample(sqrtAlphaBar.index_select(0, t), x0).mul(x0)
                .add(Ops.perSample(sqrtOneMinusAlphaBar.index_select(0, t), x0).mul(noise));
        Tensor tt = t.to(x0.scalar_type()).add(Ops.s(1)).div(Ops.s(schedule.steps())).reshape(n, 1);
        Tensor pred = eps.velocity(xt, tt, y);
        Tensor loss = Ops.sampleSquaredNorm(pred.sub(noise)).mean();
        opt.step(Ops.grad(loss, eps.tensors(), false));
        trained.stepped();
        return new StepStats().put("eps_loss", loss);
    }

    /** The tables of √ᾱ_t and √(1 − ᾱ_t), t = 1 … T: state that moves to the run's device with the net. */
    @Override
    public List<Tensor> stateTensors() {
        return List.of(sqrtAlphaBar, sqrtOneMinusAlphaBar);
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return sample(SampleRequest.of(n, rng)).x();
    }

    @Override
    public List<SamplingProcedure> samplingProcedures() {
        return procedures;
    }

    @Override
    public int classes() {
        return conditioning.classes();
    }

    /**
     * Samples with a named procedure. A conditional model samples the request's classes (uniform ones where it
     * names none), guided with the request's {@code guidance} or the run's; at w &gt; 0 every ε costs two network
     * evaluations, and the NFE counts both.
     */
    @Override
    public Samples sample(SampleRequest r) {
        int k = conditioning.classes();
        SamplingProcedure p = r.procedureIn(name(), procedures, k > 0);
        Guide g;
        if (k == 0) {
            ScoreMethod.refuseGuidance(r, name());
            g = new Guide(java.util.Optional.empty(), 0);
        } else {
            double w = ScoreMethod.guidance(r, conditioning);
            g = new Guide(java.util.Optional.of(ScoreMethod.labels(r, k)), w);
        }
        Samples s = Ops.noGrad(() -> p == ANCESTRAL ? ancestral(r, g) : p == DDIM ? ddim(r, g) : p == ODE ? ode(r, g)
                : ScoreMethod.sample(denoiser(g), p.name(), r, shape, new ScoreMethod.Settings(0.5, 0, 1, p.name(),
                        defaults.steps(), 7, 0, 0.16, 1, 0.2, 10)));
        if (k == 0) {
            return s;
        }
        return new Samples(s.x(), s.nfe() * (g.w() > 0 ? 2 : 1), s.times(), s.path(), s.description() + ", guidance "
                + g.w() + (g.w() > 0 ? " (two network evaluations per step)" : ""));
    }

    /** The classes a sample request asks for (empty: unconditional) and its guidance scale. */
    private record Guide(java.util.Optional<Tensor> labels, double w) {}

    /** The net that samples: the EMA copy where that is on. */
    private VelocityModel sampler() {
        return trained.sampling();
    }

    /** ε at step t, guided: (1 + w) ε(x, t, y) − w ε(x, t, ∅); the plain ε(x, t) for an unconditional request. */
    private Tensor epsAt(Tensor x, int t, Guide g) {
        VelocityModel f = sampler();
        if (g.labels().isEmpty()) {
            return f.velocity(x, (double) t / schedule.steps());
        }
        Tensor tt = org.bytedeco.pytorch.global.torch.full(new long[] {x.size(0), 1},
                Ops.s((double) t / schedule.steps()), x.options());
        return ScoreMethod.guided(f, x, tt, g.labels(), g.w());
    }

    private Samples ancestral(SampleRequest r, Guide g) {
        String variance = r.option("variance").orElse(defaults.variance());
        if (!List.of("beta", "beta_tilde").contains(variance)) {
            throw new BadInputException("--option variance=" + variance + " is not allowed; allowed: beta, beta_tilde");
        }
        double clip = clipSample(r);
        Tensor x = Ops.toDevice(r.rng().normal(Ops.batchShape(r.n(), shape)));
        int steps = schedule.steps();
        for (int t = steps; t >= 1; t--) {
            // one native scope per step: the net's intermediates are freed as the chain goes, not at its end
            Tensor xt = x;
            int tt = t;
            x = Scope.isolated(() -> {
                Tensor e = epsAt(xt, tt, g);
                double beta = schedule.beta(tt);
                double at = schedule.alphaBar(tt);
                Tensor mean;
                if (clip > 0) {
                    // the posterior mean q(x_{t-1} | x_t, x̂_0) at the clipped x̂_0 (Ho et al. 2020, eq. 7)
                    double ap = schedule.alphaBar(tt - 1);
                    Tensor x0 = Ops.clamp(xt.sub(Ops.mul(e, Math.sqrt(1 - at))).div(Ops.s(Math.sqrt(at))), -clip, clip);
                    mean = Ops.mul(x0, Math.sqrt(ap) * beta / (1 - at)).add(Ops.mul(xt, Math.sqrt(1 - beta) * (1 - ap)
                            / (1 - at)));
                } else {
                    mean = xt.sub(Ops.mul(e, beta / Math.sqrt(1 - at))).div(Ops.s(Math.sqrt(1 - beta)));
                }
                if (tt > 1) {
                    double var = variance.equals("beta") ? beta : schedule.betaTilde(tt);
                    mean = mean.add(Ops.mul(Ops.toDevice(r.rng().normal(Ops.batchShape(r.n(), shape))),
                            Math.sqrt(var)));
                }
                return mean;
            });
        }
        return new Samples(x, steps, List.of(), List.of(), "ancestral, " + steps + " steps, variance " + variance
                + (clip > 0 ? ", x0 clipped to ±" + clip : ""));
    }

    /** The request's clip_sample, or the run's: 0 (none) or the bound c of x̂_0 ∈ [−c, c]. */
    private double clipSample(SampleRequest r) {
        double clip = r.doubleOption("clip_sample", "--option clip_sample").orElse(defaults.clipSample());
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new BadInputException("--option clip_sample=" + clip + " is out of range; allowed: 0 (no clipping) or a"
                    + " positive bound");
        }
        return clip;
    }

    private Samples ddim(SampleRequest r, Guide g) {
        int steps = r.intOption("nfe", "--nfe").orElse(defaults.steps());
        if (steps < 1 || steps > schedule.steps()) {
            throw new BadInputException("--nfe " + steps + " is out of range for DDIM; allowed: 1 to "
                    + schedule.steps() + " (the schedule's steps)");
        }
        double eta = r.doubleOption("eta", "--option eta").orElse(defaults.eta());
        if (!(eta >= 0 && eta <= 1)) {
            throw new BadInputException("--option eta=" + eta + " is out of range; allowed: 0 to 1");
        }
        String spacing = r.option("spacing").orElse(defaults.spacing());
        double clip = clipSample(r);
        int[] ts = timesteps(schedule.steps(), steps, spacing);
        Tensor x = Ops.toDevice(r.rng().normal(Ops.batchShape(r.n(), shape)));
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int prev = i + 1 < ts.length ? ts[i + 1] : 0;
            double at = schedule.alphaBar(t);
            double ap = schedule.alphaBar(prev);
            double sigma = eta * Math.sqrt((1 - ap) / (1 - at)) * Math.sqrt(1 - at / ap);
            Tensor xt = x;
            // one native scope per step, as in the ancestral chain
            x = Scope.isolated(() -> {
                Tensor e = epsAt(xt, t, g);
                Tensor x0 = xt.sub(Ops.mul(e, Math.sqrt(1 - at))).div(Ops.s(Math.sqrt(at)));
                if (clip > 0) {
                    // diffusers' clip_sample: x̂_0 clipped, ε_θ kept as the net gave it
                    x0 = Ops.clamp(x0, -clip, clip);
                }
                Tensor next = Ops.mul(x0, Math.sqrt(ap)).add(Ops.mul(e, Math.sqrt(Math.max(0, 1 - ap - sigma * sigma))));
                if (sigma > 0) {
                    next = next.add(Ops.mul(Ops.toDevice(r.rng().normal(Ops.batchShape(r.n(), shape))), sigma));
                }
                return next;
            });
        }
        return new Samples(x, ts.length, List.of(), List.of(), "ddim, " + ts.length + " of " + schedule.steps()
                + " steps (" + spacing + "), eta " + eta + (clip > 0 ? ", x0 clipped to ±" + clip : ""));
    }

    /**
     * The probability-flow ODE (Song et al. 2021, eq. 13) of the continuous process the schedule discretises
     * ({@link #denoiser}), from t_max to {@link #ODE_END} with any solver. Deterministic: the only draw is x(t_max).
     */
    private Samples ode(SampleRequest r, Guide g) {
        Denoiser d = denoiser(g);
        io.ganflow.flow.Solver s = ScoreSamplers.solver(r);
        return ScoreSamplers.ode(d, ScoreSamplers.prior(d.process(), r.n(), shape, r.rng()), s,
                ScoreSamplers.solverOptions(r, s, defaults.steps()));
    }

    /**
     * The net as a denoiser of the continuous process its schedule discretises, read as an ε prediction at time t:
     * for the linear schedule the VP SDE with β(t) = β_min + t(β_max − β_min), β_min = T·β_1 and β_max = T·β_T, so
     * ᾱ(t) = exp(−β_min t − (β_max − β_min)t²/2), t from {@link #ODE_END} to 1; for the cosine schedule
     * {@link Process#cosine}, whose ᾱ(k/T) is the discrete ᾱ_k, t from {@link #ODE_END} to 1 − 1/T. Through it
     * DDPM has the probability-flow ODE, its likelihood and the σ-space samplers.
     */
    public Denoiser denoiser() {
        return denoiser(new Guide(java.util.Optional.empty(), 0));
    }

    /** {@link #denoiser()} for a request's classes and guidance. */
    private Denoiser denoiser(Guide g) {
        int steps = schedule.steps();
        Process p = schedule.name().equals("cosine") ? Process.cosine(ODE_END, 1 - 1.0 / steps)
                : Process.vp(steps * schedule.beta(1), steps * schedule.beta(steps), ODE_END);
        return ScoreMethod.denoiser(sampler(), p, Target.EPS, 0.5, g.labels(), g.w());
    }

    /**
     * The S of T steps DDIM visits, in descending order (t = 1 … T): {@code linspace} rounds S evenly spaced values
     * from 1 to T; {@code leading} takes 1 + k·⌊T/S⌋ (it never starts at T: the mix-up of diffusers' issues);
     * {@code trailing} takes round(T − k·T/S), starting at T.
     */
    public static int[] timesteps(int total, int steps, String spacing) {
        int[] t = new int[steps];
        for (int k = 0; k < steps; k++) {
            t[k] = switch (spacing) {
                case "linspace" -> steps == 1 ? total : (int) Math.round(1 + (double) (total - 1) * k / (steps - 1));
                case "leading" -> 1 + k * (total / steps);
                case "trailing" -> (int) Math.round(total - (double) k * total / steps);
                default -> throw new BadInputException("--option spacing=" + spacing + " is not allowed; allowed: "
                        + String.join(", ", SPACINGS));
            };
        }
        List<Integer> sorted = new ArrayList<>();
        for (int v : t) {
            if (!sorted.contains(v)) {
                sorted.add(v);
            }
        }
        sorted.sort(java.util.Comparator.reverseOrder());
        return sorted.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        return Map.of("eps", opt);
    }

    @Override
    public Map<String, io.ganflow.nn.Module> networks() {
        return Map.of("eps", sampler());
    }

    @Override
    public java.util.Optional<io.ganflow.nn.Module> trainable(String role) {
        return java.util.Optional.ofNullable(role.equals("eps") ? eps : null);
    }

    @Override
    public void weightsLoaded(String role) {
        trained.weightsLoaded();
    }

    @Override
    public void saveState(StateDict into) {
        trained.save(into);
    }

    @Override
    public void loadState(StateDict from) {
        trained.load(from);
    }
}
