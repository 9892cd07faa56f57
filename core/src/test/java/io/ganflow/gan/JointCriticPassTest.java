package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.train.StepContext;
import io.ganflow.optim.OptimizerSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A plain MLP critic sees [real; fake] in one forward pass instead of two, with the same results: outputs
 * agree to float rounding (OpenBLAS blocks a 512-row product differently from a 256-row one), and so do the
 * losses and weights along a short training run (the weight gradients sum both halves in one product
 * instead of two). Critics whose rows see each other, or whose forward pass has side effects, keep two
 * passes.
 */
class JointCriticPassTest {
    @Test
    void jointForwardEqualsTwoPasses() {
        Mlp d = Mlp.builder().in(2).out(1).width(64).depth(3).build(new Rng(2));
        Rng rng = new Rng(4);
        Tensor real = rng.normal(256, 2);
        Tensor fake = rng.normal(256, 2);
        Tensor both = d.forward(Ops.cat(List.of(real, fake), 0));
        assertClose(Ops.toFloats(d.forward(real)), Ops.toFloats(both.narrow(0, 0, 256)), 1e-6, "D(real)");
        assertClose(Ops.toFloats(d.forward(fake)), Ops.toFloats(both.narrow(0, 256, 256)), 1e-6, "D(fake)");
    }

    /** Equal to {@code rel} of the array's largest magnitude (an output near zero is a sum of larger terms). */
    static void assertClose(float[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 1e-3;
        for (float w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], rel * scale, what + "[" + i + "]");
        }
    }

    @Test
    void trainingMatchesTwoPasses() {
        assertSameTraining(method(true), method(false));
    }

    /**
     * Six steps of two methods built alike (the same nets' seeds) on the same data and generator seed: the same
     * step statistics to 1e-5, and the same critic and generator weights to 1e-5 of their largest entries.
     */
    static void assertSameTraining(GanMethod a, GanMethod b) {
        Rng ra = new Rng(3);
        Rng rb = new Rng(3);
        GaussianMixture data = GaussianMixture.ring8();
        for (int s = 1; s <= 6; s++) {
            Map<String, Double> sa;
            Map<String, Double> sb;
            try (Scope scope = Scope.open()) {
                sa = a.step(new StepContext(s, 6, data, ra, 64, true)).toHost();
                sb = b.step(new StepContext(s, 6, data, rb, 64, true)).toHost();
            }
            assertEquals(sb.keySet(), sa.keySet());
            for (String k : sb.keySet()) {
                assertEquals(sb.get(k), sa.get(k), 1e-5 * (1 + Math.abs(sb.get(k))), k + " at step " + s);
            }
        }
        for (Module[] m : List.of(new Module[] {a.criticModule(), b.criticModule()},
                new Module[] {a.generator(), b.generator()})) {
            for (int k = 0; k < m[0].parameters().size(); k++) {
                assertClose(Ops.toFloats(m[1].parameters().get(k).value()), Ops.toFloats(m[0].parameters().get(k)
                        .value()), 1e-5, m[1].parameters().get(k).name());
            }
        }
    }

    @Test
    void onlyRowWiseCriticsQualify() {
        assertTrue(UpdatePaths.rowwise(Mlp.builder().in(2).out(1).width(8).depth(2).build(new Rng(1))));
        assertFalse(UpdatePaths.rowwise(Mlp.builder().in(2).out(1).width(8).depth(2).minibatchDiscrimination(4, 3)
                .build(new Rng(1))), "minibatch features see the batch");
        assertFalse(UpdatePaths.rowwise(Mlp.builder().in(2).out(1).width(8).depth(2).batchNorm(true).build(new Rng(1))),
                "batch norm sees the batch");
        assertFalse(UpdatePaths.rowwise(Mlp.builder().in(2).out(1).width(8).depth(2).spectralNorm(Set.of(1))
                .build(new Rng(1))), "spectral norm advances per pass");
        assertFalse(UpdatePaths.rowwise(Mlp.builder().in(2).out(1).width(8).depth(2).virtualBatchNorm(16)
                .build(new Rng(1))));
    }

    private static GanMethod method(boolean joint) {
        // through autograd: the written-out updates for these nets take one pass whatever this says
        return toyWganGp().writtenBackward(false).jointCriticPass(joint).build();
    }

    /** A small WGAN-GP of plain ReLU MLPs (the same nets for every call), 3 critic updates per step, SGD. */
    static GanMethod.Builder toyWganGp() {
        Mlp g = Mlp.builder().in(2).out(2).width(32).depth(2).build(new Rng(1));
        Mlp d = Mlp.builder().in(2).out(1).width(32).depth(2).build(new Rng(2));
        // SGD: an update proportional to the gradient keeps rounding differences at rounding size (Adam's first
        // steps are close to sign(g), which turns a rounding difference in a near-zero gradient into ±lr)
        OptimizerSpec sgd = OptimizerSpec.sgd(1e-2, 0);
        return GanMethod.builder(g, d, 2, Objectives.WASSERSTEIN).nCritic(3)
                .regularizer(new GradientPenalty(0.1, 1))
                .optimizers(sgd.create(g.parameters()), sgd.create(d.parameters()));
    }
}
