package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC A7: with every shipped h, the MonoFlow generator loss −E h(D(G(z))) covers all 8 modes of the ring.
 * Each run is its preset exactly (64×2 MLPs, 4000 steps, one critic step, R1 0.1, seed 0; about 10 s).
 */
class MonoFlowTrainingTest {
    @ParameterizedTest
    @ValueSource(strings = {"logit", "logsig", "softplus", "arcsinh", "exp"})
    void everyHCoversTheRing(String h) {
        Config c = Config.builder().setAll(Presets.get("ring8-monoflow-" + h).values(), "preset")
                .set("train.eval_every", "0", "test").set("train.seed", "0", "test").build();
        Map<String, Double> m = ToyTrainingTest.train(c);
        assertEquals(8.0, m.get("modes_covered"), h + ": " + m);
        assertTrue(m.get("high_quality_fraction") >= 0.7, h + ": " + m);
        assertTrue(m.get("reverse_kl_modes") < 0.05, h + ": " + m);
    }
}
