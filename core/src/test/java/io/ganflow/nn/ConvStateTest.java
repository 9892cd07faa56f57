package io.ganflow.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.optim.Optimizer;
import io.ganflow.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Batch norm state: running statistics saved and restored through {@link StateDict}, a resumed run of a small
 * DCGAN ending bit for bit like an uninterrupted one, training versus evaluation mode, and the EMA of a
 * generator with batch norm.
 */
class ConvStateTest {
    static final long[] IMAGE = {1, 8, 8};
    static final int Z = 6;

    static DcganGenerator generator(long seed) {
        return new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(seed)), Z, IMAGE, 4, Set.of());
    }

    static DcganCritic critic(long seed) {
        return new DcganCritic(new LayerInit(Init.NORMAL, new Rng(seed)), new long[] {1, 16, 16}, 4, Norm.BATCH,
                Set.of(1));
    }

    static List<float[]> state(Module m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            out.add(Ops.toFloats(p.value()));
        }
        for (Parameter p : m.buffers()) {
            out.add(Ops.toFloats(p.value()));
        }
        return out;
    }

    static void assertSameState(Module a, Module b) {
        List<float[]> x = state(a);
        List<float[]> y = state(b);
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) {
            assertArrayEquals(x.get(i), y.get(i), "tensor " + i);
        }
    }

    @Test
    void runningStatisticsRoundTripThroughAStateDict() {
        DcganGenerator g = generator(1);
        try (Scope s = Scope.open()) {
            for (int i = 0; i < 3; i++) {
                g.forward(new Rng(10 + i).normal(16, Z)); // autograd on: the running statistics move
            }
        }
        BatchNorm bn0 = (BatchNorm) g.part("bn0");
        assertFalse(Ops.item(bn0.runningMean().abs().sum()) == 0, "statistics moved");
        StateDict sd = new StateDict().putModule("g", g);
        assertTrue(sd.hasTensor("g.bn0.running_mean") && sd.hasTensor("g.bn0.running_var"),
                sd.tensors().keySet().toString());
        DcganGenerator h = generator(2);
        sd.loadModule("g", h);
        assertSameState(g, h);
        g.train(false);
        h.train(false);
        Tensor z = new Rng(20).normal(5, Z);
        assertArrayEquals(Ops.noGrad(() -> Ops.toFloats(g.forward(z))), Ops.noGrad(() -> Ops.toFloats(h.forward(z))));
    }

    @Test
    void trainingAndEvaluationModesDiffer() {
        DcganGenerator g = generator(3);
        try (Scope s = Scope.open()) {
            for (int i = 0; i < 5; i++) {
                g.forward(new Rng(30 + i).normal(32, Z));
            }
            Tensor z = new Rng(40).normal(8, Z);
            float[] train = Ops.noGrad(() -> Ops.toFloats(g.forward(z)));
            float[] trainHalf = Ops.noGrad(() -> Ops.toFloats(g.forward(z.narrow(0, 0, 4))));
            assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(train, trainHalf.length), trainHalf),
                    "training mode: a sample depends on its batch");
            List<float[]> before = state(g);
            float[] eval = Module.inEvalMode(g, () -> Ops.toFloats(g.forward(z)));
            float[] evalHalf = Module.inEvalMode(g, () -> Ops.toFloats(g.forward(z.narrow(0, 0, 4))));
            assertTrue(g.isTraining(), "inEvalMode restores training mode");
            assertTrue(((BatchNorm) g.part("bn0")).isTraining());
            assertArrayEquals(java.util.Arrays.copyOf(eval, evalHalf.length), evalHalf, 1e-6f,
                    "evaluation mode: a sample depends on its latent only");
            assertFalse(java.util.Arrays.equals(train, eval));
            List<float[]> after = state(g);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "evaluation (autograd on) changed nothing");
            }
        }
    }

    /** A small non-saturating GAN at 8 → 16 px with batch norm in both players, Adam and an EMA generator. */
    static final class Run {
        final DcganGenerator g;
        final DcganCritic d;
        final DcganGenerator shadow;
        final Ema ema;
        final Optimizer optG;
        final Optimizer optD;
        final Rng rng = new Rng(99);

        Run(long seed) {
            g = new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(seed)), Z, new long[] {1, 16, 16}, 4, Set.of());
            d = critic(seed + 1);
            shadow = new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(seed + 2)), Z, new long[] {1, 16, 16}, 4,
                    Set.of());
            ema = new Ema(g, shadow, 0.9);
            optG = OptimizerSpec.adam(2e-3, 0.5, 0.999).create(g.parameters());
            optD = OptimizerSpec.adam(2e-3, 0.5, 0.999).create(d.parameters());
        }

        void step() {
            try (Scope s = Scope.open()) {
                Tensor real = rng.normal(8, 1, 16, 16).tanh();
                Tensor fake = Ops.noGrad(() -> g.forward(rng.normal(8, Z)));
                Tensor lossD = Ops.softplus(d.forward(real).neg()).mean().add(Ops.softplus(d.forward(fake)).mean());
                optD.step(Ops.grad(lossD, d.tensors(), false));
                Tensor lossG = Ops.softplus(d.forward(g.forward(rng.normal(8, Z))).neg()).mean();
                optG.step(Ops.grad(lossG, g.tensors(), false));
                ema.update();
                // an evaluation between steps: sampling must not change any state
                Ops.noGrad(() -> shadow.forward(rng.normal(4, Z)));
                Module.inEvalMode(g, () -> Ops.noGrad(() -> g.forward(Ops.zeros(2, Z))));
            }
        }

        StateDict save() {
            StateDict sd = new StateDict().putModule("g", g).putModule("d", d).putModule("g_ema", shadow);
            optG.saveState(sd, "opt_g");
            optD.saveState(sd, "opt_d");
            sd.putValue("rng", rng.state());
            return sd;
        }

        void load(StateDict sd) {
            sd.loadModule("g", g);
            sd.loadModule("d", d);
            sd.loadModule("g_ema", shadow);
            optG.loadState(sd, "opt_g");
            optD.loadState(sd, "opt_d");
            rng.setState(sd.getBytes("rng"));
        }
    }

    @Test
    void aResumedRunEndsBitForBitWithBatchNormStatistics() {
        Run straight = new Run(1);
        for (int i = 0; i < 6; i++) {
            straight.step();
        }
        Run first = new Run(1);
        for (int i = 0; i < 3; i++) {
            first.step();
        }
        StateDict checkpoint = first.save();
        Run resumed = new Run(7); // other initial weights: everything must come from the checkpoint
        resumed.load(checkpoint);
        for (int i = 0; i < 3; i++) {
            resumed.step();
        }
        assertSameState(straight.g, resumed.g);
        assertSameState(straight.d, resumed.d);
        assertSameState(straight.shadow, resumed.shadow);
        BatchNorm bn = (BatchNorm) straight.d.part("norm1");
        assertFalse(Ops.item(bn.runningMean().abs().sum()) == 0, "the critic's statistics moved");
    }

    @Test
    void emaAveragesRunningStatisticsAndSamplesInEvaluationMode() {
        DcganGenerator g = generator(5);
        DcganGenerator shadow = generator(6);
        Ema ema = new Ema(g, shadow, 0.75);
        assertFalse(shadow.isTraining(), "the shadow samples with running statistics");
        assertTrue(g.isTraining());
        assertSameState(g, shadow);
        BatchNorm t = (BatchNorm) g.part("bn0");
        BatchNorm s = (BatchNorm) shadow.part("bn0");
        double[] before = Ops.toDoubles(s.runningMean());
        try (Scope sc = Scope.open()) {
            g.forward(new Rng(50).normal(16, Z));
        }
        double[] target = Ops.toDoubles(t.runningMean());
        ema.update();
        double[] after = Ops.toDoubles(s.runningMean());
        for (int i = 0; i < after.length; i++) {
            assertEquals(0.75 * before[i] + 0.25 * target[i], after[i], 1e-7, "running_mean " + i);
        }
        // the shadow's own forward passes never move its statistics, with or without autograd
        try (Scope sc = Scope.open()) {
            shadow.forward(new Rng(51).normal(16, Z));
        }
        assertArrayEquals(after, Ops.toDoubles(s.runningMean()));
        // power-iteration vectors are copied, not averaged
        DcganCritic d = critic(7);
        DcganCritic dShadow = critic(8);
        Ema e2 = new Ema(d, dShadow, 0.5);
        try (Scope sc = Scope.open()) {
            d.forward(new Rng(52).normal(4, 1, 16, 16));
        }
        e2.update();
        assertArrayEquals(Ops.toFloats(d.buffers().stream().filter(b -> b.name().equals("conv1.sn_u")).findFirst()
                .orElseThrow().value()), Ops.toFloats(dShadow.buffers().stream()
                .filter(b -> b.name().equals("conv1.sn_u")).findFirst().orElseThrow().value()));
    }
}
