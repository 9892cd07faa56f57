package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.images.ImageFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume exactness (as in {@link ResumeTest}) for runs on 1×8×8 images: a GAN with its tricks, and a reflow. */
class ImageMethodsResumeTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void register() {
        ImageFixtures.register();
    }

    static Config.Builder common(String data, long seed) {
        return Config.builder().set("data.name", data, "test")
                .set("train.batch", "32", "test").set("train.steps", "40", "test")
                .set("train.log_every", "10", "test").set("train.eval_every", "20", "test")
                .set("train.eval_samples", "200", "test").set("train.w1_samples", "100", "test")
                .set("train.checkpoint_every", "15", "test").set("train.lr_schedule", "linear", "test")
                .set("train.seed", Long.toString(seed), "test");
    }

    /** WGAN-GP with feature matching, historical averaging, instance noise, minibatch discrimination and EMA. */
    @Test
    void resumedImageGanEqualsUninterruptedRun() throws Exception {
        Config c = common("bars8", 123)
                .set("model.g.width", "32", "test").set("model.g.depth", "2", "test")
                .set("model.d.width", "32", "test").set("model.d.depth", "2", "test")
                .set("model.z_dim", "4", "test").set("gan.objective", "wasserstein", "test")
                .set("gan.gp.weight", "1", "test").set("gan.n_critic", "2", "test")
                .set("gan.feature_matching.weight", "0.5", "test")
                .set("gan.historical_averaging.weight", "0.01", "test")
                .set("gan.instance_noise.std", "0.2", "test").set("model.d.minibatch.kernels", "3", "test")
                .set("gan.ema", "0.9", "test").build();
        Map<String, Double> end = ResumeTest.assertResumeIsExact(dir, c, "gan");
        assertTrue(end.containsKey("w1") && end.containsKey("critic_w_estimate"), end.toString());
        assertFalse(end.containsKey("modes_covered"), end.toString());
    }

    /** A flow on images stopped in its reflow stage resumes with the same image couplings and stage. */
    @Test
    void resumedImageReflowEqualsUninterruptedRun() throws Exception {
        Config c = common("two8", 321).set("method", "rf", "test").set("model.v.kind", "flat_mlp", "test")
                .set("model.v.width", "32", "test").set("model.v.depth", "2", "test")
                .set("flow.reflow.rounds", "1", "test").set("flow.distill", "true", "test")
                .set("flow.reflow.pairs", "64", "test").set("flow.reflow.solver", "rk4", "test")
                .set("flow.steps", "4", "test").build();
        Map<String, Double> end = ResumeTest.assertResumeIsExact(dir, c, "rf");
        assertTrue(end.containsKey("stage2_straightness") && end.containsKey("stage3_w1_1step"), end.toString());
    }
}
