package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.ConditionalModule;
import io.ganflow.nn.Ema;
import io.ganflow.nn.Module;
import io.ganflow.train.Method;
import io.ganflow.nn.StateDict;
import io.ganflow.train.StepContext;
import io.ganflow.train.StepStats;
import io.ganflow.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * The GAN family: a generator g(z), z ~ N(0, I), and a critic D trained against each other under an
 * {@link Objective} plus any {@link Regularizer}s. One step is {@code nCritic} critic updates followed by
 * one generator update. Optional: instance noise on the critic's inputs, and an EMA of the generator's
 * weights that sampling uses. With {@code nGen} K &gt; 1 the generator update is repeated K times against the same
 * critic, each on a fresh batch (K steps of the generator loss against a frozen critic).
 */
public final class GanMethod implements Method {
    private final Module generator;
    private final Module critic;
    private final int zDim;
    private final Objective objective;
    private final List<Regularizer> regularizers;
    private final int nCritic;
    private final int nGen;
    private final Optimizer optG;
    private final Optimizer optD;
    private final InstanceNoise noise;
    private final Ema ema;
    /** Which code computes each update's gradients: written out, or autograd over one or two critic passes. */
    private final UpdatePaths paths;
    /** The classes of a conditional generator and critic (both {@link ConditionalModule}s); 0 when unconditional. */
    private final int classes;

    /**
     * The number of classes when both nets are conditional (on the same classes), 0 when neither is.
     *
     * @throws IllegalArgumentException when one is and the other is not, or their classes differ
     */
    private static int classesOf(Module generator, Module critic) {
        int g = generator instanceof ConditionalModule c ? c.classes() : 0;
        int d = critic instanceof ConditionalModule c ? c.classes() : 0;
        if (g != d) {
            throw new IllegalArgumentException("a conditional GAN needs a conditional generator and critic on the same"
                    + " classes; the generator takes " + g + ", the critic " + d + " (0: unconditional)");
        }
        return g;
    }

    private GanMethod(Builder b) {
        if (b.nCritic < 1) {
            throw new IllegalArgumentException("nCritic must be >= 1, got " + b.nCritic);
        }
        this.generator = b.generator;
        this.critic = b.critic;
        this.zDim = b.zDim;
        this.objective = b.objective;
        this.regularizers = List.copyOf(b.regularizers);
        this.nCritic = b.nCritic;
        if (b.nGen < 1) {
            throw new IllegalArgumentException("nGen must be >= 1, got " + b.nGen);
        }
        this.nGen = b.nGen;
        this.optG = b.optG;
        this.optD = b.optD;
        this.noise = b.noise;
        this.ema = b.ema;
        this.classes = classesOf(generator, critic);
        for (Regularizer r : regularizers) {
            if (classes > 0 && !r.handlesLabels()) {
                throw new IllegalArgumentException(r.name() + " reads the critic without the class labels; it cannot"
                        + " take part in conditional training");
            }
        }
        this.paths = UpdatePaths.choose(generator, critic, objective, regularizers, noise != null, b.jointCriticPass,
                b.writtenBackward);
    }

    /** True if this method's updates take the written-out gradients ({@link ReluMlpGradients}) in float32. */
    boolean writesGradients() {
        return paths.writes();
    }

    public static Builder builder(Module generator, Module critic, int zDim, Objective objective) {
        return new Builder(generator, critic, zDim, objective);
    }

    @Override
    public String name() {
        return "gan";
    }

    @Override
    public StepStats step(StepContext ctx) {
        StepStats stats = new StepStats();
        for (int k = 0; k < nCritic; k++) {
            criticStep(ctx, stats, k == nCritic - 1);
        }
        for (int k = 0; k < nGen; k++) {
            generatorStep(ctx, stats);
        }
        return stats;
    }

    /** One critic update: loss = objective(D(x), D(g(z))) + Σ regularizer terms. */
    private void criticStep(StepContext ctx, StepStats stats, boolean record) {
        // unlabelled, sampleBatch draws what sample() draws; labelled, the generated rows get the real rows' classes
        io.ganflow.data.Batch rb = ctx.data().sampleBatch(ctx.batch(), ctx.rng(), classes > 0);
        Optional<Tensor> y = rb.labels();
        Tensor real = criticInput(rb.x(), ctx);
        Tensor fake = criticInput(Ops.noGrad(() -> generator.forward(noise(ctx.batch(), ctx.rng()), y)), ctx);
        UpdatePaths.Critic path = paths.critic(real, y.isPresent());
        if (path == UpdatePaths.Critic.WRITTEN) {
            GradientPenalty writtenPenalty = paths.writtenPenalty;
            ReluMlpGradients.CriticUpdate u = paths.writtenCritic.critic(objective, writtenPenalty, real, fake,
                    ctx.rng(), record);
            optD.step(u.grads());
            for (Regularizer r : regularizers) {
                r.afterCriticStep(critic);
            }
            if (record) {
                Tensor loss = u.objectiveLoss();
                if (u.penalty() != null) {
                    stats.put(writtenPenalty.name(), u.penalty());
                    loss = loss.add(u.penalty());
                }
                recordCritic(stats, ctx, loss, u.realOut(), u.fakeOut());
            }
            return;
        }
        Tensor realOut;
        Tensor fakeOut;
        if (path == UpdatePaths.Critic.JOINT) {
            // one pass over [real; fake]: half the operations and autograd nodes, twice the rows per product
            Tensor out = critic.forward(Ops.cat(List.of(real, fake), 0));
            realOut = out.narrow(0, 0, real.size(0));
            fakeOut = out.narrow(0, real.size(0), fake.size(0));
        } else {
            realOut = critic.forward(real, y);
            fakeOut = critic.forward(fake, y);
        }
        Tensor loss = objective.criticLoss(realOut, fakeOut);
        CriticBatch batch = new CriticBatch(critic, real, fake, ctx.rng(), y);
        for (Regularizer r : regularizers) {
            Tensor term = r.criticTerm(batch);
            if (term != null) {
                loss = loss.add(term);
                if (record) {
                    stats.put(r.name(), term);
                }
            }
        }
        optD.step(Ops.grad(loss, critic.tensors(), false));
        for (Regularizer r : regularizers) {
            r.afterCriticStep(critic);
        }
        if (record) {
            recordCritic(stats, ctx, loss, realOut, fakeOut);
        }
    }

    private void recordCritic(StepStats stats, StepContext ctx, Tensor loss, Tensor realOut, Tensor fakeOut) {
        stats.put("d_loss", loss);
        stats.put(objective.estimateName(), objective.estimate(realOut, fakeOut));
        if (ctx.diagnostics() && objective.isClassifier()) {
            stats.put("d_accuracy", accuracy(realOut, fakeOut));
        }
    }

    /** One generator update: loss = objective's generator loss on D(g(z)) + Σ regularizer terms. */
    private void generatorStep(StepContext ctx, StepStats stats) {
        if (paths.writtenGenerator()) {
            ReluMlpGradients.GeneratorUpdate u = paths.writtenGenerator.generator(paths.writtenCritic, objective,
                    noise(ctx.batch(), ctx.rng()));
            finishGeneratorStep(ctx, stats, u.loss(), u.grads());
            return;
        }
        io.ganflow.data.Batch[] real = new io.ganflow.data.Batch[1];
        // conditional: a labelled real batch first, whose classes the generated rows take; otherwise drawn on first use
        Supplier<io.ganflow.data.Batch> realBatch = () -> real[0] != null ? real[0]
                : (real[0] = ctx.data().sampleBatch(ctx.batch(), ctx.rng(), classes > 0));
        Optional<Tensor> y = classes > 0 ? realBatch.get().labels() : Optional.empty();
        Tensor fake = generator.forward(noise(ctx.batch(), ctx.rng()), y);
        Tensor fakeOut = critic.forward(criticInput(fake, ctx), y);
        // a relativistic loss judges the generated batch against the critic's outputs on a real one (no gradient:
        // the generator's loss does not depend on them through the generator)
        Tensor loss = objective.generatorNeedsReal() ? objective.generatorLoss(fakeOut,
                Ops.noGrad(() -> critic.forward(criticInput(realBatch.get().x(), ctx), realBatch.get().labels())))
                : objective.generatorLoss(fakeOut);
        GeneratorBatch batch = new GeneratorBatch(critic, generator, fake, () -> realBatch.get().x(), y);
        for (Regularizer r : regularizers) {
            Tensor term = r.generatorTerm(batch);
            if (term != null) {
                loss = loss.add(term);
                stats.put(r.name(), term);
            }
        }
        finishGeneratorStep(ctx, stats, loss, Ops.grad(loss, generator.tensors(), false));
    }

    private void finishGeneratorStep(StepContext ctx, StepStats stats, Tensor loss, List<Tensor> grads) {
        optG.step(grads);
        for (Regularizer r : regularizers) {
            r.afterGeneratorStep(generator);
        }
        if (ema != null) {
            ema.update();
        }
        stats.put("g_loss", loss);
        if (ctx.diagnostics()) {
            stats.put("g_grad_norm", globalNorm(grads));
        }
    }

    private Tensor criticInput(Tensor x, StepContext ctx) {
        return noise == null ? x : noise.perturb(x, ctx.step(), ctx.totalSteps(), ctx.rng());
    }

    /** z on the networks' device: a step's generator delivers it there; sampling's host generator is copied. */
    private Tensor noise(int n, Rng rng) {
        return Ops.toDevice(rng.normal(n, zDim));
    }

    /** The fraction of real samples with logit > 0 and generated samples with logit < 0. */
    static Tensor accuracy(Tensor realOut, Tensor fakeOut) {
        Tensor hits = realOut.gt(Ops.s(0)).to(org.bytedeco.pytorch.global.torch.ScalarType.Float).sum()
                .add(fakeOut.lt(Ops.s(0)).to(org.bytedeco.pytorch.global.torch.ScalarType.Float).sum());
        return Ops.mul(hits, 1.0 / (realOut.size(0) + fakeOut.size(0)));
    }

    static Tensor globalNorm(List<Tensor> grads) {
        Tensor sq = null;
        for (Tensor g : grads) {
            Tensor s = g.square().sum();
            sq = sq == null ? s : sq.add(s);
        }
        return sq.sqrt();
    }

    /**
     * Samples from the generator, or from its EMA when that is on. A conditional generator draws z first, then a
     * class for each sample, uniformly.
     */
    @Override
    public Tensor sample(int n, Rng rng) {
        if (classes > 0) {
            Tensor z = noise(n, rng);
            return generate(z, Optional.of(Ops.toDevice(rng.integers(classes, n))));
        }
        return generate(noise(n, rng), Optional.empty());
    }

    /** The (EMA) generator on z and labels, in evaluation mode, without gradient. */
    private Tensor generate(Tensor z, Optional<Tensor> labels) {
        Module g = ema != null ? ema.shadow() : generator;
        // Evaluation mode: batch-norm layers use their running statistics, so a sample does not depend on
        // the other samples of its batch (a no-op for nets without such layers).
        return Module.inEvalMode(g, () -> Ops.noGrad(() -> g.forward(z, labels)));
    }

    /** One step of the generator; of a conditional one, for the request's classes (uniform ones without). */
    @Override
    public io.ganflow.train.Samples sample(io.ganflow.train.SampleRequest r) {
        r.procedureIn(name(), samplingProcedures(), classes > 0);
        if (r.labels().isEmpty()) {
            return io.ganflow.train.Samples.oneStep(sample(r.n(), r.rng()));
        }
        long[] y = r.labels().get();
        if (y.length != r.n()) {
            throw new io.ganflow.BadInputException(y.length + " class labels for " + r.n() + " samples; give one per"
                    + " sample");
        }
        for (long k : y) {
            if (k < 0 || k >= classes) {
                throw new io.ganflow.BadInputException("class " + k + " is not one of this run's classes; allowed: 0 to "
                        + (classes - 1));
            }
        }
        return io.ganflow.train.Samples.oneStep(generate(noise(r.n(), r.rng()), Optional.of(Ops.toDevice(
                Ops.fromLongs(y)))));
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        Map<String, Optimizer> m = new LinkedHashMap<>();
        m.put("g", optG);
        m.put("d", optD);
        return m;
    }

    @Override
    public Optional<UnaryOperator<Tensor>> critic() {
        if (classes > 0) {
            return Optional.empty(); // a conditional critic is a function of x and the class: no single field
        }
        return Optional.of(x -> Ops.noGrad(() -> critic.forward(x)));
    }

    public Module generator() {
        return generator;
    }

    @Override
    public Map<String, Module> networks() {
        Map<String, Module> m = new LinkedHashMap<>();
        m.put("generator", ema != null ? ema.shadow() : generator);
        m.put("critic", critic);
        return m;
    }

    @Override
    public Optional<Module> trainable(String role) {
        return Optional.ofNullable(role.equals("generator") ? generator : role.equals("critic") ? critic : null);
    }

    @Override
    public void weightsLoaded(String role) {
        if (role.equals("generator") && ema != null) {
            ema.shadow().copyFrom(generator);
        }
    }

    public Module criticModule() {
        return critic;
    }

    public int zDim() {
        return zDim;
    }

    @Override
    public java.util.OptionalInt latentDim() {
        return java.util.OptionalInt.of(zDim);
    }

    public Objective objective() {
        return objective;
    }

    public List<Regularizer> regularizers() {
        return regularizers;
    }

    public Optional<Ema> ema() {
        return Optional.ofNullable(ema);
    }

    @Override
    public void saveState(StateDict into) {
        into.putModule("g", generator);
        into.putModule("d", critic);
        if (ema != null) {
            into.putModule("g_ema", ema.shadow());
        }
        optG.saveState(into, "opt.g");
        optD.saveState(into, "opt.d");
        for (int i = 0; i < regularizers.size(); i++) {
            regularizers.get(i).saveState(into, "reg" + i + "." + regularizers.get(i).name());
        }
    }

    @Override
    public List<Tensor> stateTensors() {
        List<Tensor> out = new java.util.ArrayList<>();
        regularizers.forEach(r -> out.addAll(r.stateTensors()));
        return out;
    }

    @Override
    public void loadState(StateDict from) {
        from.loadModule("g", generator);
        from.loadModule("d", critic);
        if (ema != null) {
            from.loadModule("g_ema", ema.shadow());
        }
        optG.loadState(from, "opt.g");
        optD.loadState(from, "opt.d");
        for (int i = 0; i < regularizers.size(); i++) {
            regularizers.get(i).loadState(from, "reg" + i + "." + regularizers.get(i).name());
        }
    }

    /** Assembles a {@link GanMethod}; the two optimisers are required. */
    public static final class Builder {
        private final Module generator;
        private final Module critic;
        private final int zDim;
        private final Objective objective;
        private final List<Regularizer> regularizers = new ArrayList<>();
        private int nCritic = 1;
        private int nGen = 1;
        private Optimizer optG;
        private Optimizer optD;
        private InstanceNoise noise;
        private Ema ema;
        private boolean jointCriticPass = true;
        private boolean writtenBackward = true;

        Builder(Module generator, Module critic, int zDim, Objective objective) {
            this.generator = generator;
            this.critic = critic;
            this.zDim = zDim;
            this.objective = objective;
        }

        public Builder regularizer(Regularizer r) {
            regularizers.add(r);
            return this;
        }

        public Builder nCritic(int n) {
            nCritic = n;
            return this;
        }

        /** Generator updates per step against the same critic (1 by default). */
        public Builder nGen(int n) {
            nGen = n;
            return this;
        }

        public Builder optimizers(Optimizer g, Optimizer d) {
            optG = g;
            optD = d;
            return this;
        }

        public Builder instanceNoise(InstanceNoise n) {
            noise = n;
            return this;
        }

        /** Keeps an EMA of the generator in {@code shadow} (same architecture) with the given decay. */
        public Builder ema(Module shadow, double decay) {
            ema = new Ema(generator, shadow, decay);
            return this;
        }

        /** With false, D(real) and D(fake) in two passes even for a row-wise critic (for comparing the two). */
        Builder jointCriticPass(boolean allow) {
            jointCriticPass = allow;
            return this;
        }

        /** With false, both updates through autograd even where {@link ReluMlpGradients} applies (to compare). */
        Builder writtenBackward(boolean allow) {
            writtenBackward = allow;
            return this;
        }

        public GanMethod build() {
            if (optG == null || optD == null) {
                throw new IllegalStateException("both optimisers are required");
            }
            return new GanMethod(this);
        }
    }
}
