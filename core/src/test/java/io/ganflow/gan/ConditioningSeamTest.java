package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.NetSpec;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.Batch;
import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.data.toy.Moons;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.LabelConcat;
import io.ganflow.nn.Mlp;
import io.ganflow.optim.OptimizerSpec;
import io.ganflow.train.SampleRequest;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The conditioning seam, before any preset uses it: labelled batches from a data set that has labels, nets that
 * take a label or refuse one, penalties that differentiate in x alone, and every path that cannot take labels
 * refusing them.
 */
class ConditioningSeamTest {
    @Test
    void aMixtureLabelsEachSampleWithItsComponentAndDrawsAsBefore() {
        try (Scope s = Scope.open()) {
            GaussianMixture ring = GaussianMixture.ring8();
            assertEquals(8, ring.classes());
            Batch b = ring.sampleBatch(500, new Rng(3), true);
            long[] y = Ops.toLongs(b.labels().orElseThrow());
            double[][] x = Ops.toRows(b.x());
            for (int i = 0; i < y.length; i++) {
                assertTrue(y[i] >= 0 && y[i] < 8, "label " + y[i]);
                // ring8: radius 2, component k at angle 2πk/8, std 0.02: a sample lies within 0.2 of its centre
                double a = 2 * Math.PI * y[i] / 8;
                double d = Math.hypot(x[i][0] - 2 * Math.cos(a), x[i][1] - 2 * Math.sin(a));
                assertTrue(d < 0.2, "sample " + i + " is " + d + " from its component's centre");
            }
            // unlabelled, the batch is sample()'s, draw for draw
            assertArrayEquals(Ops.toFloats(ring.sample(64, new Rng(4))),
                    Ops.toFloats(ring.sampleBatch(64, new Rng(4), false).x()));
            assertTrue(ring.sampleBatch(64, new Rng(4), false).labels().isEmpty());
        }
    }

    @Test
    void aDataSetWithoutLabelsRefusesThem() {
        Moons moons = new Moons();
        assertEquals(0, moons.classes());
        BadInputException e = assertThrows(BadInputException.class, () -> moons.sampleBatch(8, new Rng(1), true));
        assertTrue(e.getMessage().contains("has no labels"), e.getMessage());
    }

    @Test
    void netsTakeALabelOrRefuseOne() {
        try (Scope s = Scope.open()) {
            Mlp plain = Mlp.builder().in(2).out(1).width(8).depth(1).build(new Rng(1));
            Tensor x = new Rng(2).normal(5, 2);
            Tensor y = Ops.fromLongs(new long[] {0, 1, 2, 1, 0});
            assertThrows(IllegalArgumentException.class, () -> plain.forward(x, Optional.of(y)));

            Mlp inner = Mlp.builder().in(2 + 3).out(1).width(8).depth(1).build(new Rng(1));
            LabelConcat c = new LabelConcat(inner, 3);
            float[] byHand = Ops.toFloats(inner.forward(Ops.cat(List.of(x, Ops.fromFloats(new float[] {
                1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0}, 5, 3)), 1)));
            assertArrayEquals(byHand, Ops.toFloats(c.forward(x, y)), "[x, onehot(y)] into the inner net");
            assertThrows(IllegalArgumentException.class, () -> c.forward(x), "a conditional net needs labels");

            // a conditional spec for a net kind that takes no label is refused by name
            Config cfg = Config.builder().setAll(Presets.get("ring8-wgan-gp").values(), "preset").build();
            NetSpec spec = NetSpec.flat("d", 2, 1).conditional(8);
            assertEquals(8, spec.classes());
            BadInputException e = assertThrows(BadInputException.class, () -> Setup.net(cfg, spec, new Rng(1)));
            assertTrue(e.getMessage().contains("model.d.kind=mlp takes no class label"), e.getMessage());
        }
    }

    /** R1 at labelled points: (γ/2)·E‖∇ₓD(x, y)‖², the gradient in x alone, not in the one-hot columns. */
    @Test
    void aPenaltyDifferentiatesInXOnly() {
        try (Scope s = Scope.open()) {
            Mlp inner = Mlp.builder().in(2 + 3).out(1).width(16).depth(2).build(new Rng(5));
            LabelConcat c = new LabelConcat(inner, 3);
            Tensor x = new Rng(6).normal(7, 2);
            long[] labels = {0, 1, 2, 2, 1, 0, 1};
            Tensor y = Ops.fromLongs(labels);
            double got = Ops.item(PointPenalty.r1(2.0).penaltyAt(c, x, Optional.of(y)));

            double[][] rows = Ops.toRows(x);
            double sum = 0;
            double sumAll = 0;
            for (int i = 0; i < rows.length; i++) {
                double[] in = {rows[i][0], rows[i][1], 0, 0, 0};
                in[2 + (int) labels[i]] = 1;
                Tensor leaf = Ops.requiringGrad(Ops.fromRows(new double[][] {in}));
                double[] g = Ops.toDoubles(Ops.inputGrad(inner.forward(leaf), leaf, false));
                sum += g[0] * g[0] + g[1] * g[1];
                sumAll += g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3] + g[4] * g[4];
            }
            double want = 2.0 / 2 * sum / rows.length;
            assertEquals(want, got, 1e-5 * want, "gradient in x");
            assertTrue(Math.abs(2.0 / 2 * sumAll / rows.length - got) > 1e-3 * want,
                    "the one-hot columns would change it: the test can tell the two apart");
        }
    }

    /**
     * A plain ReLU MLP critic fed [x, onehot(y)] qualifies for the written-out updates by its shape; they would
     * differentiate the penalty through the label columns, so a labelled batch is refused there. A conditional
     * critic (LabelConcat) never takes them, and GanMethod refuses conditional nets until it draws labels.
     */
    @Test
    void theWrittenOutUpdatesRefuseLabels() {
        try (Scope s = Scope.open()) {
            Mlp g = Mlp.builder().in(2).out(2).width(8).depth(2).build(new Rng(1));
            Mlp fedWithLabels = Mlp.builder().in(2 + 3).out(1).width(8).depth(2).build(new Rng(2));
            UpdatePaths paths = UpdatePaths.choose(g, fedWithLabels, Objectives.WASSERSTEIN, List.of(new GradientPenalty(0.1, 1)), false, true,
                    true);
            Tensor real = new Rng(3).normal(4, 5);
            if (ReluMlpGradients.ENABLED) {
                assertTrue(paths.writes(), "the shape qualifies");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> paths.critic(real, true));
                assertTrue(e.getMessage().contains("written-out ReLU-MLP updates take no class labels"),
                        e.getMessage());
            }
            assertEquals(paths.writes() ? UpdatePaths.Critic.WRITTEN : UpdatePaths.Critic.JOINT,
                    paths.critic(real, false));

            LabelConcat conditional = new LabelConcat(fedWithLabels, 3);
            assertNull(ReluMlpGradients.of(conditional));
            assertNotNull(ReluMlpGradients.of(fedWithLabels));
            UpdatePaths cp = UpdatePaths.choose(g, conditional, Objectives.WASSERSTEIN, List.of(new GradientPenalty(0.1, 1)), false, true, true);
            assertEquals(UpdatePaths.Critic.SEPARATE, cp.critic(real, true), "autograd, two passes");
            OptimizerSpec sgd = OptimizerSpec.sgd(0.01, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanMethod.builder(g,
                    conditional, 2, Objectives.WASSERSTEIN).optimizers(sgd.create(g.parameters()),
                            sgd.create(conditional.parameters())).build());
            assertTrue(e.getMessage().contains("the generator takes 0, the critic 3"), e.getMessage());
            LabelConcat cg = new LabelConcat(Mlp.builder().in(2 + 3).out(2).width(8).depth(2).build(new Rng(4)), 3);
            e = assertThrows(IllegalArgumentException.class, () -> GanMethod.builder(cg, conditional, 2,
                    Objectives.WASSERSTEIN).regularizer(new FeatureMatching(1.0, -1)).optimizers(
                            sgd.create(cg.parameters()), sgd.create(conditional.parameters())).build());
            assertTrue(e.getMessage().contains("feature_matching reads the critic without the class labels"),
                    e.getMessage());
        }
    }

    @Test
    void anUnconditionalMethodRefusesLabelledSampleRequests() {
        try (Scope s = Scope.open()) {
            Mlp g = Mlp.builder().in(2).out(2).width(8).depth(1).build(new Rng(1));
            Mlp d = Mlp.builder().in(2).out(1).width(8).depth(1).build(new Rng(2));
            OptimizerSpec sgd = OptimizerSpec.sgd(0.01, 0);
            GanMethod m = GanMethod.builder(g, d, 2, Objectives.WASSERSTEIN).optimizers(sgd.create(g.parameters()),
                    sgd.create(d.parameters())).build();
            BadInputException e = assertThrows(BadInputException.class,
                    () -> m.sample(SampleRequest.of(3, new Rng(1)).withLabels(new long[] {1, 2, 3})));
            assertTrue(e.getMessage().contains("is not conditional"), e.getMessage());
            assertEquals(3, m.sample(SampleRequest.of(3, new Rng(1))).x().size(0));
        }
    }
}
