package io.ganflow.flow;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.gan.Objectives;
import io.ganflow.gan.PointPenalty;
import io.ganflow.metrics.Assignment;
import io.ganflow.nn.Module;
import io.ganflow.train.Method;
import io.ganflow.nn.StateDict;
import io.ganflow.train.StepContext;
import io.ganflow.train.StepStats;
import io.ganflow.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A GAN generator trained as a particle flow in training time (SPEC D). Each iteration: n_critic updates of
 * the field's network, then one round of K generator updates that regress g_θ(z) onto particles moved one
 * step of size ε along the field, θ ← argmin E‖g_θ(z) − stopgrad(x + ε·u(x))‖², x = g_θτ(z) fixed for the
 * round:
 * <ul>
 *   <li>{@link Form#PARTICLE} (D1): D trained as the A1 classifier, so its logit estimates log p/q;
 *       u(x) = ∇ₓ h(D(x)) for a MonoFlow h (identity by default: u = ∇ log r);</li>
 *   <li>{@link Form#REFLOW_GAN} (D2): a velocity net v(x, t) trained with the C1 loss from x0 = g(z) to
 *       the data; u(x) = T(x) − x, the chord to the flow's end point, or the documents' u(x) = v(x, 0)
 *       (see {@link #chordSteps});</li>
 *   <li>{@link Form#GRADIENT_FIELD} / {@link Form#GRADIENT_FIELD_APPROX} (D3): v = ∇ₓD for a scalar D(x)
 *       without t. Exact critic loss E[½‖∇D(x_t)‖² − ⟨∇D(x_t), x1 − x0⟩]; the approximation
 *       E½‖∇D(x_t)‖² − E D(x1) + E D(x0), which is the WGAN critic loss plus the zero-centred penalty (λ = 1)
 *       at the interpolates x_t. u(x) = ∇ₓD(x).</li>
 * </ul>
 * With K = 1 the regression's gradient is 2ε times the gradient of −E h(D(g(z))) (a test proves it); larger
 * K moves the generator all the way to the particles.
 *
 * <p>Samples may have any shape (n, shape...), images included: the interpolation times broadcast per sample,
 * u(x) has the sample's shape, and every squared norm and inner product runs over all non-batch dimensions.
 */
public final class ParticleGan implements Method {
    public enum Form {
        PARTICLE("particle"), REFLOW_GAN("reflow_gan"), GRADIENT_FIELD("gradient_field"),
        GRADIENT_FIELD_APPROX("gradient_field_approx");

        private final String key;

        Form(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final Form form;
    private final Module generator;
    private final Module field;
    private final Optimizer optG;
    private final Optimizer optD;
    private final int zDim;
    private final int nCritic;
    private final int k;
    private final double eps;
    private final UnaryOperator<Tensor> h;
    private final PointPenalty r1;
    private int chordSteps = 8;
    private boolean otCoupling;

    /**
     * @param generator any generator module, z (n, zDim) to samples (n, shape...)
     * @param field D (a critic module, samples to (n, 1)) for PARTICLE and the GRADIENT_FIELD forms, a
     *     {@link io.ganflow.nn.VelocityModel} for REFLOW_GAN
     * @param h the MonoFlow h for PARTICLE (ignored otherwise)
     * @param r1 R1 weight on the PARTICLE classifier (0: off)
     */
    public ParticleGan(Form form, Module generator, Module field, Optimizer optG, Optimizer optD, int zDim, int nCritic,
            int k, double eps, UnaryOperator<Tensor> h, double r1) {
        if (form == Form.REFLOW_GAN ? !(field instanceof io.ganflow.nn.VelocityModel)
                : field == null || field instanceof io.ganflow.nn.VelocityModel) {
            throw new IllegalArgumentException(form.key + " needs " + (form == Form.REFLOW_GAN ? "a velocity net"
                    : "a critic (a module from samples to one score)"));
        }
        this.form = form;
        this.generator = generator;
        this.field = field;
        this.optG = optG;
        this.optD = optD;
        this.zDim = zDim;
        this.nCritic = nCritic;
        this.k = k;
        this.eps = eps;
        this.h = h;
        this.r1 = r1 > 0 ? PointPenalty.r1(r1) : null;
    }

    @Override
    public String name() {
        return form.key;
    }

    public Form form() {
        return form;
    }

    @Override
    public StepStats step(StepContext ctx) {
        StepStats stats = new StepStats();
        for (int i = 0; i < nCritic; i++) {
            Tensor real = ctx.data().sample(ctx.batch(), ctx.rng());
            Tensor fake = Ops.noGrad(() -> generator.forward(ctx.rng().normal(ctx.batch(), zDim)));
            if (otCoupling) {
                real = otPaired(fake, real);
            }
            Tensor loss = fieldLoss(real, fake, ctx.rng().uniform(ctx.batch(), 1));
            optD.step(Ops.grad(loss, field.tensors(), false));
            if (i == nCritic - 1) {
                stats.put("d_loss", loss);
            }
        }
        Tensor z = ctx.rng().normal(ctx.batch(), zDim);
        Tensor x = Ops.noGrad(() -> generator.forward(z));
        Tensor u = direction(x);
        Tensor target = Ops.noGrad(() -> x.add(Ops.mul(u, eps)));
        Tensor last = null;
        for (int i = 0; i < k; i++) {
            last = regressionLoss(z, target);
            optG.step(Ops.grad(last, generator.tensors(), false));
        }
        stats.put("g_loss", last);
        if (ctx.diagnostics()) {
            stats.put("particle_speed", Ops.sampleNorm(u).mean());
        }
        return stats;
    }

    /**
     * The field network's loss on one batch; t (n, 1) are the interpolation times (unused by PARTICLE),
     * broadcast over every dimension of a sample.
     */
    public Tensor fieldLoss(Tensor real, Tensor fake, Tensor t) {
        switch (form) {
            case PARTICLE: {
                Tensor loss = Objectives.classifierLoss(field.forward(real), field.forward(fake), 1.0);
                return r1 != null ? loss.add(r1.penaltyAt(field, real)) : loss;
            }
            case REFLOW_GAN:
                return RectifiedFlow.loss(((io.ganflow.nn.VelocityModel) field)::velocity, fake, real, t);
            default: {
                Tensor xt = Ops.requiringGrad(fake.add(Ops.perSample(t, fake).mul(real.sub(fake))));
                Tensor g = Ops.inputGrad(field.forward(xt), xt, true);
                Tensor half = Ops.mul(Ops.sampleSquaredNorm(g).mean(), 0.5);
                if (form == Form.GRADIENT_FIELD) {
                    return half.sub(Ops.sampleDot(g, real.sub(fake)).mean());
                }
                return half.sub(field.forward(real).mean()).add(field.forward(fake).mean());
            }
        }
    }

    /** u(x): the particle velocity at generated points x, without gradient to any parameter. */
    public Tensor direction(Tensor x) {
        if (form == Form.REFLOW_GAN) {
            io.ganflow.nn.VelocityModel v = (io.ganflow.nn.VelocityModel) field;
            if (chordSteps == 0) {
                return Ops.noGrad(() -> v.velocity(x, 0.0));
            }
            Tensor end = Solver.RK4.solve(v::velocity, x, 0, 1, Solver.Options.steps(chordSteps)).x();
            return Ops.noGrad(() -> end.sub(x));
        }
        Tensor xr = Ops.requiringGrad(x);
        Tensor out = form == Form.PARTICLE ? h.apply(field.forward(xr)) : field.forward(xr);
        return Ops.inputGrad(out, xr, false).detach();
    }

    /** E‖g(z) − target‖² (mean over the batch of the squared distance over all non-batch dimensions). */
    public Tensor regressionLoss(Tensor z, Tensor target) {
        return Ops.sampleSquaredNorm(generator.forward(z).sub(target)).mean();
    }

    /**
     * REFLOW_GAN's particle direction. 0: the documents' literal u(x) = v(x, 0). Under the independent
     * coupling of C1, v(x, 0) = E[x1] − x exactly (at t = 0, x_t = x0 carries no information about x1), so
     * this direction contracts every particle towards the data mean, and the rounds converge to a point-like
     * distribution instead of p. n &gt; 0 (default 8): the chord to the flow's end point, u(x) = T(x) − x with T
     * the RK4 solution of the learned ODE from t = 0 to 1 in n steps; a step of ε along it is McCann's
     * displacement interpolation towards p. p is its fixed point only where T is the identity on p, which the
     * independent coupling does not give (see {@link #otCoupling}).
     */
    public ParticleGan chordSteps(int n) {
        this.chordSteps = n;
        return this;
    }

    /**
     * REFLOW_GAN's coupling of the velocity net's training pairs. false (default): independent, as C1. true:
     * each batch's real points are re-ordered by an optimal assignment to the generated ones under squared
     * Euclidean cost (minibatch OT). Under the independent coupling the flow's end point T is a transport map
     * from q to p but not the optimal one, so even at q = p it moves points between modes (T ≠ identity),
     * and the rounds' step towards (1 − ε)x + εT(x) keeps blurring the modes; with the OT pairing T
     * approaches the optimal map, which is the identity at q = p (docs/flows.md).
     */
    public ParticleGan otCoupling(boolean on) {
        this.otCoupling = on;
        return this;
    }

    /** x1's rows re-ordered so that row i is paired with x0's row i by a minimum-cost matching of squared distances. */
    static Tensor otPaired(Tensor x0, Tensor x1) {
        int n = (int) x0.size(0);
        double[] cost = Ops.toDoubles(Ops.noGrad(() -> torch.cdist(
                Ops.flatten(x0), Ops.flatten(x1)).square()));
        int[] sigma = Assignment.solve(cost, n);
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) {
            idx[i] = sigma[i];
        }
        return x1.index_select(0, Ops.onDevice(torch.tensor(idx), io.ganflow.engine.Device.of(x1)));
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return io.ganflow.nn.Module.inEvalMode(generator, () -> Ops.noGrad(() -> generator.forward(Ops.toDevice(rng.normal(n, zDim)))));
    }

    @Override
    public Map<String, io.ganflow.nn.Module> networks() {
        Map<String, io.ganflow.nn.Module> m = new java.util.LinkedHashMap<>();
        m.put("generator", generator);
        m.put(form == Form.REFLOW_GAN ? "velocity" : "critic", field);
        return m;
    }

    @Override
    public Optional<UnaryOperator<Tensor>> critic() {
        if (form == Form.REFLOW_GAN) {
            return Optional.empty();
        }
        return Optional.of(field::forward);
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        Map<String, Optimizer> m = new LinkedHashMap<>();
        m.put("g", optG);
        m.put("d", optD);
        return m;
    }

    @Override
    public void saveState(StateDict into) {
        into.putModule("g", generator);
        into.putModule("d", field);
        optG.saveState(into, "opt.g");
        optD.saveState(into, "opt.d");
    }

    @Override
    public void loadState(StateDict from) {
        from.loadModule("g", generator);
        from.loadModule("d", field);
        optG.loadState(from, "opt.g");
        optD.loadState(from, "opt.d");
    }

}
