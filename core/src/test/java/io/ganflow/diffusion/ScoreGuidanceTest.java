package io.ganflow.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.VelocityModel;
import io.ganflow.train.SampleRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Classifier-free guidance of a score model: the guided denoiser is (1 + w) D_y − w D_∅ for every target and process
 * (so it guides ε, the score and v alike), and a conditional EDM draws the class it is asked for.
 */
class ScoreGuidanceTest {
    /** F(x, t, y) = x·(y + 1) + t, F(x, t, ∅) = −x: a net whose outputs differ by class. */
    static final VelocityModel NET = FakeNet.of((x, t, labels) -> labels.isEmpty() ? Ops.mul(x, -1)
            : x.mul(labels.get().to(x.scalar_type()).add(Ops.s(1)).reshape(x.size(0), 1)).add(t));

    /**
     * For each target on VP and EDM, the guided denoiser equals (1 + w) D(x, t, y) − w D(x, t, ∅) computed from the
     * two unguided denoisers, to 1e-9: guidance on the net's output is guidance on D (and so on the score,
     * (α D − x)/σ², and on ε), since every target's D is affine in F with weights free of y.
     */
    @Test
    void guidingTheNetGuidesTheDenoiserForEveryTarget() {
        try (Scope s = Scope.open()) {
            Tensor x = Ops.fromRowsExact(new double[][] {{0.3, -1.2}, {2.0, 0.5}, {-0.7, 0.1}});
            Tensor y = Ops.fromLongs(new long[] {0, 3, 1});
            for (Process p : List.of(Process.vp(0.1, 20, 1e-3), Process.edm(0.002, 80))) {
                for (Target target : Target.values()) {
                    double t = 0.4 * p.tMax();
                    for (double w : new double[] {0.5, 2}) {
                        double[] guided = Ops.toDoubles(ScoreMethod.denoiser(NET, p, target, 0.5, Optional.of(y), w)
                                .denoise(x, t));
                        double[] cond = Ops.toDoubles(ScoreMethod.denoiser(NET, p, target, 0.5, Optional.of(y), 0)
                                .denoise(x, t));
                        double[] uncond = Ops.toDoubles(ScoreMethod.denoiser(NET, p, target, 0.5).denoise(x, t));
                        for (int i = 0; i < guided.length; i++) {
                            assertEquals((1 + w) * cond[i] - w * uncond[i], guided[i], 1e-9 * Math.max(1,
                                    Math.abs(guided[i])), p.name() + " " + target + " w " + w);
                        }
                    }
                }
            }
        }
    }

    /**
     * ring8-edm-cfg at a small budget (128 × 3 net, 3,000 steps, seed 0) draws the requested component: of 800
     * samples asked for classes in turn, at w = 0 and at w = 1, at least 97 % have the asked-for mode as their
     * nearest (measured: 1.000 and 1.000; the ring's std of 0.02 needs the full budget for the samples to sit within
     * its high-quality radius, docs/conditional.md). A request's guidance doubles the NFE it reports; an
     * unconditional run refuses guidance, a conditional one a class it does not have.
     */
    @Test
    void conditionalEdmDrawsTheAskedClass() {
        Config c = Config.builder().setAll(Presets.get("ring8-edm-cfg").values(), "preset")
                .set("model.v.width", "128", "test").set("train.steps", "3000", "test")
                .set("train.eval_every", "0", "test").set("train.seed", "0", "test").build();
        io.ganflow.run.TrainingRun tr = io.ganflow.run.TrainingRun.builder().config(c).build();
        Map<String, Double> m = tr.train().finalMetrics();
        assertEquals(8.0, m.get("modes_covered"), m.toString());
        double[][] centers = tr.data().mixture().orElseThrow().centers();
        for (double w : new double[] {0, 1}) {
            try (Scope s = Scope.open()) {
                long[] want = new long[800];
                for (int i = 0; i < want.length; i++) {
                    want[i] = i % 8;
                }
                double[][] x = Ops.toRows(tr.method().sample(SampleRequest.of(want.length, new Rng(3))
                        .withLabels(want).withOption("guidance", w)).x());
                int hits = 0;
                for (int i = 0; i < x.length; i++) {
                    int best = 0;
                    for (int k = 1; k < centers.length; k++) {
                        if (dist(x[i], centers[k]) < dist(x[i], centers[best])) {
                            best = k;
                        }
                    }
                    hits += best == want[i] ? 1 : 0;
                }
                assertTrue(hits >= 0.97 * x.length, "w = " + w + ": " + hits + " of " + x.length);
            }
        }
        try (Scope s = Scope.open()) {
            io.ganflow.train.Samples out = tr.method().sample(SampleRequest.of(4, new Rng(1))
                    .withLabels(new long[] {2, 2, 5, 5}).withOption("nfe", 9).withOption("guidance", 2));
            assertEquals(18, out.nfe(), out.description());
            assertTrue(out.description().contains("guidance 2.0"), out.description());
            out = tr.method().sample(SampleRequest.of(4, new Rng(1)).withLabels(new long[] {2, 2, 5, 5})
                    .withOption("nfe", 9).withOption("guidance", 0));
            assertEquals(9, out.nfe());
            assertThrows(BadInputException.class, () -> tr.method().sample(SampleRequest.of(2, new Rng(1))
                    .withLabels(new long[] {8, 0})));
        }
        Config plain = Config.builder().setAll(Presets.get("ring8-edm").values(), "preset")
                .set("train.steps", "1", "test").set("train.eval_every", "0", "test").build();
        io.ganflow.run.TrainingRun u = io.ganflow.run.TrainingRun.builder().config(plain).build();
        assertThrows(BadInputException.class, () -> u.method().sample(SampleRequest.of(2, new Rng(1))
                .withOption("guidance", 1)));
    }

    static double dist(double[] a, double[] b) {
        double d = 0;
        for (int j = 0; j < a.length; j++) {
            d += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return d;
    }
}
