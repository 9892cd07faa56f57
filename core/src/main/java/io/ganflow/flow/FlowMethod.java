package io.ganflow.flow;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.Transport;
import io.ganflow.nn.StateDict;
import io.ganflow.optim.Optimizer;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.Samples;
import io.ganflow.train.SamplingProcedure;
import io.ganflow.train.StepContext;
import io.ganflow.train.StepStats;
import org.bytedeco.pytorch.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rectified flow (SPEC C): trains v with the C1 loss from a prior to the data, then optionally reflows
 * (C4) and distils (C5). The run's steps are split evenly into stages:
 * <ol>
 *   <li>1-RF: pairs (x0, x1) drawn independently, x0 from the prior and x1 from the data;</li>
 *   <li>each reflow round k = 2, 3, …: N fresh x0 are pushed through the current flow with the reflow solver,
 *       giving fixed pairs (x0, ODE(x0)); v keeps its weights (warm start, as Liu et al. 2022 do) and trains
 *       on those pairs;</li>
 *   <li>distillation: a copy of v is trained so that one Euler step lands on the pair's end,
 *       ‖x0 + v(x0, 0) − x1‖²; samples then cost one function evaluation.</li>
 * </ol>
 * At the end of each stage the method measures that stage's model: W1 of its RK45 samples and of its
 * 1-step Euler samples to held-out data (exact, 1,000 points each), NFE of RK45, and straightness. These go
 * into the run's summary as {@code stage<k>_…}.
 *
 * <p>Samples may have any shape (n, shape...): the prior, the couplings and the solvers' states have the data's
 * sample shape, and W1 is taken on the flattened samples. For images every measurement (stage metrics,
 * straightness, the NFE diagnostic) uses {@link #IMAGE_EVAL_POINTS} points instead of 1,000, since each point
 * costs a full ODE solve of the velocity net (see {@link #evaluationPoints}).
 */
public final class FlowMethod implements Method {
    private static final int STAGE_EVAL = 1000;
    /** The number of points a flow on image data is measured on (set by the config's setup for shaped data). */
    public static final int IMAGE_EVAL_POINTS = 64;

    /** RK4 steps of the straightness quadrature for image flows (points use 100). */
    public static final int IMAGE_STRAIGHTNESS_STEPS = 10;
    private int straightnessSteps = 100;
    private double stageTolerance = 1e-5;
    private final io.ganflow.nn.VelocityModel v;
    private final io.ganflow.nn.VelocityModel distilled;
    private final Optimizer optV;
    private final Optimizer optDistill;
    private final Sampler prior;
    private final Solver solver;
    private final Solver.Options solverOptions;
    private final Solver reflowSolver;
    private final Solver.Options reflowOptions;
    private final int reflowRounds;
    private final int reflowPairs;
    private final boolean distill;
    private final Map<String, Double> stageMetrics = new LinkedHashMap<>();
    private int stage;
    private Tensor pairs0;
    private Tensor pairs1;
    private int lastNfe;
    private Dataset data;
    private int evalPoints = STAGE_EVAL;
    private int defaultSteps = 25;
    private double defaultAtol = 1e-5;
    private double defaultRtol = 1e-5;

    /** Solving the flow's ODE from the prior: any solver of {@link Solver}, with an NFE or tolerances. */
    public static final SamplingProcedure ODE = new SamplingProcedure("ode", "the flow's ODE from the prior at t = 0 to"
            + " t = 1 with --solver (euler, heun, rk4, dopri5) and --nfe, or --atol/--rtol for dopri5",
            List.of("solver", "nfe", "atol", "rtol", "guidance"), true);

    private final java.util.Optional<io.ganflow.nn.Module> priorNet;
    /** A conditional flow's classes (0: unconditional), its label dropout to ∅ and its default guidance scale. */
    private final int classes;
    private final double pUncond;
    private final double guidance;

    private FlowMethod(Builder b) {
        this.v = b.v;
        this.distilled = b.distilled;
        this.optV = b.optV;
        this.optDistill = b.optDistill;
        this.prior = b.prior;
        this.priorNet = b.priorNet;
        this.solver = b.solver;
        this.solverOptions = b.solverOptions;
        this.reflowSolver = b.reflowSolver;
        this.reflowOptions = b.reflowOptions;
        this.reflowRounds = b.reflowRounds;
        this.reflowPairs = b.reflowPairs;
        this.distill = b.distill;
        this.classes = b.classes;
        this.pUncond = b.pUncond;
        this.guidance = b.guidance;
        if (classes > 0 && (reflowRounds > 0 || distill || priorNet.isPresent())) {
            throw new IllegalArgumentException("a conditional flow trains one stage from N(0, I): no reflow, no"
                    + " distillation, no generator prior");
        }
    }

    /**
     * A flow trained with {@code optV} from {@code prior} to the data; the rest has defaults: RK4 in 25 steps,
     * no reflow, no distillation.
     *
     * @param v the velocity net
     * @param distilled the net a distillation stage trains (of v's architecture; trained only with
     *     {@link Builder#distill})
     */
    public static Builder builder(io.ganflow.nn.VelocityModel v, Optimizer optV, io.ganflow.nn.VelocityModel distilled,
            Optimizer optDistill, Sampler prior) {
        return new Builder(v, optV, distilled, optDistill, prior);
    }

    /** The settings of a {@link FlowMethod}. */
    public static final class Builder {
        private final io.ganflow.nn.VelocityModel v;
        private final Optimizer optV;
        private final io.ganflow.nn.VelocityModel distilled;
        private final Optimizer optDistill;
        private final Sampler prior;
        private java.util.Optional<io.ganflow.nn.Module> priorNet = java.util.Optional.empty();
        private Solver solver = Solver.RK4;
        private Solver.Options solverOptions = Solver.Options.steps(25);
        private Solver reflowSolver = Solver.DOPRI5;
        private Solver.Options reflowOptions = Solver.Options.tolerances(1e-5, 1e-5);
        private int reflowRounds;
        private int reflowPairs = 10_000;
        private boolean distill;
        private int classes;
        private double pUncond;
        private double guidance;

        private Builder(io.ganflow.nn.VelocityModel v, Optimizer optV, io.ganflow.nn.VelocityModel distilled,
                Optimizer optDistill, Sampler prior) {
            this.v = v;
            this.optV = optV;
            this.distilled = distilled;
            this.optDistill = optDistill;
            this.prior = prior;
        }

        /** The sampler's solver and its settings. */
        public Builder solver(Solver s, Solver.Options o) {
            solver = s;
            solverOptions = o;
            return this;
        }

        /** {@code rounds} reflow stages after 1-RF, each on {@code pairs} couplings made by solver s. */
        public Builder reflow(int rounds, int pairs, Solver s, Solver.Options o) {
            reflowRounds = rounds;
            reflowPairs = pairs;
            reflowSolver = s;
            reflowOptions = o;
            return this;
        }

        /**
         * A class-conditional flow (v a {@link io.ganflow.nn.LabelledVelocityNet} of {@code classes} classes): labels
         * are dropped to ∅ with probability {@code pUncond} in training, and sampling guides with scale
         * {@code guidance} unless a request names its own.
         */
        public Builder conditional(int classes, double pUncond, double guidance) {
            this.classes = classes;
            this.pUncond = pUncond;
            this.guidance = guidance;
            return this;
        }

        /** Finish with a distillation stage into a one-step generator (SPEC C5). */
        public Builder distill(boolean on) {
            distill = on;
            return this;
        }

        /**
         * The fixed network the prior draws through (flow.prior=generator, SPEC C2): not trained, but the method's
         * state, so it moves to the run's device with the rest.
         */
        public Builder priorNet(io.ganflow.nn.Module net) {
            priorNet = java.util.Optional.of(net);
            return this;
        }

        public FlowMethod build() {
            return new FlowMethod(this);
        }
    }

    @Override
    public String name() {
        return "rf";
    }

    public int stages() {
        return 1 + reflowRounds + (distill ? 1 : 0);
    }

    /** The 0-based stage of a 1-based step. */
    public int stageOf(long step, long total) {
        return (int) Math.min(stages() - 1, (step - 1) * stages() / total);
    }

    /**
     * How many prior draws (and held-out points) the stage metrics, straightness and the NFE diagnostic use;
     * 1,000 by default. Each costs an ODE solve, so image flows use fewer ({@link #IMAGE_EVAL_POINTS}).
     */
    public FlowMethod evaluationPoints(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("evaluation points must be >= 2, got " + n);
        }
        evalPoints = n;
        return this;
    }

    /**
     * The cheaper evaluation of image flows: {@link #IMAGE_EVAL_POINTS} points, straightness on
     * {@link #IMAGE_STRAIGHTNESS_STEPS} RK4 steps, and the stage metrics' RK45 at tolerances 1e-3. On the
     * CPU a U-Net evaluation of 256 points with 100-step straightness took minutes.
     */
    public FlowMethod imageEvaluation() {
        evaluationPoints(IMAGE_EVAL_POINTS);
        straightnessSteps = IMAGE_STRAIGHTNESS_STEPS;
        stageTolerance = 1e-3;
        return this;
    }

    public int evaluationPoints() {
        return evalPoints;
    }

    /**
     * What a sample request falls back on when it names a solver without its settings: flow.steps for the
     * fixed-step solvers, flow.atol and flow.rtol for dopri5.
     */
    public FlowMethod samplingDefaults(int steps, double atol, double rtol) {
        defaultSteps = steps;
        defaultAtol = atol;
        defaultRtol = rtol;
        return this;
    }

    public io.ganflow.nn.VelocityModel velocity() {
        return v;
    }

    @Override
    public Map<String, io.ganflow.nn.Module> networks() {
        Map<String, io.ganflow.nn.Module> m = new java.util.LinkedHashMap<>();
        m.put("velocity", v);
        if (isDistilled()) {
            m.put("velocity_distilled", distilled);
        }
        return m;
    }

    /**
     * The distilled net in full (it joins {@link #networks} only at its stage, after the trainer has moved the
     * state); the prior's fixed generator is moved where it is made (FlowFamily).
     */
    @Override
    public List<Tensor> stateTensors() {
        List<Tensor> out = new java.util.ArrayList<>();
        for (io.ganflow.nn.Module m : priorNet.isPresent() ? List.of(distilled, priorNet.get()) : List.of(distilled)) {
            m.parameters().forEach(p -> out.add(p.value()));
            m.buffers().forEach(b -> out.add(b.value()));
        }
        return out;
    }

    public boolean isDistilled() {
        return distill && stage == stages() - 1;
    }

    @Override
    public StepStats step(StepContext ctx) {
        data = ctx.data();
        int want = stageOf(ctx.step(), ctx.totalSteps());
        while (stage < want) {
            // the stage's measurements and the next stage's couplings are sampling: float32, as evaluation is
            try (Precision.Use fp32 = Precision.use(Precision.FP32)) {
                finishStage(ctx.data(), ctx.rng());
            }
        }
        StepStats stats = new StepStats();
        Tensor x0;
        Tensor x1;
        if (classes > 0) {
            // classifier-free guidance's training: each label dropped to ∅ (index classes) with probability pUncond
            x0 = prior.sample(ctx.batch(), ctx.rng());
            io.ganflow.data.Batch b = ctx.data().sampleBatch(ctx.batch(), ctx.rng(), true);
            Tensor drop = ctx.rng().uniform(b.x().size(0)).lt(Ops.s(pUncond));
            Optional<Tensor> y = Optional.of(b.labels().get().masked_fill(Ops.toDevice(drop), Ops.s(classes)));
            Tensor loss = RectifiedFlow.loss((x, t) -> v.velocity(x, t, y), x0, b.x(), ctx.rng());
            optV.step(Ops.grad(loss, v.tensors(), false));
            return stats.put("rf_loss", loss).put("stage", 1);
        }
        if (stage == 0) {
            x0 = prior.sample(ctx.batch(), ctx.rng());
            x1 = ctx.data().sample(ctx.batch(), ctx.rng());
        } else {
            Tensor idx = ctx.rng().integers(pairs0.size(0), ctx.batch());
            x0 = pairs0.index_select(0, idx);
            x1 = pairs1.index_select(0, idx);
        }
        if (isDistilled()) {
            Tensor r = x0.add(distilled.velocity(x0, 0.0)).sub(x1);
            Tensor loss = Ops.sampleSquaredNorm(r).mean();
            optDistill.step(Ops.grad(loss, distilled.tensors(), false));
            stats.put("distill_loss", loss);
        } else {
            Tensor loss = RectifiedFlow.loss(v::velocity, x0, x1, ctx.rng());
            optV.step(Ops.grad(loss, v.tensors(), false));
            stats.put("rf_loss", loss);
        }
        stats.put("stage", stage + 1);
        return stats;
    }

    /** Measures the finished stage, then prepares the next: new pairs for a reflow, a copy of v to distil. */
    private void finishStage(Dataset data, Rng rng) {
        try (Scope s = Scope.open()) {
            stageMetrics.putAll(measure(data, "stage" + (stage + 1) + "_"));
        }
        stage++;
        boolean distilling = isDistilled();
        if (stage <= reflowRounds || distilling) {
            // pairs from the current flow (the last reflowed one when distilling)
            Tensor z = prior.sample(reflowPairs, rng);
            Tensor end = reflowSolver.solve(this::field, z, 0, 1, reflowOptions).x();
            pairs0 = Scope.persistent(z);
            pairs1 = Scope.persistent(end);
        }
        if (distilling) {
            distilled.copyFrom(v);
        }
    }

    private Tensor field(Tensor x, double t) {
        return v.velocity(x, t);
    }

    /** W1 (RK45 and 1-step Euler samples), RK45's NFE and straightness of the current model. */
    private Map<String, Double> measure(Dataset data, String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        Rng r = Rng.derived(20_251_122L, "flow/stage-eval");
        Tensor z = prior.sample(evalPoints, r);
        double[][] ref = Ops.toRows(data.standardizer().toData(Ops.flatten(data.reference(evalPoints, r))));
        if (isDistilled()) {
            Tensor x = Ops.noGrad(() -> z.add(distilled.velocity(z, 0.0)));
            m.put(prefix + "w1_1step", w1(data, x, ref));
            m.put(prefix + "nfe", 1.0);
            return m;
        }
        Solver.Result rk45 = Solver.DOPRI5.solve(this::field, z, 0, 1,
                Solver.Options.tolerances(stageTolerance, stageTolerance));
        m.put(prefix + "w1_rk45", w1(data, rk45.x(), ref));
        m.put(prefix + "nfe_rk45", (double) rk45.nfe());
        m.put(prefix + "w1_euler1", w1(data, Solver.EULER.solve(this::field, z, 0, 1, Solver.Options.steps(1)).x(), ref));
        m.put(prefix + "straightness", RectifiedFlow.straightness(this::field, z, straightnessSteps));
        return m;
    }

    private static double w1(Dataset data, Tensor modelSpace, double[][] ref) {
        double[][] gen = Ops.toRows(data.standardizer().toData(Ops.flatten(modelSpace)));
        int m = Math.min(gen.length, ref.length);
        return Transport.exactW1(java.util.Arrays.copyOf(gen, m), java.util.Arrays.copyOf(ref, m));
    }

    /** Samples with the configured solver (one Euler step of the distilled model after distillation). */
    @Override
    public Tensor sample(int n, Rng rng) {
        if (classes > 0) {
            return sample(SampleRequest.of(n, rng)).x(); // uniform classes, the default guidance
        }
        return sample(n, rng, solver, solverOptions).x();
    }

    @Override
    public int classes() {
        return classes;
    }

    /**
     * The classifier-free guided field of labels y at scale w (Ho &amp; Salimans 2022, eq. 6, for a velocity):
     * (1 + w)·v(x, t, y) − w·v(x, t, ∅); w = 0 is the conditional field itself.
     */
    public static VectorField guided(io.ganflow.nn.VelocityModel v, Tensor y, double w) {
        return (x, t) -> {
            Tensor tt = org.bytedeco.pytorch.global.torch.full(new long[] {x.size(0), 1}, Ops.s(t), x.options());
            Tensor cond = v.velocity(x, tt, Optional.of(y));
            return w == 0 ? cond : Ops.mul(cond, 1 + w).sub(Ops.mul(v.velocity(x, tt), w));
        };
    }

    /** Samples with any solver; returns the NFE spent. */
    public Solver.Result sample(int n, Rng rng, Solver s, Solver.Options o) {
        Tensor z = Ops.noGrad(() -> prior.sample(n, rng));
        if (isDistilled()) {
            return new Solver.Result(Ops.noGrad(() -> z.add(distilled.velocity(z, 0.0))), 1, List.of(), List.of());
        }
        Solver.Result r = s.solve(this::field, z, 0, 1, o);
        lastNfe = r.nfe();
        return r;
    }

    @Override
    public List<SamplingProcedure> samplingProcedures() {
        return List.of(ODE);
    }

    /**
     * The ODE procedure with the request's solver and settings (the run's flow.solver and its settings where the
     * request names none). A distilled flow samples with its one step and ignores the solver; a kept path is the
     * velocity field's trajectories all the same.
     */
    @Override
    public Samples sample(SampleRequest r) {
        r.procedureIn(name(), samplingProcedures(), classes > 0);
        if (classes == 0 && r.option("guidance").isPresent()) {
            throw new BadInputException("--option guidance applies to a conditional flow (model.condition=embed); this"
                    + " flow is unconditional");
        }
        Solver s = SolverRequest.solver(r, solver);
        Solver.Options o = requestOptions(r, s);
        if (isDistilled() && !r.keepPath()) {
            Solver.Result one = sample(r.n(), r.rng(), s, o);
            return new Samples(one.x(), one.nfe(), List.of(), List.of(), "distilled one-step generator"
                    + (r.options().isEmpty() ? "" : " (the solver flags are ignored)"));
        }
        VectorField f = this::field;
        String guide = "";
        int netCalls = 1;
        if (classes > 0) {
            double w = r.doubleOption("guidance", "--option guidance").orElse(guidance);
            if (!(w >= 0) || w > 100) {
                throw new BadInputException("--option guidance=" + w + " is out of range; allowed: 0 to 100");
            }
            long[] y = r.labels().orElse(null);
            if (y == null) {
                y = Ops.toLongs(r.rng().integers(classes, r.n()));
            }
            for (long k : y) {
                if (k < 0 || k >= classes) {
                    throw new BadInputException("class " + k + " is not one of this run's classes; allowed: 0 to "
                            + (classes - 1));
                }
            }
            f = guided(v, Ops.toDevice(Ops.fromLongs(y)), w);
            guide = ", guidance " + w + (w > 0 ? " (two network evaluations per field evaluation)" : "");
            netCalls = w > 0 ? 2 : 1;
        }
        VectorField field = f;
        Tensor z = Ops.noGrad(() -> prior.sample(r.n(), r.rng()));
        Solver.Result res = s.solve(field, z, 0, 1, r.keepPath() ? o.withTrajectory() : o);
        if (!r.keepPath()) {
            lastNfe = res.nfe();
        }
        String how = s.key() + (s == Solver.DOPRI5 ? " (atol " + o.atol() + ", rtol " + o.rtol() + ")"
                : " (" + o.steps() + " steps)") + guide;
        return new Samples(res.x(), res.nfe() * netCalls, res.times(), res.states(), how);
    }

    /** The request's settings for solver s, falling back on the run's. */
    private Solver.Options requestOptions(SampleRequest r, Solver s) {
        return SolverRequest.options(r, s, defaultSteps, defaultAtol, defaultRtol);
    }

    @Override
    public Map<String, Double> diagnostics(int n, Rng rng) {
        Map<String, Double> m = new LinkedHashMap<>(stageMetrics);
        if (data != null && stages() > 1) {
            m.putAll(measure(data, "stage" + (stage + 1) + "_")); // the last stage, measured like the others
        }
        if (isDistilled()) {
            m.put("nfe", 1.0);
            m.put("straightness", 0.0); // one Euler step is a straight line by construction
        } else {
            // the NFE of the evaluation's own samples (the Evaluator samples before it asks for diagnostics)
            m.put("nfe", (double) (lastNfe > 0 ? lastNfe
                    : sample(Math.min(n, evalPoints), rng, solver, solverOptions).nfe()));
            m.put("straightness", RectifiedFlow.straightness(this::field, Ops.noGrad(() -> prior.sample(
                    Math.min(n, evalPoints), rng)), straightnessSteps));
        }
        return m;
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        Map<String, Optimizer> m = new LinkedHashMap<>();
        m.put("v", optV);
        m.put("distill", optDistill);
        return m;
    }

    @Override
    public void saveState(StateDict into) {
        into.putModule("v", v);
        into.putModule("v_distilled", distilled);
        optV.saveState(into, "opt.v");
        optDistill.saveState(into, "opt.distill");
        into.putValue("flow.stage", (long) stage);
        if (pairs0 != null) {
            into.putTensor("flow.pairs0", pairs0);
            into.putTensor("flow.pairs1", pairs1);
        }
        for (Map.Entry<String, Double> e : stageMetrics.entrySet()) {
            into.putValue("flow.metric." + e.getKey(), e.getValue());
        }
    }

    @Override
    public void loadState(StateDict from) {
        from.loadModule("v", v);
        from.loadModule("v_distilled", distilled);
        optV.loadState(from, "opt.v");
        optDistill.loadState(from, "opt.distill");
        stage = (int) from.getLong("flow.stage");
        if (from.hasTensor("flow.pairs0")) {
            // a resumed run's couplings go where its state is (the trainer has moved the rest already)
            pairs0 = Scope.persistent(Ops.toDevice(Ops.fromFloats(from.floats("flow.pairs0"), from.shape("flow.pairs0"))));
            pairs1 = Scope.persistent(Ops.toDevice(Ops.fromFloats(from.floats("flow.pairs1"), from.shape("flow.pairs1"))));
        }
        stageMetrics.clear();
        for (Map.Entry<String, Object> e : from.values().entrySet()) {
            if (e.getKey().startsWith("flow.metric.")) {
                stageMetrics.put(e.getKey().substring("flow.metric.".length()), ((Number) e.getValue()).doubleValue());
            }
        }
    }
}
