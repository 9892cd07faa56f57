package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Seeded training runs that must reach an outcome: modes covered and samples on the modes. */
class ToyTrainingTest {
    static Map<String, Double> train(Config c) {
        return io.ganflow.run.TrainingRun.builder().config(c).build().train().finalMetrics();
    }

    /** A small WGAN-GP (64×2 MLPs, about 40 s) covers all 8 modes of the ring, with most samples on them. */
    @Test
    void smallWganGpCoversTheRing() {
        Map<String, Double> m = train(smallRing("fp32", "4000", "256"));
        assertEquals(8.0, m.get("modes_covered"), m.toString());
        assertTrue(m.get("high_quality_fraction") >= 0.8, m.toString());
        assertTrue(m.get("reverse_kl_modes") < 0.05, m.toString());
        assertTrue(m.get("w1") < 0.15, m.toString());
    }

    /**
     * bf16 mixed precision (train.precision=bf16) trains as fp32 does: the same small WGAN-GP at a quarter of the
     * batch and half the steps of the test above, once in each precision, from one seed. Both cover all 8 modes
     * with a small reverse KL, and bf16's high-quality fraction and W1 stay near fp32's. At this budget the outcome
     * itself varies with the seed (seeds 0-3: high quality 0.53-0.63, W1 0.145-0.178, reverse KL 0.003-0.052), but
     * one seed's two precisions differ by at most 0.024 in high quality and 0.013 in W1; the margins, 0.1 and 0.03,
     * leave room for other kernels and still fail a bf16 path that trains differently.
     * Small because a CPU without bf16 instructions (AVX2 only) emulates every bf16 product: the full-sized bf16
     * run took 6 minutes there; it is {@link #smallWganGpCoversTheRingInBf16FullSize} (slow).
     */
    @Test
    void bf16TrainsAsFp32() {
        Map<String, Double> fp32 = train(smallRing("fp32", "2000", "64"));
        Map<String, Double> bf16 = train(smallRing("bf16", "2000", "64"));
        String both = "fp32 " + fp32 + "\nbf16 " + bf16;
        for (Map<String, Double> m : List.of(fp32, bf16)) {
            assertEquals(8.0, m.get("modes_covered"), both);
            assertTrue(m.get("reverse_kl_modes") < 0.1, both);
        }
        assertEquals(fp32.get("high_quality_fraction"), bf16.get("high_quality_fraction"), 0.1, both);
        assertEquals(fp32.get("w1"), bf16.get("w1"), 0.03, both);
    }

    /** The bf16 run at the fp32 test's size (4,000 steps of 256) reaches the fp32 test's outcome. */
    @Test
    @Tag("slow")
    void smallWganGpCoversTheRingInBf16FullSize() {
        Map<String, Double> m = train(smallRing("bf16", "4000", "256"));
        assertEquals(8.0, m.get("modes_covered"), m.toString());
        assertTrue(m.get("high_quality_fraction") >= 0.8, m.toString());
        assertTrue(m.get("reverse_kl_modes") < 0.05, m.toString());
        assertTrue(m.get("w1") < 0.15, m.toString());
    }

    /** ring8-wgan-gp with 64×2 MLPs at learning rate 2e-3, seed 0, no evaluation before the end. */
    static Config smallRing(String precision, String steps, String batch) {
        return Config.builder().setAll(Presets.get("ring8-wgan-gp").values(), "preset")
                .set("model.g.width", "64", "test").set("model.g.depth", "2", "test")
                .set("model.d.width", "64", "test").set("model.d.depth", "2", "test")
                .set("opt.g.lr", "2e-3", "test").set("opt.d.lr", "2e-3", "test")
                .set("train.steps", steps, "test").set("train.batch", batch, "test").set("train.eval_every", "0", "test")
                .set("train.precision", precision, "test").set("train.seed", "0", "test").build();
    }

    /** The default preset in bf16, as `ganflow train --set train.precision=bf16` runs it. */
    @Test
    @Tag("slow")
    void defaultPresetCoversTheRingInBf16() {
        Config c = Config.builder().setAll(Presets.get(Presets.DEFAULT).values(), "preset")
                .set("train.precision", "bf16", "test").build();
        Map<String, Double> m = train(c);
        assertEquals(8.0, m.get("modes_covered"), m.toString());
        assertTrue(m.get("high_quality_fraction") >= 0.8, m.toString());
    }

    /** The default preset, exactly as `ganflow train` runs it. */
    @Test
    @Tag("slow")
    void defaultPresetCoversTheRing() {
        Config c = Config.builder().setAll(Presets.get(Presets.DEFAULT).values(), "preset").build();
        Map<String, Double> m = train(c);
        assertEquals(8.0, m.get("modes_covered"), m.toString());
        assertTrue(m.get("high_quality_fraction") >= 0.8, m.toString());
    }

    /** The grid preset beats the published WGAN-GP figures on this protocol (24.2 modes, 28.7 % high quality). */
    @Test
    @Tag("slow")
    void gridPresetBeatsPublishedWganGp() {
        Config c = Config.builder().setAll(Presets.get("grid25-wgan-gp").values(), "preset").build();
        Map<String, Double> m = train(c);
        assertTrue(m.get("modes_covered") >= 24, m.toString());
        assertTrue(m.get("high_quality_fraction") > 0.287, m.toString());
    }
}
