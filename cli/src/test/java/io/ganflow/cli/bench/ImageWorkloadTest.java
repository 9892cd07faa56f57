package io.ganflow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The image suites of `ganflow bench` build their presets' nets and run a training iteration (it times nothing):
 * the nets have the parameter counts of the PyTorch peer's nets (tools/fixtures/image_flops.txt, printed by
 * bench/peers/image_steps.py), and one iteration changes every trainable parameter and leaves them finite
 * (except the WGAN critic's output bias: E D(fake) − E D(real) and the gradient penalty do not depend on it, so
 * its gradient is exactly 0).
 */
class ImageWorkloadTest {
    @ParameterizedTest
    @CsvSource({"dcgan, g=759681 d=138689", "conv-gp, g=759681 d=138817", "unet, v=408673", "ddpm, v=408673"})
    void buildsThePresetsNetsAndRunsOneIteration(String suite, String peerParams) {
        ImageWorkload w = new ImageWorkload(suite, 1, 1);
        StringBuilder ours = new StringBuilder();
        for (Map.Entry<String, Long> e : w.parameterCounts().entrySet()) {
            ours.append(ours.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
        }
        assertEquals(peerParams, ours.toString());

        Map<String, double[]> before = snapshot(w);
        w.iteration();
        Map<String, double[]> after = snapshot(w);
        assertEquals(before.keySet(), after.keySet());
        assertFalse(before.isEmpty());
        for (String name : before.keySet()) {
            double change = 0;
            for (int j = 0; j < before.get(name).length; j++) {
                assertTrue(Double.isFinite(after.get(name)[j]), suite + " " + name + " is not finite");
                change = Math.max(change, Math.abs(after.get(name)[j] - before.get(name)[j]));
            }
            boolean shiftInvariant = suite.equals("conv-gp") && name.equals("critic.fc.bias");
            assertEquals(!shiftInvariant, change > 0, suite + ": " + name + " changed by " + change);
        }
    }

    /** Every parameter of every net the method trains, by net and name, as doubles. */
    private static Map<String, double[]> snapshot(ImageWorkload w) {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            for (Map.Entry<String, Module> m : w.method().networks().entrySet()) {
                for (Parameter p : m.getValue().parameters()) {
                    out.put(m.getKey() + "." + p.name(), Ops.toDoubles(p.value().detach()));
                }
            }
        }
        return out;
    }
}
