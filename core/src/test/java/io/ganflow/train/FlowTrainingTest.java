package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded flow runs with outcomes: reflow straightens (SPEC C4–C5); every bridge covers the ring (SPEC D). */
class FlowTrainingTest {
    /**
     * The ring8-reflow preset with a 64×2 velocity net and 4,000 steps per stage (about 40 s): after 2-RF the
     * straightness is at most half that of 1-RF, one Euler step's W1 improves at least 2×, and the distilled
     * one-step generator's W1 is within 1.5× that of the 2-RF flow sampled with RK45 (same 1,000 points).
     */
    @Test
    void reflowStraightensAndDistillationKeepsQuality() {
        Config c = Config.builder().setAll(Presets.get("ring8-reflow").values(), "preset")
                .set("model.v.width", "64", "test").set("model.v.depth", "2", "test")
                .set("train.steps", "12000", "test").set("flow.reflow.pairs", "4000", "test")
                .set("train.eval_every", "0", "test").set("train.seed", "0", "test").build();
        Map<String, Double> m = ToyTrainingTest.train(c);
        String all = m.toString();
        assertTrue(m.get("stage2_straightness") <= 0.5 * m.get("stage1_straightness"), all);
        assertTrue(m.get("stage2_w1_euler1") * 2 <= m.get("stage1_w1_euler1"), all);
        assertTrue(m.get("stage3_w1_1step") <= 1.5 * m.get("stage2_w1_rk45"), all);
        assertEquals(1.0, m.get("nfe"), all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring8-particle", "ring8-reflow-gan", "ring8-gradient-field", "ring8-gradient-field-approx"})
    void everyBridgeCoversTheRing(String preset) {
        Config c = Config.builder().setAll(Presets.get(preset).values(), "preset")
                .set("train.eval_every", "0", "test").set("train.seed", "0", "test").build();
        Map<String, Double> m = ToyTrainingTest.train(c);
        assertEquals(8.0, m.get("modes_covered"), preset + ": " + m);
    }
}
