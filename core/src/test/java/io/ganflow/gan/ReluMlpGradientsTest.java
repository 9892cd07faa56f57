package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.optim.OptimizerSpec;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The written-out GAN updates for plain ReLU MLPs ({@link ReluMlpGradients}) against autograd, which builds the
 * graph and, for the penalty, runs the full double backward (not the penalty's own fast path): the losses and
 * every gradient agree to float rounding, for each objective with and without either penalty; in double
 * precision the critic's gradients also match central finite differences of the loss they differentiate.
 */
class ReluMlpGradientsTest {
    private static Mlp critic(int width, boolean dbl) {
        return Mlp.builder().in(2).out(1).width(width).depth(3).doublePrecision(dbl).build(new Rng(2));
    }

    /** The critic loss as autograd sees it: objective on D(real), D(fake), plus the penalty by double backward. */
    private static Tensor autogradCriticLoss(Module d, Objective o, GradientPenalty gp, Tensor real, Tensor fake,
            Rng rng) {
        Tensor loss = o.criticLoss(d.forward(real), d.forward(fake));
        return gp == null ? loss : loss.add(gp.penaltyByAutograd(d, GradientPenalty.interpolate(real, fake, rng)));
    }

    @ParameterizedTest
    @CsvSource({"wasserstein, 0, 1, 3, 128", "wasserstein, 0.1, 1, 3, 128", "wasserstein, 10, 0, 3, 128",
        "nonsaturating, 0, 1, 3, 128", "nonsaturating, 10, 0, 3, 128", "hinge, 1, 1, 3, 128", "minimax, 0.1, 1, 3, 128",
        "wasserstein, 0.1, 1, 1, 128", "wasserstein, 0, 1, 2, 96", "nonsaturating, 0, 1, 1, 64"})
    void criticGradientsEqualAutograd(String objective, double weight, int center, int depth, int fakeRows) {
        try (Scope scope = Scope.open()) {
            Objective o = Objectives.byName(objective);
            GradientPenalty gp = weight == 0 ? null : new GradientPenalty(weight, center);
            Mlp d = Mlp.builder().in(2).out(1).width(64).depth(depth).build(new Rng(2));
            Rng data = new Rng(5);
            Tensor real = data.normal(128, 2).mul(Ops.s(2.0));
            Tensor fake = data.normal(fakeRows, 2);
            ReluMlpGradients.CriticUpdate u = ReluMlpGradients.of(d).critic(o, gp, real, fake, new Rng(9), true);
            Tensor want = autogradCriticLoss(d, o, gp, real, fake, new Rng(9));
            Tensor got = gp == null ? u.objectiveLoss() : u.objectiveLoss().add(u.penalty());
            assertEquals(Ops.item(want), Ops.item(got), 1e-5 * (1 + Math.abs(Ops.item(want))), "loss");
            List<Tensor> wantGrads = Ops.grad(want, d.tensors(), false);
            assertEquals(wantGrads.size(), u.grads().size());
            for (int i = 0; i < wantGrads.size(); i++) {
                assertEquals(java.util.Arrays.toString(Ops.shape(wantGrads.get(i))),
                        java.util.Arrays.toString(Ops.shape(u.grads().get(i))), d.parameters().get(i).name());
                assertGradient(wantGrads.get(i), u.grads().get(i), d.parameters().get(i).name());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"wasserstein, 2, 3", "nonsaturating, 2, 3", "hinge, 2, 3", "minimax, 2, 3", "wasserstein, 1, 1",
        "nonsaturating, 3, 2"})
    void generatorGradientsEqualAutograd(String objective, int out, int depth) {
        try (Scope scope = Scope.open()) {
            Objective o = Objectives.byName(objective);
            Mlp g = Mlp.builder().in(3).out(out).width(48).depth(depth).build(new Rng(1));
            Mlp d = Mlp.builder().in(out).out(1).width(64).depth(3).build(new Rng(2));
            Tensor z = new Rng(6).normal(128, 3);
            ReluMlpGradients.GeneratorUpdate u = ReluMlpGradients.of(g).generator(ReluMlpGradients.of(d), o, z);
            Tensor want = o.generatorLoss(d.forward(g.forward(z)));
            assertEquals(Ops.item(want), Ops.item(u.loss()), 1e-5 * (1 + Math.abs(Ops.item(want))), "loss");
            List<Tensor> wantGrads = Ops.grad(want, g.tensors(), false);
            for (int i = 0; i < wantGrads.size(); i++) {
                assertGradient(wantGrads.get(i), u.grads().get(i), g.parameters().get(i).name());
            }
        }
    }

    /**
     * Equal to 2e-5 of the larger of the gradient's largest entry and 0.1: a gradient entry is a sum of terms of up
     * to that size, and summed in another order it differs by their rounding, even where the sum cancels to 0.
     */
    private static void assertGradient(Tensor want, Tensor got, String name) {
        float[] w = Ops.toFloats(want);
        float[] g = Ops.toFloats(got);
        assertEquals(w.length, g.length, name);
        double scale = 0.1;
        for (float v : w) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], 2e-5 * scale, name + "[" + i + "]");
        }
    }

    /** Central differences of the critic loss (objective + penalty, the same α) in double precision. */
    @ParameterizedTest
    @CsvSource({"1", "0"})
    void criticGradientsMatchFiniteDifferences(int center) {
        try (Scope scope = Scope.open()) {
            Mlp d = critic(8, true);
            GradientPenalty gp = new GradientPenalty(0.5, center);
            Rng data = new Rng(3);
            Tensor real = data.normal(16, 2).to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
            Tensor fake = data.normal(16, 2).to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
            ReluMlpGradients.CriticUpdate u = ReluMlpGradients.of(d).critic(Objectives.WASSERSTEIN, gp, real, fake,
                    new Rng(4), true);
            double h = 1e-6;
            int checked = 0;
            for (int p = 0; p < d.parameters().size(); p++) {
                Tensor value = d.parameters().get(p).value();
                double[] grad = Ops.toDoubles(u.grads().get(p));
                long n = value.numel();
                for (long k = 0; k < n; k += Math.max(1, n / 5)) {
                    Tensor flat = value.detach().view(-1);
                    double orig = Ops.toDoubles(flat.narrow(0, k, 1))[0];
                    flat.narrow(0, k, 1).fill_(Ops.s(orig + h));
                    double up = Ops.item(autogradCriticLoss(d, Objectives.WASSERSTEIN, gp, real, fake, new Rng(4)));
                    flat.narrow(0, k, 1).fill_(Ops.s(orig - h));
                    double down = Ops.item(autogradCriticLoss(d, Objectives.WASSERSTEIN, gp, real, fake, new Rng(4)));
                    flat.narrow(0, k, 1).fill_(Ops.s(orig));
                    double fd = (up - down) / (2 * h);
                    assertEquals(fd, grad[(int) k], 1e-6 * (1 + Math.abs(fd)), d.parameters().get(p).name() + "[" + k
                            + "]");
                    checked++;
                }
            }
            assertTrue(checked > 30, "checked " + checked + " entries");
        }
    }

    @Test
    void trainingMatchesAutograd() {
        GanMethod written = method(true);
        GanMethod graph = method(false);
        assertTrue(written.writesGradients());
        assertFalse(graph.writesGradients());
        JointCriticPassTest.assertSameTraining(written, graph);
    }

    @Test
    void onlyPlainReluMlpsWithoutOtherTermsQualify() {
        Mlp g = Mlp.builder().in(2).out(2).width(8).depth(2).build(new Rng(1));
        Mlp d = Mlp.builder().in(2).out(1).width(8).depth(2).build(new Rng(2));
        OptimizerSpec sgd = OptimizerSpec.sgd(1e-2, 0);
        assertTrue(build(g, d, sgd).build().writesGradients());
        assertTrue(build(g, d, sgd).regularizer(new GradientPenalty(1, 0)).build().writesGradients());
        assertFalse(build(g, d, sgd).regularizer(new WeightClipping(0.01)).build().writesGradients(), "clipping");
        assertFalse(build(g, d, sgd).instanceNoise(new InstanceNoise(0.1, "constant")).build().writesGradients(),
                "instance noise");
        assertFalse(build(g, Mlp.builder().in(2).out(1).width(8).depth(2).spectralNorm(Set.of(1)).build(new Rng(2)),
                sgd).build().writesGradients(), "spectral norm");
        assertFalse(build(Mlp.builder().in(2).out(2).width(8).depth(2).batchNorm(true).build(new Rng(1)), d, sgd)
                .build().writesGradients(), "batch norm in G");
        assertFalse(build(g, Mlp.builder().in(2).out(1).width(8).depth(2).minibatchDiscrimination(4, 3)
                .build(new Rng(2)), sgd).build().writesGradients(), "minibatch features");
        assertFalse(build(g, Mlp.builder().in(2).out(1).width(8).depth(2).virtualBatchNorm(16).build(new Rng(2)), sgd)
                .build().writesGradients(), "virtual batch norm");
        assertFalse(build(g, Mlp.builder().in(2).out(2).width(8).depth(2).build(new Rng(2)), sgd).build()
                .writesGradients(), "a critic with two outputs");
        assertFalse(build(g, Mlp.builder().in(2).out(1).width(8).depth(2).activation(Activation.LEAKY_RELU)
                .build(new Rng(2)), sgd).build().writesGradients(), "leaky ReLU");
        try (Precision.Use p = Precision.use(Precision.BF16)) {
            assertFalse(ReluMlpGradients.applicableNow(), "bf16 mixed precision goes through autograd");
        }
        assertTrue(ReluMlpGradients.applicableNow());
    }

    private static GanMethod.Builder build(Mlp g, Mlp d, OptimizerSpec opt) {
        return GanMethod.builder(g, d, 2, Objectives.WASSERSTEIN).optimizers(opt.create(g.parameters()),
                opt.create(d.parameters()));
    }

    private static GanMethod method(boolean written) {
        return JointCriticPassTest.toyWganGp().writtenBackward(written).build();
    }
}
