package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import io.ganflow.gan.AuxClassifierLoss;
import io.ganflow.gan.FDivergence;
import io.ganflow.gan.FeatureMatching;
import io.ganflow.gan.GanMethod;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.gan.HistoricalAveraging;
import io.ganflow.gan.InstanceNoise;
import io.ganflow.gan.Objectives;
import io.ganflow.gan.PointPenalty;
import io.ganflow.gan.WeightClipping;
import io.ganflow.nn.AuxClassifierCritic;
import io.ganflow.nn.ClassNormGenerator;
import io.ganflow.nn.FeatureCritic;
import io.ganflow.nn.LabelConcat;
import io.ganflow.nn.LabelEmbedding;
import io.ganflow.nn.Module;
import io.ganflow.nn.NormedGenerator;
import io.ganflow.nn.ProjectionCritic;
import io.ganflow.train.Method;
import java.util.List;

/**
 * The adversarial family (SPEC A): method {@code gan}, the objectives of the catalogue, and the {@code gan.*} keys
 * of objectives, penalties and tricks.
 */
public final class GanFamily implements Family {
    @Override
    public String name() {
        return "gan";
    }

    @Override
    public void keys(Keys k) {
        k.choice("gan.objective", "wasserstein", Registries.OBJECTIVES.names(), "adversarial objective (SPEC A1, A2, A4, A7, A8, A9)");
        k.choice("gan.monoflow.h", "logit", List.of("logit", "log_sigmoid", "softplus", "arcsinh", "exp"),
                "monoflow: the increasing h in the generator loss -E h(D(g(z)))");
        k.number("gan.monoflow.kappa", KeyType.DOUBLE, "1", 0.0, true, 100.0, false, "monoflow: kappa of h = exp(kappa*d)");
        k.choice("gan.fgan.divergence", "js", List.of("kl", "reverse_kl", "js", "tv", "pearson", "hellinger"),
                "fgan: the f-divergence");
        k.number("gan.real_label", KeyType.DOUBLE, "1", 0.5, true, 1.0, false,
                "target for real samples in classifier losses; 0.9 is one-sided label smoothing (1: off)");
        k.number("gan.pack", KeyType.INT, "1", 1.0, false, 8.0, false,
                "PacGAN: the critic judges packs of this many samples, concatenated along channels (images) or"
                + " coordinates (points); 1: off");
        k.number("gan.n_critic", KeyType.INT, "5", 1.0, false, 1000.0, false, "critic updates per generator update");
        k.number("gan.n_gen", KeyType.INT, "1", 1.0, false, 1000.0, false, "gan: generator updates per step, each on"
                + " a fresh batch against the same critic (K > 1: K steps of the generator loss against a frozen critic;"
                + " the particle-steps experiment)");
        k.number("gan.gp.weight", KeyType.DOUBLE, "0", 0.0, false, null, false,
                "gradient penalty weight lambda at interpolates (0: off)");
        k.choice("gan.gp.center", "1", List.of("1", "0"),
                "1: lambda*E(|grad f|-1)^2 (WGAN-GP); 0: (lambda/2)*E|grad f|^2 (zero-centred)");
        k.number("gan.clip", KeyType.DOUBLE, "0", 0.0, false, null, false,
                "clip critic weights to [-c, c] after each update (0: off)");
        k.number("gan.r1.weight", KeyType.DOUBLE, "0", 0.0, false, null, false,
                "R1 penalty (gamma/2)*E|grad D(x)|^2 at real points (0: off)");
        k.number("gan.r2.weight", KeyType.DOUBLE, "0", 0.0, false, null, false,
                "R2 penalty (gamma/2)*E|grad D(x)|^2 at generated points (0: off)");
        k.number("gan.instance_noise.std", KeyType.DOUBLE, "0", 0.0, false, null, false,
                "std of Gaussian noise added to every critic input (0: off)");
        k.choice("gan.instance_noise.schedule", "linear", List.of("constant", "linear", "cosine"),
                "how the instance-noise std is annealed to 0 over training");
        k.number("gan.feature_matching.weight", KeyType.DOUBLE, "0", 0.0, false, null, false,
                "feature matching: weight of |E_p f(x) - E_q f(g(z))|^2 in the generator loss (0: off)");
        k.number("gan.feature_matching.layer", KeyType.INT, "-1", -64.0, false, 63.0, false,
                "feature matching: the critic's hidden layer (0-based; -1: the last)");
        k.number("gan.historical_averaging.weight", KeyType.DOUBLE, "0", 0.0, false, null, false,
                "historical averaging: weight of |theta - mean of past theta|^2 (0: off)");
        k.choice("gan.historical_averaging.on", "both", List.of("g", "d", "both"), "historical averaging: which players");
        k.number("gan.acgan.weight", KeyType.DOUBLE, "1", 0.0, true, null, false, "model.d.condition=acgan: the weight"
                + " of the auxiliary classifier's cross-entropy in both players' losses");
        k.number("gan.ema", KeyType.DOUBLE, "0", 0.0, false, 1.0, true,
                "EMA decay of the generator's weights, used for sampling and evaluation (0: off; e.g. 0.999)");
    }

    @Override
    public void register(Registries r) {
        r.methods().register("gan", "adversarial training: gan.objective with any regularizers (SPEC A)", GanFamily::gan);

        r.objectives().register("minimax", "saturating minimax GAN (SPEC A1)",
                c -> Objectives.minimax(realLabel(c, true)));
        r.objectives().register("nonsaturating", "non-saturating GAN (SPEC A2)",
                c -> Objectives.nonSaturating(realLabel(c, true)));
        r.objectives().register("wasserstein", "WGAN critic E f(real) - E f(fake) (SPEC A4)",
                c -> Objectives.byName(withoutLabel(c, "wasserstein")));
        r.objectives().register("hinge", "hinge loss (SPEC A9)", c -> Objectives.byName(withoutLabel(c, "hinge")));
        r.objectives().register("least_squares", "least-squares GAN (SPEC A9)",
                c -> Objectives.byName(withoutLabel(c, "least_squares")));
        r.objectives().register("monoflow", "MonoFlow generator loss -E h(D(g(z))) (SPEC A7)", c -> {
            String h = c.getString("gan.monoflow.h");
            return Objectives.monoFlow(h, Objectives.monoFlowH(h, c.getDouble("gan.monoflow.kappa")), realLabel(c, true));
        });
        r.objectives().register("fgan", "f-GAN for gan.fgan.divergence (SPEC A8)",
                c -> FDivergence.byKey(withoutLabel(c, c.getString("gan.fgan.divergence"))).objective());
        r.objectives().register("relativistic_pairing", "RpGAN: softplus(D(fake) - D(real)) over paired rows; with"
                + " gan.r1.weight and gan.r2.weight it is R3GAN's loss", c -> Objectives.byName(withoutLabel(c,
                        "relativistic_pairing")));
        r.objectives().register("relativistic_average", "RaGAN: each side against the other side's mean output",
                c -> Objectives.byName(withoutLabel(c, "relativistic_average")));
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

    /**
     * The generator, taking the class beside z when {@code classes} > 0 (model.condition=concat): one-hot, or a
     * learned N(0, 1) embedding of model.g.label_dim coordinates; or through conditional batch norm
     * (model.g.condition=batchnorm).
     */
    private static Module generator(Config c, Dataset data, Rng rng, int classes) {
        if (classes == 0) {
            return Setup.generator(c, data, rng);
        }
        if (c.getString("model.g.condition").equals("batchnorm")) {
            Module g = Setup.generator(c, data, rng);
            if (!(g instanceof NormedGenerator ng)) {
                throw new BadInputException("model.g.condition=batchnorm needs a generator with batch norm;"
                        + " allowed: model.g.kind=dcgan or resnet, not " + c.getString("model.g.kind"));
            }
            return new ClassNormGenerator(ng, classes);
        }
        int e = c.getInt("model.g.label_dim");
        if (e > 0) {
            return new LabelEmbedding(Setup.net(c, new NetSpec("g", new long[] {c.getInt("model.z_dim") + e},
                    data.shape()), rng), classes, e, rng);
        }
        return new LabelConcat(Setup.net(c, new NetSpec("g", new long[] {c.getInt("model.z_dim") + classes},
                data.shape()), rng), classes);
    }

    /** The critic of a conditional GAN, taking the class as model.d.condition says. */
    private static Module conditionalCritic(Config c, Dataset data, Rng init, int classes) {
        String how = c.getString("model.d.condition");
        return switch (how) {
            case "concat" -> {
                long[] shape = data.shape();
                if (shape.length == 3 && !c.getString("model.d.kind").equals("mlp")) {
                    // a conv critic: the one-hot class as K more input channels, constant over the image
                    yield LabelConcat.channels(Setup.net(c, new NetSpec("d", new long[] {shape[0] + classes, shape[1],
                            shape[2]}, new long[] {1}), init), classes);
                }
                yield new LabelConcat(Setup.net(c, new NetSpec("d", new long[] {data.dim() + classes},
                        new long[] {1}), init), classes);
            }
            case "projection" -> {
                int f = c.getInt("model.d.features") > 0 ? c.getInt("model.d.features") : c.getInt("model.d.width");
                yield new ProjectionCritic(Setup.net(c, new NetSpec("d", data.shape(), new long[] {f}), init), f, classes,
                        init);
            }
            case "acgan" -> new AuxClassifierCritic(Setup.net(c, new NetSpec("d", data.shape(),
                    new long[] {1 + classes}), init), classes);
            default -> throw new BadInputException("model.d.condition=" + how + " is not allowed; allowed: concat,"
                    + " projection, acgan");
        };
    }

    /** SPEC A: the GAN family with every regularizer the config turns on. */
    static Method gan(Config c, Dataset data) {
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        int zDim = c.getInt("model.z_dim");
        if (c.getString("model.condition").equals("embed")) {
            throw new BadInputException("model.condition=embed is for the flows (method=rf); method=gan takes concat");
        }
        int classes = Setup.conditionClasses(c, data);
        Module g = generator(c, data, init, classes);
        int pack = c.getInt("gan.pack");
        if (pack > 1 && c.getInt("train.batch") % pack != 0) {
            throw new BadInputException("gan.pack=" + pack + " needs train.batch to be a multiple of it; train.batch="
                    + c.getInt("train.batch"));
        }
        if (pack > 1 && classes > 0) {
            throw new BadInputException("gan.pack=" + pack + " with model.condition=" + c.getString("model.condition")
                    + ": a pack mixes classes; allowed: gan.pack=1 for a conditional GAN");
        }
        Module d = classes > 0 ? conditionalCritic(c, data, init, classes) : Setup.critic(c, data, init, pack);
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
        if (d instanceof AuxClassifierCritic) {
            b.regularizer(new AuxClassifierLoss(c.getDouble("gan.acgan.weight")));
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
            b.ema(generator(c, data, Rng.derived(c.getLong("train.seed"), "ema"), classes), c.getDouble("gan.ema"));
        }
        return b.build();
    }
}
