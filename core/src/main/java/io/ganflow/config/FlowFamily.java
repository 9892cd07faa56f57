package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.flow.FlowMethod;
import io.ganflow.flow.ParticleGan;
import io.ganflow.flow.Solver;
import io.ganflow.gan.Objectives;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Module;
import java.util.Arrays;
import java.util.List;

/**
 * The flow family (SPEC C) and the bridge that trains a generator as a particle flow (SPEC D): methods
 * {@code rf}, {@code particle}, {@code reflow_gan} and {@code gradient_field}, and the keys of the velocity net
 * ({@code model.v.*}), the ODE solvers and reflow ({@code flow.*}) and the particle steps ({@code particle.*}).
 */
public final class FlowFamily implements Family {
    @Override
    public String name() {
        return "flow";
    }

    @Override
    public void keys(Keys k) {
        k.choice("model.v.kind", "mlp", Registries.VELOCITY_NETS.names(), "velocity net of flows (a registered net)");
        k.number("model.v.width", KeyType.INT, "128", 1.0, false, 65536.0, false, "velocity net hidden width (mlp); base channels (unet, e.g. 32)");
        k.number("model.v.depth", KeyType.INT, "3", 0.0, false, 64.0, false, "velocity net hidden layers");
        k.choice("model.v.activation", "silu", Arrays.asList(Activation.keys()), "velocity net hidden activation");
        k.choice("model.v.time_embedding", "sinusoidal", List.of("sinusoidal", "fourier"),
                "velocity net time embedding");
        k.number("model.v.time_dim", KeyType.INT, "16", 2.0, false, 1024.0, false,
                "velocity net time embedding dimension (even)");
        k.choice("flow.prior", "gaussian", List.of("gaussian", "generator"),
                "rf: x0 from N(0, I), or from a fixed randomly initialised generator model.g (SPEC C2)");
        k.choice("flow.solver", "rk4", List.of("euler", "heun", "rk4", "dopri5"), "rf: the sampler's ODE solver");
        k.number("flow.steps", KeyType.INT, "25", 1.0, false, 100000.0, false,
                "rf: steps of a fixed-step solver (NFE = steps x 1, 2, 4 for euler, heun, rk4)");
        k.number("flow.atol", KeyType.DOUBLE, "1e-5", 0.0, true, 1.0, false, "rf: dopri5 absolute tolerance");
        k.number("flow.rtol", KeyType.DOUBLE, "1e-5", 0.0, true, 1.0, false, "rf: dopri5 relative tolerance");
        k.number("flow.reflow.rounds", KeyType.INT, "0", 0.0, false, 10.0, false,
                "rf: reflow rounds after 1-RF (1 gives 2-RF, 2 gives 3-RF); train.steps is split evenly over stages");
        k.number("flow.reflow.pairs", KeyType.INT, "10000", 16.0, false, 10000000.0, false,
                "rf: couplings (x0, ODE(x0)) generated for each reflow or distillation stage");
        k.choice("flow.reflow.solver", "dopri5", List.of("euler", "heun", "rk4", "dopri5"),
                "rf: solver that generates the reflow couplings (dopri5 uses flow.atol, flow.rtol; others flow.steps)");
        k.number("flow.p_uncond", KeyType.DOUBLE, "0.1", 0.0, false, 1.0, true, "rf with model.condition=embed:"
                + " probability of dropping a label to the null class in training (classifier-free guidance)");
        k.number("flow.guidance", KeyType.DOUBLE, "0", 0.0, false, 100.0, false, "rf with model.condition=embed: the"
                + " guidance scale w of sampling, (1 + w) v(x, t, y) - w v(x, t, null); 0: the conditional field");
        k.add("flow.distill", KeyType.BOOL, "false", "rf: finish with distillation into a 1-step generator (SPEC C5)");
        k.number("particle.eps", KeyType.DOUBLE, "0.05", 0.0, true, 100.0, false,
                "particle / reflow_gan / gradient_field: the particle step size epsilon");
        k.number("particle.k", KeyType.INT, "1", 1.0, false, 1000.0, false,
                "particle / reflow_gan / gradient_field: generator regression steps per round (K)");
        k.number("particle.chord_steps", KeyType.INT, "8", 0.0, false, 10000.0, false,
                "reflow_gan: RK4 steps to the flow's end point for the particle direction T(x) - x; 0 uses the"
                + " documents' v(x, 0), which contracts to the data mean (docs/flows.md)");
        k.choice("particle.coupling", "independent", List.of("independent", "ot"),
                "reflow_gan: pairs of the velocity net's loss: independent (C1) or minibatch OT (an optimal assignment"
                + " of each batch's real to generated points under squared distance; docs/flows.md)");
        k.choice("particle.form", "exact", List.of("exact", "approx"),
                "gradient_field: the exact C1 loss with v = grad D, or its WGAN-like approximation (SPEC D3)");
    }

    @Override
    public void register(Registries r) {
        r.methods().register("rf", "rectified flow, reflow and distillation (SPEC C)", FlowFamily::flow);
        r.methods().register("particle", "D1: particle steps along grad D, generator regression (SPEC D1)",
                (c, d) -> particle(c, d, ParticleGan.Form.PARTICLE));
        r.methods().register("reflow_gan", "D2: ReFlow-GAN (SPEC D2)", (c, d) -> particle(c, d, ParticleGan.Form.REFLOW_GAN));
        r.methods().register("gradient_field", "D3: v = grad D, exact or WGAN-like (particle.form, SPEC D3)",
                (c, d) -> particle(c, d, c.getString("particle.form").equals("exact") ? ParticleGan.Form.GRADIENT_FIELD
                        : ParticleGan.Form.GRADIENT_FIELD_APPROX));
    }

    static Solver.Options solverOptions(Config c, Solver s) {
        return s == Solver.DOPRI5 ? Solver.Options.tolerances(c.getDouble("flow.atol"), c.getDouble("flow.rtol"))
                : Solver.Options.steps(c.getInt("flow.steps"));
    }

    /** The particle bridge has no conditional form: it refuses model.condition, saying so. */
    private static void unconditional(Config c) {
        if (!c.getString("model.condition").equals("none")) {
            throw new BadInputException("model.condition=" + c.getString("model.condition") + " is for method=gan"
                    + " (concat) and method=rf (embed); method=" + c.getString("method") + " has no conditional form"
                    + " yet (allowed: none)");
        }
    }

    /** SPEC C: rectified flow, with reflow rounds and distillation as configured; opt.d trains v. */
    static FlowMethod flow(Config c, Dataset data) {
        String cond = c.getString("model.condition");
        if (cond.equals("concat")) {
            throw new BadInputException("model.condition=concat is for method=gan; method=rf takes embed (a class"
                    + " embedding added to the time embedding)");
        }
        int classes = Setup.conditionClasses(c, data);
        if (classes > 0 && (c.getInt("flow.reflow.rounds") > 0 || c.getBool("flow.distill")
                || c.getString("flow.prior").equals("generator"))) {
            throw new BadInputException("model.condition=embed trains one rectified-flow stage from N(0, I); allowed"
                    + " with it: flow.reflow.rounds=0, flow.distill=false, flow.prior=gaussian");
        }
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        long[] shape = data.shape();
        io.ganflow.nn.VelocityModel v = Setup.velocityNet(c, data, init);
        if (classes > 0) {
            if (!(v instanceof io.ganflow.nn.EmbeddedField vn)) {
                throw new BadInputException("model.condition=embed needs a velocity net with a time embedding to add"
                        + " the class to (mlp, unet); model.v.kind=" + c.getString("model.v.kind"));
            }
            v = new io.ganflow.nn.LabelledVelocityNet(vn, classes, Rng.derived(c.getLong("train.seed"), "labels"));
        }
        io.ganflow.nn.VelocityModel distilled = Setup.velocityNet(c, data, Rng.derived(c.getLong("train.seed"), "distill"));
        Sampler prior;
        Module priorNet = null;
        if (c.getString("flow.prior").equals("generator")) {
            int zDim = c.getInt("model.z_dim");
            Module g = Setup.generator(c, data, Rng.derived(c.getLong("train.seed"), "prior"));
            priorNet = g;
            prior = (n, rng) -> Ops.noGrad(() -> g.forward(Ops.toDevice(rng.normal(n, zDim))));
        } else {
            prior = (n, rng) -> Ops.toDevice(rng.normal(Ops.batchShape(n, shape))); // N(0, I) of the sample's shape
        }
        Solver s = Solver.byKey(c.getString("flow.solver"));
        Solver rs = Solver.byKey(c.getString("flow.reflow.solver"));
        long stages = 1 + c.getInt("flow.reflow.rounds") + (c.getBool("flow.distill") ? 1 : 0);
        if (c.getLong("train.steps") < stages) {
            throw new BadInputException("train.steps=" + c.getLong("train.steps") + " is too small for " + stages
                    + " flow stages; allowed: at least " + stages);
        }
        FlowMethod.Builder b = FlowMethod.builder(v, Setup.optimizer(c, "d").create(v.parameters()), distilled,
                Setup.optimizer(c, "d").create(distilled.parameters()), prior).solver(s, solverOptions(c, s))
                .reflow(c.getInt("flow.reflow.rounds"), c.getInt("flow.reflow.pairs"), rs, solverOptions(c, rs))
                .distill(c.getBool("flow.distill"));
        if (classes > 0) {
            b.conditional(classes, c.getDouble("flow.p_uncond"), c.getDouble("flow.guidance"));
        }
        if (priorNet != null) {
            b.priorNet(priorNet);
        }
        FlowMethod m = b.build();
        m.samplingDefaults(c.getInt("flow.steps"), c.getDouble("flow.atol"), c.getDouble("flow.rtol"));
        if (shape.length > 1) {
            m.imageEvaluation(); // a solve per evaluation point: fewer for images
        }
        return m;
    }

    /** SPEC D: a generator trained as a particle flow; opt.d trains the field's network. */
    static ParticleGan particle(Config c, Dataset data, ParticleGan.Form form) {
        unconditional(c);
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        int zDim = c.getInt("model.z_dim");
        Module g = Setup.generator(c, data, init);
        Module field = form == ParticleGan.Form.REFLOW_GAN ? Setup.velocityNet(c, data, init)
                : Setup.critic(c, data, init);
        return new ParticleGan(form, g, field, Setup.optimizer(c, "g").create(g.parameters()),
                Setup.optimizer(c, "d").create(field.parameters()), zDim, c.getInt("gan.n_critic"), c.getInt("particle.k"),
                c.getDouble("particle.eps"),
                Objectives.monoFlowH(c.getString("gan.monoflow.h"), c.getDouble("gan.monoflow.kappa")),
                c.getDouble("gan.r1.weight")).chordSteps(c.getInt("particle.chord_steps"))
                .otCoupling(c.getString("particle.coupling").equals("ot"));
    }
}
