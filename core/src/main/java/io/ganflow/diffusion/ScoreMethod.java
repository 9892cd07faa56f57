package io.ganflow.diffusion;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Ema;
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
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A score model in continuous time (Song et al. 2021) or in EDM's σ-parameterisation (Karras et al. 2022): a net F
 * trained by denoising score matching on x_t = α(t) x_0 + σ(t) ε of a {@link Process}, read through a
 * {@link Target} (ε, x_0, v, the score, or EDM's preconditioned output) and weighted by a
 * {@link Target.Weighting}. Training times are uniform on [t_min, t_max], or, for the {@code edm} process, EDM's
 * log-normal ln σ ~ N(P_mean, P_std²), tabulated at fine quantiles so that a step runs on the device alone.
 *
 * <p>Samplers: {@code heun} (EDM's, with churn), {@code dpmpp2m}, {@code euler} in σ-space on Karras's schedule;
 * {@code ode} (the probability-flow ODE through ganflow's solvers), {@code sde} (the reverse SDE), {@code pc}
 * (predictor–corrector), {@code langevin} (NCSN's annealed Langevin) in the process's time. With EMA on, the
 * averaged net samples.
 */
public final class ScoreMethod implements Method, ScoreModel {
    /** The sampling procedures, in the order {@code ganflow sample --help} lists them. */
    public static final List<SamplingProcedure> PROCEDURES = List.of(
            new SamplingProcedure("heun", "EDM's Heun sampler on Karras sigmas, NFE 2N - 1; --nfe, --option"
                    + " rho=R, s_churn=C, s_tmin=, s_tmax=, s_noise=", List.of("nfe", "rho", "s_churn", "s_tmin",
                    "s_tmax", "s_noise", "guidance"), false),
            new SamplingProcedure("dpmpp2m", "DPM-Solver++(2M) on Karras sigmas, NFE N; --nfe, --option rho=R",
                    List.of("nfe", "rho", "guidance"), false),
            new SamplingProcedure("euler", "Euler in sigma on Karras sigmas (DDIM's eta = 0 update), NFE N; --nfe,"
                    + " --option rho=R", List.of("nfe", "rho", "guidance"), false),
            new SamplingProcedure("ode", "the probability-flow ODE from t_max to t_min with --solver (euler, heun, rk4,"
                    + " dopri5) and --nfe, or --atol/--rtol", List.of("solver", "nfe", "atol", "rtol", "guidance"), false),
            new SamplingProcedure("sde", "the reverse SDE by Euler-Maruyama, --nfe steps", List.of("nfe", "guidance"),
                    false),
            new SamplingProcedure("pc", "predictor-corrector: reverse-SDE steps each after Langevin corrector steps;"
                    + " --nfe (total), --option corrector=M, snr=R", List.of("nfe", "corrector", "snr", "guidance"), false),
            new SamplingProcedure("langevin", "NCSN's annealed Langevin dynamics; --nfe (total), --option"
                    + " per_level=K, step=D (a = D sigma^2), denoise=true|false", List.of("nfe", "per_level", "step", "denoise",
                    "guidance"), false));

    private final String name;
    private final VelocityModel net;
    private final Optimizer opt;
    private final TrainedNet trained;
    private final Process process;
    private final Target target;
    private final Target.Weighting weighting;
    private final Settings settings;
    private final long[] shape;
    private final List<SamplingProcedure> procedures;
    private final Tensor table;
    private final Conditioning conditioning;

    /**
     * A class-conditional score model (the net a {@link io.ganflow.nn.LabelledVelocityNet}): labels dropped to ∅ with
     * probability {@code pUncond} in training (Ho &amp; Salimans 2022), and sampling guided with scale {@code guidance}
     * unless a request names its own.
     *
     * @param classes 0 for an unconditional model
     */
    public record Conditioning(int classes, double pUncond, double guidance) {
        public static final Conditioning NONE = new Conditioning(0, 0, 0);
    }

    /**
     * The method's numbers besides its process, target and weighting.
     *
     * @param sigmaData σ_d of EDM's preconditioning and weighting
     * @param pMean P_mean of EDM's log-normal training σ
     * @param pStd P_std of the same
     * @param sampler the default sampler's name
     * @param nfe the default NFE of a sampler
     * @param rho ρ of Karras's schedule
     * @param churn S_churn of EDM's sampler
     * @param snr the Langevin corrector's signal-to-noise ratio
     * @param corrector Langevin corrector steps per predictor step
     * @param langevinStep δ of annealed Langevin's step a = δ σ² (NCSN's ε/σ_L²)
     * @param perLevel annealed Langevin's steps per noise level
     */
    public record Settings(double sigmaData, double pMean, double pStd, String sampler, int nfe, double rho,
            double churn, double snr, int corrector, double langevinStep, int perLevel) {}

    public ScoreMethod(String name, VelocityModel net, Optimizer opt, Optional<Ema> ema, Process process, Target target,
            Target.Weighting weighting, long[] shape, Settings settings) {
        this(name, net, opt, ema, process, target, weighting, shape, settings, Conditioning.NONE);
    }

    public ScoreMethod(String name, VelocityModel net, Optimizer opt, Optional<Ema> ema, Process process, Target target,
            Target.Weighting weighting, long[] shape, Settings settings, Conditioning conditioning) {
        this.name = name;
        this.conditioning = conditioning;
        this.net = net;
        this.opt = opt;
        this.trained = new TrainedNet("net", net, opt, ema);
        this.process = process;
        this.target = target;
        this.weighting = weighting;
        this.shape = shape.clone();
        this.settings = settings;
        List<SamplingProcedure> all = new ArrayList<>(PROCEDURES);
        SamplingProcedure first = all.stream().filter(p -> p.name().equals(settings.sampler())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown sampler " + settings.sampler()));
        all.remove(first);
        all.add(0, first);
        this.procedures = List.copyOf(all);
        this.table = timeTable();
    }

    @Override
    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public Target target() {
        return target;
    }

    /** The denoiser of the sampling net (the EMA copy where that is on). */
    @Override
    public Denoiser denoiser() {
        return denoiser(trained.sampling(), process, target, settings.sigmaData());
    }

    /** D(x, t) = c_x x + c_o F(c_in x, netTime(t)) of a net read through a target. */
    public static Denoiser denoiser(VelocityModel f, Process p, Target target, double sigmaData) {
        return denoiser(f, p, target, sigmaData, Optional.empty(), 0);
    }

    /**
     * The denoiser of classes y with classifier-free guidance at scale w (Ho &amp; Salimans 2022, eq. 6): the net's
     * output is F̃ = (1 + w) F(x, t, y) − w F(x, t, ∅). Every target is affine in F with weights that do not depend
     * on y, so guiding F guides D, ε, the score and v alike: (1 + w) D_y − w D_∅ = c_x x + c_o F̃.
     */
    public static Denoiser denoiser(VelocityModel f, Process p, Target target, double sigmaData,
            Optional<Tensor> labels, double w) {
        return new Denoiser() {
            @Override
            public Process process() {
                return p;
            }

            @Override
            public Tensor denoise(Tensor x, double t) {
                Target.Coefficients c = target.coefficients(p.alpha(t), p.sigma(t), sigmaData);
                Tensor in = c.cin() == 1 ? x : Ops.mul(x, c.cin());
                Tensor tt = org.bytedeco.pytorch.global.torch.full(new long[] {x.size(0), 1}, Ops.s(p.netTime(t)),
                        x.options());
                Tensor out = guided(f, in, tt, labels, w);
                return c.cx() == 0 ? Ops.mul(out, c.co()) : Ops.mul(x, c.cx()).add(Ops.mul(out, c.co()));
            }
        };
    }

    /**
     * The net's output guided at scale w: (1 + w) F(x, t, y) − w F(x, t, ∅) for labels y (Ho &amp; Salimans 2022, eq. 6);
     * F(x, t, y) alone at w = 0 or without labels.
     */
    static Tensor guided(VelocityModel f, Tensor x, Tensor t, Optional<Tensor> labels, double w) {
        Tensor out = f.velocity(x, t, labels);
        if (labels.isPresent() && w != 0) {
            out = Ops.mul(out, 1 + w).sub(Ops.mul(f.velocity(x, t, Optional.empty()), w));
        }
        return out;
    }

    /** How finely training times are tabulated: {@link #TIMES} quantiles of their distribution. */
    public static final int TIMES = 16384;

    /**
     * The training times' table, one row per quantile u_k = (k + ½)/K of their distribution (uniform t, or EDM's
     * log-normal σ through the normal quantile function), with the columns α, σ, c_in, t_x, t_ε, the net's time and
     * the loss weight: every number of a step's loss comes from the process, target and weighting written once in
     * float64, and a step only looks rows up on the run's device by a drawn index (no read back to the host, as
     * DDPM's tables). K = 16,384 atoms stand for the continuous distribution: its CDF is off by at most 1/(2K).
     */
    private Tensor timeTable() {
        float[] rows = new float[TIMES * 7];
        for (int k = 0; k < TIMES; k++) {
            double u = (k + 0.5) / TIMES;
            double t = process.name().equals("edm")
                    ? Math.exp(settings.pMean() + settings.pStd() * NormalQuantile.of(u))
                    : process.tMin() + (process.tMax() - process.tMin()) * u;
            double a = process.alpha(t);
            double sg = process.sigma(t);
            Target.Coefficients c = target.coefficients(a, sg, settings.sigmaData());
            double[] row = {a, sg, c.cin(), c.tx(), c.te(), process.netTime(t),
                weighting.targetWeight(target, process, t, settings.sigmaData())};
            for (int j = 0; j < 7; j++) {
                rows[k * 7 + j] = (float) row[j];
            }
        }
        return io.ganflow.engine.Scope.persistent(Ops.fromFloats(rows, TIMES, 7));
    }

    /**
     * One step of denoising score matching: a time per sample (a row of the table), x_t = α x_0 + σ ε, and the
     * weighted squared error of F(c_in x_t, netTime(t)) against the target t_x x_0 + t_ε ε, summed over a sample's
     * coordinates and averaged over the batch.
     */
    @Override
    public StepStats step(StepContext ctx) {
        Tensor x0;
        Optional<Tensor> y = Optional.empty();
        if (conditioning.classes() > 0) {
            // classifier-free guidance's training: each label dropped to ∅ (index classes) with probability p_uncond
            io.ganflow.data.Batch b = ctx.data().sampleBatch(ctx.batch(), ctx.rng(), true);
            x0 = b.x();
            Tensor drop = ctx.rng().uniform(x0.size(0)).lt(Ops.s(conditioning.pUncond()));
            y = Optional.of(b.labels().get().masked_fill(Ops.toDevice(drop), Ops.s(conditioning.classes())));
        } else {
            x0 = ctx.data().sample(ctx.batch(), ctx.rng());
        }
        long n = x0.size(0);
        Tensor rows = table.index_select(0, ctx.rng().integers(TIMES, n)).to(x0.scalar_type());
        Tensor noise = Ops.toDevice(ctx.rng().normal(Ops.shape(x0)));
        Tensor xt = column(rows, 0, x0).mul(x0).add(column(rows, 1, x0).mul(noise));
        Tensor out = net.velocity(column(rows, 2, x0).mul(xt), rows.select(1, 5).reshape(n, 1), y);
        Tensor goal = column(rows, 3, x0).mul(x0).add(column(rows, 4, x0).mul(noise));
        Tensor loss = Ops.sampleSquaredNorm(out.sub(goal)).mul(rows.select(1, 6)).mean();
        opt.step(Ops.grad(loss, net.tensors(), false));
        trained.stepped();
        return new StepStats().put("dsm_loss", loss);
    }

    /** Column j of the table's rows, as (n, 1, …) to broadcast over x's samples. */
    private static Tensor column(Tensor rows, int j, Tensor like) {
        return Ops.perSample(rows.select(1, j), like);
    }

    /** The table of training times, which moves to the run's device with the net. */
    @Override
    public List<Tensor> stateTensors() {
        return List.of(table);
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
     * names none), guided with the request's {@code guidance} or the run's; guidance at w &gt; 0 costs two network
     * evaluations per denoiser call, and the NFE counts both.
     */
    @Override
    public Samples sample(SampleRequest r) {
        int k = conditioning.classes();
        SamplingProcedure p = r.procedureIn(name, procedures, k > 0);
        if (k == 0) {
            refuseGuidance(r, name);
            return Ops.noGrad(() -> sample(denoiser(), p.name(), r, shape, settings));
        }
        double w = guidance(r, conditioning);
        VelocityModel f = trained.sampling();
        Denoiser d = denoiser(f, process, target, settings.sigmaData(), Optional.of(labels(r, k)), w);
        Samples s = Ops.noGrad(() -> sample(d, p.name(), r, shape, settings));
        int calls = w > 0 ? 2 : 1;
        return new Samples(s.x(), s.nfe() * calls, s.times(), s.path(), s.description() + ", guidance " + w
                + (w > 0 ? " (two network evaluations per denoiser call)" : ""));
    }

    /** A conditional request's guidance scale: its {@code --option guidance}, or the run's; 0 to 100. */
    static double guidance(SampleRequest r, Conditioning conditioning) {
        double w = r.doubleOption("guidance", "--option guidance").orElse(conditioning.guidance());
        if (!(w >= 0) || w > 100) {
            throw new BadInputException("--option guidance=" + w + " is out of range; allowed: 0 to 100");
        }
        return w;
    }

    /** A conditional request's classes on the device: the ones it names (each checked), else uniform draws. */
    static Tensor labels(SampleRequest r, int classes) {
        long[] labels = r.labels().orElseGet(() -> Ops.toLongs(r.rng().integers(classes, r.n())));
        for (long y : labels) {
            if (y < 0 || y >= classes) {
                throw new BadInputException("class " + y + " is not one of this run's classes; allowed: 0 to "
                        + (classes - 1));
            }
        }
        return Ops.toDevice(Ops.fromLongs(labels));
    }

    /** The refusal of {@code --option guidance} by an unconditional model. */
    static void refuseGuidance(SampleRequest r, String name) {
        if (r.option("guidance").isPresent()) {
            throw new BadInputException("--option guidance applies to a conditional model (model.condition=embed);"
                    + " this " + name + " model is unconditional");
        }
    }

    /** Samples from any denoiser with a named sampler and a request's options over {@code defaults}. */
    public static Samples sample(Denoiser d, String sampler, SampleRequest r, long[] shape, Settings defaults) {
        int nfe = r.intOption("nfe", "--nfe").orElse(defaults.nfe());
        if (nfe < 1 || nfe > 1_000_000) {
            throw new BadInputException("--nfe " + nfe + " is out of range; allowed: 1 to 1000000");
        }
        double rho = positive(r, "rho", defaults.rho());
        Process p = d.process();
        switch (sampler) {
            case "heun": {
                double churn = r.doubleOption("s_churn", "--option s_churn").orElse(defaults.churn());
                if (!(churn >= 0)) {
                    throw new BadInputException("--option s_churn=" + churn + " is out of range; allowed: >= 0");
                }
                return ScoreSamplers.heun(d, r.n(), shape, r.rng(), ScoreSamplers.karras(p, Math.max(1, (nfe + 1) / 2),
                        rho), churn, r.doubleOption("s_tmin", "--option s_tmin").orElse(0.0),
                        r.doubleOption("s_tmax", "--option s_tmax").orElse(Double.POSITIVE_INFINITY),
                        positive(r, "s_noise", 1.0));
            }
            case "dpmpp2m":
                return ScoreSamplers.dpmSolverPp2m(d, r.n(), shape, r.rng(), ScoreSamplers.karras(p, nfe, rho));
            case "euler":
                return ScoreSamplers.euler(d, r.n(), shape, r.rng(), ScoreSamplers.karras(p, nfe, rho));
            case "ode": {
                io.ganflow.flow.Solver s = ScoreSamplers.solver(r);
                return ScoreSamplers.ode(d, ScoreSamplers.prior(p, r.n(), shape, r.rng()), s,
                        ScoreSamplers.solverOptions(r, s, nfe));
            }
            case "sde":
                return ScoreSamplers.reverseSde(d, r.n(), shape, r.rng(), nfe);
            case "pc": {
                int corrector = r.intOption("corrector", "--option corrector").orElse(defaults.corrector());
                if (corrector < 0 || corrector >= nfe) {
                    throw new BadInputException("--option corrector=" + corrector + " is out of range; allowed: 0 to "
                            + (nfe - 1) + " (below --nfe " + nfe + ")");
                }
                return ScoreSamplers.predictorCorrector(d, r.n(), shape, r.rng(), nfe / (1 + corrector), corrector,
                        positive(r, "snr", defaults.snr()));
            }
            default: {
                int per = r.intOption("per_level", "--option per_level").orElse(Math.min(defaults.perLevel(), nfe));
                if (per < 1 || per > nfe) {
                    throw new BadInputException("--option per_level=" + per + " is out of range; allowed: 1 to " + nfe
                            + " (--nfe)");
                }
                String denoise = r.option("denoise").orElse("true");
                if (!List.of("true", "false").contains(denoise)) {
                    throw new BadInputException("--option denoise=" + denoise + " is not allowed; allowed: true, false");
                }
                return ScoreSamplers.annealedLangevin(d, r.n(), shape, r.rng(), Math.max(1, nfe / per), per,
                        positive(r, "step", defaults.langevinStep()), denoise.equals("true"));
            }
        }
    }

    private static double positive(SampleRequest r, String option, double fallback) {
        double v = r.doubleOption(option, "--option " + option).orElse(fallback);
        if (!(v > 0 && Double.isFinite(v))) {
            throw new BadInputException("--option " + option + "=" + v + " is out of range; allowed: a number > 0");
        }
        return v;
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        return Map.of("net", opt);
    }

    @Override
    public Map<String, io.ganflow.nn.Module> networks() {
        return Map.of("denoiser", trained.sampling());
    }

    @Override
    public Optional<io.ganflow.nn.Module> trainable(String role) {
        return Optional.ofNullable(role.equals("denoiser") ? trained.net : null);
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
