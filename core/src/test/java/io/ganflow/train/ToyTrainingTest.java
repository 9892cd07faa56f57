package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
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
        Config c = Config.builder().setAll(Presets.get("ring8-wgan-gp").values(), "preset")
                .set("model.g.width", "64", "test").set("model.g.depth", "2", "test")
                .set("model.d.width", "64", "test").set("model.d.depth", "2", "test")
                .set("opt.g.lr", "2e-3", "test").set("opt.d.lr", "2e-3", "test")
                .set("train.steps", "4000", "test").set("train.eval_every", "0", "test")
                .set("train.seed", "0", "test").build();
        Map<String, Double> m = train(c);
        assertEquals(8.0, m.get("modes_covered"), m.toString());
        assertTrue(m.get("high_quality_fraction") >= 0.8, m.toString());
        assertTrue(m.get("reverse_kl_modes") < 0.05, m.toString());
        assertTrue(m.get("w1") < 0.15, m.toString());
    }

    /**
     * The same small WGAN-GP in bf16 mixed precision (train.precision=bf16) reaches the same outcome: all 8 modes,
     * most samples on them.
     */
    @Test
    void smallWganGpCoversTheRingInBf16() {
        Config c = Config.builder().setAll(Presets.get("ring8-wgan-gp").values(), "preset")
                .set("model.g.width", "64", "test").set("model.g.depth", "2", "test")
                .set("model.d.width", "64", "test").set("model.d.depth", "2", "test")
                .set("opt.g.lr", "2e-3", "test").set("opt.d.lr", "2e-3", "test")
                .set("train.steps", "4000", "test").set("train.eval_every", "0", "test")
                .set("train.precision", "bf16", "test").set("train.seed", "0", "test").build();
        Map<String, Double> m = train(c);
        assertEquals(8.0, m.get("modes_covered"), m.toString());
        assertTrue(m.get("high_quality_fraction") >= 0.8, m.toString());
        assertTrue(m.get("reverse_kl_modes") < 0.05, m.toString());
        assertTrue(m.get("w1") < 0.15, m.toString());
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
