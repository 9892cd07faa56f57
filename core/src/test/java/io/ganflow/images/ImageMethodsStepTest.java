package io.ganflow.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.gan.FeatureMatching;
import io.ganflow.gan.GanMethod;
import io.ganflow.gan.GeneratorBatch;
import io.ganflow.gan.InstanceNoise;
import io.ganflow.nn.FeatureCritic;
import io.ganflow.nn.MinibatchDiscrimination;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Reshaped;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every objective with every regularizer and trick, and every method, runs on 1×8×8 images: two steps with
 * finite statistics, and samples of the image's shape.
 */
class ImageMethodsStepTest {
    static final List<String> CLASSIFIERS = List.of("minimax", "nonsaturating", "monoflow");

    @BeforeAll
    static void register() {
        ImageFixtures.register();
    }

    static Config.Builder base() {
        return Config.builder().set("data.name", "bars8", "test")
                .set("model.g.width", "16", "test").set("model.g.depth", "2", "test")
                .set("model.d.width", "16", "test").set("model.d.depth", "2", "test")
                .set("model.v.kind", "flat_mlp", "test").set("model.v.width", "16", "test")
                .set("model.v.depth", "2", "test").set("model.z_dim", "4", "test")
                .set("train.batch", "16", "test").set("train.seed", "3", "test");
    }

    static Config.Builder with(Config.Builder b, String... kv) {
        for (int i = 0; i < kv.length; i += 2) {
            b.set(kv[i], kv[i + 1], "test");
        }
        return b;
    }

    static final String[][] OBJECTIVES = {
        {"minimax"}, {"nonsaturating"}, {"wasserstein"}, {"hinge"}, {"least_squares"},
        {"monoflow", "gan.monoflow.h", "logit"}, {"monoflow", "gan.monoflow.h", "log_sigmoid"},
        {"monoflow", "gan.monoflow.h", "softplus"}, {"monoflow", "gan.monoflow.h", "arcsinh"},
        {"monoflow", "gan.monoflow.h", "exp"},
        {"fgan", "gan.fgan.divergence", "kl"}, {"fgan", "gan.fgan.divergence", "reverse_kl"},
        {"fgan", "gan.fgan.divergence", "js"}, {"fgan", "gan.fgan.divergence", "tv"},
        {"fgan", "gan.fgan.divergence", "pearson"}, {"fgan", "gan.fgan.divergence", "hellinger"}};

    static final Object[][] REGULARIZERS = {
        {"none", new String[0]},
        {"gp1", new String[] {"gan.gp.weight", "1", "gan.gp.center", "1"}},
        {"gp0", new String[] {"gan.gp.weight", "1", "gan.gp.center", "0"}},
        {"r1", new String[] {"gan.r1.weight", "0.1"}},
        {"r2", new String[] {"gan.r2.weight", "0.1"}},
        {"clip", new String[] {"gan.clip", "0.01"}},
        {"feature_matching_last", new String[] {"gan.feature_matching.weight", "1"}},
        {"feature_matching_0", new String[] {"gan.feature_matching.weight", "1", "gan.feature_matching.layer", "0"}},
        {"historical_averaging", new String[] {"gan.historical_averaging.weight", "0.01",
            "gan.historical_averaging.on", "both"}},
        {"instance_noise", new String[] {"gan.instance_noise.std", "0.3", "gan.instance_noise.schedule", "cosine"}},
        {"label_smoothing", new String[] {"gan.real_label", "0.9"}},
        {"minibatch", new String[] {"model.d.minibatch.kernels", "4", "model.d.minibatch.dim", "3"}},
        {"vbn", new String[] {"model.g.vbn", "8"}},
        {"spectral_norm", new String[] {"model.d.spectral_norm", "all", "model.g.spectral_norm", "0"}},
        {"ema", new String[] {"gan.ema", "0.9"}},
        {"n_critic", new String[] {"gan.n_critic", "2"}},
        {"everything", new String[] {"gan.gp.weight", "1", "gan.r1.weight", "0.1", "gan.r2.weight", "0.1",
            "gan.feature_matching.weight", "1", "gan.historical_averaging.weight", "0.01",
            "gan.historical_averaging.on", "both", "gan.instance_noise.std", "0.3", "model.d.minibatch.kernels", "3",
            "model.g.vbn", "8", "model.d.spectral_norm", "0", "gan.ema", "0.9", "gan.n_critic", "2"}}};

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (String[] o : OBJECTIVES) {
            for (Object[] r : REGULARIZERS) {
                String label = o.length > 1 ? o[0] + "/" + o[2] : o[0];
                out.add(Arguments.of(label, o, r[0], r[1]));
            }
        }
        return out.stream();
    }

    /** Runs two steps; every logged statistic is finite and samples have shape (n, 1, 8, 8). */
    static void assertTwoStepsOnImages(Config c) {
        try (Scope s = Scope.open()) {
            Dataset data = Setup.dataset(c);
            Method m = Setup.method(c, data);
            Rng rng = new Rng(c.getLong("train.seed"));
            for (long step = 1; step <= 2; step++) {
                Map<String, Double> stats = m.step(new StepContext(step, 10, data, rng, c.getInt("train.batch"), true))
                        .toHost();
                assertFalse(stats.isEmpty());
                stats.forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v));
            }
            Tensor x = m.sample(5, new Rng(1));
            assertArrayEquals(new long[] {5, 1, 8, 8}, Ops.shape(x));
            assertTrue(Ops.allFinite(x));
            m.critic().ifPresent(f -> assertArrayEquals(new long[] {5, 1}, Ops.shape(f.apply(x))));
        }
    }

    @ParameterizedTest(name = "{0} + {2}")
    @MethodSource("combinations")
    void everyObjectiveWithEveryRegularizerStepsOnImages(String label, String[] objective, String reg,
            String[] settings) {
        Config.Builder b = with(base(), "method", "gan", "gan.objective", objective[0]);
        if (objective.length > 1) {
            with(b, objective[1], objective[2]);
        }
        Config c = with(b, settings).build();
        if (reg.equals("label_smoothing") && !CLASSIFIERS.contains(objective[0])) {
            // one-sided label smoothing belongs to classifier objectives; elsewhere it is refused (images or points)
            assertThrows(BadInputException.class, () -> Setup.method(c, Setup.dataset(c)));
            return;
        }
        assertTwoStepsOnImages(c);
    }

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("rf", new String[] {"method", "rf"}),
                Arguments.of("rf heun", new String[] {"method", "rf", "flow.solver", "heun", "flow.steps", "2"}),
                Arguments.of("rf rk4", new String[] {"method", "rf", "flow.solver", "rk4", "flow.steps", "2"}),
                Arguments.of("rf dopri5", new String[] {"method", "rf", "flow.solver", "dopri5", "flow.atol", "1e-3",
                    "flow.rtol", "1e-3"}),
                Arguments.of("rf generator prior", new String[] {"method", "rf", "flow.prior", "generator"}),
                Arguments.of("particle", new String[] {"method", "particle", "gan.r1.weight", "0.1",
                    "particle.k", "2"}),
                Arguments.of("reflow_gan", new String[] {"method", "reflow_gan", "particle.chord_steps", "2"}),
                Arguments.of("reflow_gan v(x,0)", new String[] {"method", "reflow_gan", "particle.chord_steps", "0"}),
                Arguments.of("gradient_field", new String[] {"method", "gradient_field", "particle.form", "exact"}),
                Arguments.of("gradient_field approx", new String[] {"method", "gradient_field",
                    "particle.form", "approx"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void everyMethodStepsOnImages(String label, String[] settings) {
        assertTwoStepsOnImages(with(base(), settings).build());
    }

    /**
     * A whole rectified-flow run on images with every stage: 1-RF, one reflow round on couplings generated by RK4,
     * distillation; the per-stage measurements (W1 on flattened images, NFE, straightness) and the evaluation.
     */
    @Test
    void reflowAndDistillationRunOnImages() {
        Config c = with(base(), "method", "rf", "train.steps", "9", "flow.reflow.rounds", "1", "flow.distill", "true",
                "flow.reflow.pairs", "32", "flow.reflow.solver", "rk4", "flow.steps", "2", "train.eval_every", "0",
                "train.eval_samples", "40", "train.w1_samples", "20").build();
        Map<String, Double> m = TrainingRun.builder().config(c).build().train().finalMetrics();
        for (String k : List.of("stage1_w1_rk45", "stage1_nfe_rk45", "stage1_w1_euler1", "stage1_straightness",
                "stage2_w1_rk45", "stage2_straightness", "stage3_w1_1step", "w1", "nfe", "straightness")) {
            assertTrue(m.containsKey(k) && Double.isFinite(m.get(k)), k + " in " + m);
        }
        assertEquals(1.0, m.get("nfe"), m.toString());
        assertFalse(m.containsKey("modes_covered"), "no mode metrics without a mixture");
    }

    /**
     * Evaluation on images: no mode metrics; exact W1 on the flattened images when train.w1_samples is at most
     * Evaluator.IMAGE_W1_LIMIT, left out above it; the critic's estimate either way.
     */
    @Test
    void evaluatorOnImagesComputesW1OnlyForSmallSamples() {
        Config c = with(base(), "method", "gan").build();
        Dataset data = Setup.dataset(c);
        Method m = Setup.method(c, data);
        Map<String, Double> small = new Evaluator(data, 400, 300, 1).evaluate(m);
        assertEquals(300.0, small.get("w1_samples"));
        assertTrue(small.get("w1") > 0, small.toString());
        assertTrue(small.containsKey("critic_w_estimate"));
        assertFalse(small.containsKey("modes_covered"));
        Map<String, Double> large = new Evaluator(data, 2500, 2000, 1).evaluate(m);
        assertFalse(large.containsKey("w1"), large.toString());
        assertTrue(large.containsKey("critic_w_estimate"), large.toString());
        Map<String, Double> limit = new Evaluator(data, 2500, Evaluator.IMAGE_W1_LIMIT, 1).evaluate(m);
        assertEquals((double) Evaluator.IMAGE_W1_LIMIT, limit.get("w1_samples"));
        // extra metrics run on the flattened images
        Map<String, Double> extra = new Evaluator(data, 200, 100, 1, List.of("mmd")).evaluate(m);
        assertTrue(extra.containsKey("mmd2"), extra.toString());
    }

    /** Feature matching on an MLP critic of images reads the wrapped MLP's hidden layer of the flattened pixels. */
    @Test
    void featureMatchingOnImagesReadsTheFlattenedHiddenLayer() {
        Config c = with(base(), "method", "gan", "gan.feature_matching.weight", "2").build();
        Dataset data = Setup.dataset(c);
        GanMethod m = (GanMethod) Setup.method(c, data);
        FeatureCritic critic = FeatureMatching.featureCritic(m.criticModule());
        assertEquals(2, critic.featureLayers());
        Mlp inner = (Mlp) ((Reshaped) m.criticModule()).inner();
        Rng rng = new Rng(4);
        Tensor real = data.sample(32, rng);
        Tensor fake = data.sample(32, rng).neg();
        Tensor got = new FeatureMatching(2, -1).generatorTerm(new GeneratorBatch(m.criticModule(), m.generator(), fake,
                () -> real));
        List<Tensor> hr = new ArrayList<>();
        List<Tensor> hf = new ArrayList<>();
        inner.forward(Ops.flatten(real), hr);
        inner.forward(Ops.flatten(fake), hf);
        Tensor diff = hf.get(1).mean(new long[] {0}, false, null).sub(hr.get(1).mean(new long[] {0}, false, null));
        assertEquals(2 * Ops.item(diff.square().sum()), Ops.item(got), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> critic.features(real, 2));
    }

    /** Instance noise on images has the image's shape and one independent N(0, σ²) value per pixel. */
    @Test
    void instanceNoiseOnImagesIsPerPixel() {
        InstanceNoise noise = new InstanceNoise(0.5, "constant");
        Tensor zero = Ops.zeros(4000, 1, 8, 8);
        Tensor e = noise.perturb(zero, 1, 10, new Rng(2));
        assertArrayEquals(new long[] {4000, 1, 8, 8}, Ops.shape(e));
        double[] v = Ops.toDoubles(e);
        double m = 0;
        double sq = 0;
        for (double x : v) {
            m += x / v.length;
            sq += x * x / v.length;
        }
        assertEquals(0, m, 0.003);
        assertEquals(0.5, Math.sqrt(sq - m * m), 0.003);
        // pixels of one image are not one shared draw
        assertTrue(Math.abs(v[0] - v[1]) > 1e-6);
    }

    /**
     * The minibatch-discrimination layer on image features: appends K closeness features to the flattened
     * pixels, n − 1 for a batch of copies, the same as on the flattened batch.
     */
    @Test
    void minibatchDiscriminationLayerWorksOnShapedFeatures() {
        MinibatchDiscrimination layer = new MinibatchDiscrimination(64, 3, 2, new Rng(5), true);
        Tensor one = ImageFixtures.templates().narrow(0, 0, 1).to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
        Tensor copies = one.expand(new long[] {6, 1, 8, 8}).contiguous();
        Tensor out = Ops.noGrad(() -> layer.forward(copies));
        assertArrayEquals(new long[] {6, 64 + 3}, Ops.shape(out));
        for (double v : Ops.toDoubles(out.narrow(1, 64, 3))) {
            assertEquals(5.0, v, 1e-12);
        }
        Tensor x = new Rng(6).normal(6, 1, 8, 8).to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
        assertArrayEquals(Ops.toDoubles(Ops.noGrad(() -> layer.closeness(Ops.flatten(x)))),
                Ops.toDoubles(Ops.noGrad(() -> layer.closeness(x))), 0.0);
    }
}
