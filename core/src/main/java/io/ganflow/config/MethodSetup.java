package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.Registry;
import io.ganflow.data.Dataset;
import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.flow.FlowMethod;
import io.ganflow.flow.ParticleGan;
import io.ganflow.flow.Solver;
import io.ganflow.flow.VelocityNet;
import io.ganflow.gan.FDivergence;
import io.ganflow.gan.FeatureMatching;
import io.ganflow.gan.GanMethod;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.gan.HistoricalAveraging;
import io.ganflow.gan.InstanceNoise;
import io.ganflow.gan.Objectives;
import io.ganflow.gan.PointPenalty;
import io.ganflow.gan.WeightClipping;
import io.ganflow.nn.FeatureCritic;
import io.ganflow.nn.Module;
import io.ganflow.train.Method;

/** The built-in methods (GAN family, rectified flow, the particle-flow bridges) and objectives. */
final class MethodSetup {
    private MethodSetup() {}

    static void registerBuiltIns(Registry<MethodFactory> methods, Registry<ObjectiveFactory> objectives) {
        methods.register("gan", "adversarial training: gan.objective with any regularizers (SPEC A)", MethodSetup::gan);
        methods.register("rf", "rectified flow, reflow and distillation (SPEC C)", MethodSetup::flow);
        methods.register("particle", "D1: particle steps along grad D, generator regression (SPEC D1)",
                (c, d) -> particle(c, d, ParticleGan.Form.PARTICLE));
        methods.register("reflow_gan", "D2: ReFlow-GAN (SPEC D2)", (c, d) -> particle(c, d, ParticleGan.Form.REFLOW_GAN));
        methods.register("gradient_field", "D3: v = grad D, exact or WGAN-like (particle.form, SPEC D3)",
                (c, d) -> particle(c, d, c.getString("particle.form").equals("exact") ? ParticleGan.Form.GRADIENT_FIELD
                        : ParticleGan.Form.GRADIENT_FIELD_APPROX));

        objectives.register("minimax", "saturating minimax GAN (SPEC A1)",
                c -> Objectives.minimax(realLabel(c, true)));
        objectives.register("nonsaturating", "non-saturating GAN (SPEC A2)",
                c -> Objectives.nonSaturating(realLabel(c, true)));
        objectives.register("wasserstein", "WGAN critic E f(real) - E f(fake) (SPEC A4)",
                c -> Objectives.byName(withoutLabel(c, "wasserstein")));
        objectives.register("hinge", "hinge loss (SPEC A9)", c -> Objectives.byName(withoutLabel(c, "hinge")));
        objectives.register("least_squares", "least-squares GAN (SPEC A9)",
                c -> Objectives.byName(withoutLabel(c, "least_squares")));
        objectives.register("monoflow", "MonoFlow generator loss -E h(D(g(z))) (SPEC A7)", c -> {
            String h = c.getString("gan.monoflow.h");
            return Objectives.monoFlow(h, Objectives.monoFlowH(h, c.getDouble("gan.monoflow.kappa")), realLabel(c, true));
        });
        objectives.register("fgan", "f-GAN for gan.fgan.divergence (SPEC A8)",
                c -> FDivergence.byKey(withoutLabel(c, c.getString("gan.fgan.divergence"))).objective());
    }

    /** gan.real_label, which only classifier objectives accept. */
    private static double realLabel(Config c, boolean classifier) {
        double realLabel = c.getDouble("gan.real_label");
        if (realLabel != 1.0 && !classifier) {
            throw new BadInputException("gan.real_label=" + c.asText().get("gan.real_label") + " (label smoothing) needs"
                    + " a classifier objective; allowed with gan.objective=minimax, nonsaturating or monoflow, not "
                    + c.getString("gan.objective"));
        }
        return realLabel;
    }

    private static String withoutLabel(Config c, String name) {
        realLabel(c, false);
        return name;
    }

    /** SPEC A: the GAN family with every regularizer the config turns on. */
    static Method gan(Config c, Dataset data) {
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        int zDim = c.getInt("model.z_dim");
        Module g = Setup.generator(c, data, init);
        Module d = Setup.critic(c, data, init);
        GanMethod.Builder b = GanMethod.builder(g, d, zDim, Setup.objective(c)).nCritic(c.getInt("gan.n_critic")).nGen(c.getInt("gan.n_gen"))
                .optimizers(Setup.optimizer(c, "g").create(g.parameters()), Setup.optimizer(c, "d").create(d.parameters()));
        double gp = c.getDouble("gan.gp.weight");
        if (gp > 0) {
            b.regularizer(new GradientPenalty(gp, Integer.parseInt(c.getString("gan.gp.center"))));
        }
        if (c.getDouble("gan.r1.weight") > 0) {
            b.regularizer(PointPenalty.r1(c.getDouble("gan.r1.weight")));
        }
        if (c.getDouble("gan.r2.weight") > 0) {
            b.regularizer(PointPenalty.r2(c.getDouble("gan.r2.weight")));
        }
        double clip = c.getDouble("gan.clip");
        if (clip > 0) {
            b.regularizer(new WeightClipping(clip));
        }
        double fm = c.getDouble("gan.feature_matching.weight");
        if (fm > 0) {
            int layer = c.getInt("gan.feature_matching.layer");
            if (!(d instanceof FeatureCritic fc)) {
                throw new BadInputException("gan.feature_matching.weight=" + fm + " needs a critic that exposes inner"
                        + " features (model.d.kind=mlp, or a net implementing io.ganflow.nn.FeatureCritic);"
                        + " model.d.kind=" + c.getString("model.d.kind"));
            }
            int depth = fc.featureLayers();
            if (depth < 1 || layer >= depth || layer < -depth) {
                throw new BadInputException("gan.feature_matching.layer=" + layer + " is not a hidden layer of the critic;"
                        + " allowed: " + (depth < 1 ? "none (the critic exposes no feature layer; model.d.depth="
                        + c.getInt("model.d.depth") + ")" : -depth + " to " + (depth - 1)));
            }
            b.regularizer(new FeatureMatching(fm, layer));
        }
        double ha = c.getDouble("gan.historical_averaging.weight");
        if (ha > 0) {
            String on = c.getString("gan.historical_averaging.on");
            if (!on.equals("d")) {
                b.regularizer(new HistoricalAveraging(ha, g, true));
            }
            if (!on.equals("g")) {
                b.regularizer(new HistoricalAveraging(ha, d, false));
            }
        }
        if (c.getDouble("gan.instance_noise.std") > 0) {
            b.instanceNoise(new InstanceNoise(c.getDouble("gan.instance_noise.std"),
                    c.getString("gan.instance_noise.schedule")));
        }
        if (c.getDouble("gan.ema") > 0) {
            b.ema(Setup.generator(c, data, Rng.derived(c.getLong("train.seed"), "ema")), c.getDouble("gan.ema"));
        }
        return b.build();
    }

    static Solver.Options solverOptions(Config c, Solver s) {
        return s == Solver.DOPRI5 ? Solver.Options.tolerances(c.getDouble("flow.atol"), c.getDouble("flow.rtol"))
                : Solver.Options.steps(c.getInt("flow.steps"));
    }

    /** SPEC C: rectified flow, with reflow rounds and distillation as configured; opt.d trains v. */
    static FlowMethod flow(Config c, Dataset data) {
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        long[] shape = data.shape();
        io.ganflow.nn.VelocityModel v = Setup.velocityNet(c, data, init);
        io.ganflow.nn.VelocityModel distilled = Setup.velocityNet(c, data, Rng.derived(c.getLong("train.seed"), "distill"));
        Sampler prior;
        if (c.getString("flow.prior").equals("generator")) {
            int zDim = c.getInt("model.z_dim");
            Module g = Setup.generator(c, data, Rng.derived(c.getLong("train.seed"), "prior"));
            // a fixed network outside the method's state: it goes to the run's device here
            if (io.ganflow.engine.Engine.device() != io.ganflow.engine.Device.CPU) {
                io.ganflow.train.Placement.moveModule(g, io.ganflow.engine.Engine.device());
            }
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
        FlowMethod m = new FlowMethod(v, distilled, Setup.optimizer(c, "d").create(v.parameters()),
                Setup.optimizer(c, "d").create(distilled.parameters()), prior, s, solverOptions(c, s), rs,
                solverOptions(c, rs), c.getInt("flow.reflow.rounds"), c.getInt("flow.reflow.pairs"),
                c.getBool("flow.distill"));
        if (shape.length > 1) {
            m.imageEvaluation(); // a solve per evaluation point: fewer for images
        }
        return m;
    }

    /** SPEC D: a generator trained as a particle flow; opt.d trains the field's network. */
    static ParticleGan particle(Config c, Dataset data, ParticleGan.Form form) {
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
