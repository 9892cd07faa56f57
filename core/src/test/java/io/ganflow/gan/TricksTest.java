package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Ema;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Parameter;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The mechanism of each training trick of SPEC B, checked against hand computation. */
class TricksTest {
    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    static Tensor col(double... v) {
        return Ops.fromDoubles(v, v.length, 1);
    }

    /** One-sided label smoothing: real targets 0.9 in a binary cross-entropy, fake targets stay 0. */
    @Test
    void labelSmoothingUsesTargetPointNineForRealOnly() {
        double[] real = {2.0, -0.3, 0.7};
        double[] fake = {-1.5, 0.4};
        double want = 0;
        for (double d : real) {
            want += -(0.9 * Math.log(sigmoid(d)) + 0.1 * Math.log(1 - sigmoid(d))) / real.length;
        }
        for (double d : fake) {
            want += -Math.log(1 - sigmoid(d)) / fake.length;
        }
        assertEquals(want, Ops.item(Objectives.minimax(0.9).criticLoss(col(real), col(fake))), 1e-12);
        assertEquals(want, Ops.item(Objectives.nonSaturating(0.9).criticLoss(col(real), col(fake))), 1e-12);
        // the smoothed loss is minimised at D(x) = 0.9 on a real point, not at D → 1
        double best = Double.POSITIVE_INFINITY;
        double argBest = 0;
        for (double v = -5; v <= 5; v += 1e-3) {
            double l = Ops.item(Objectives.classifierLoss(col(v), col(-50.0), 0.9));
            if (l < best) {
                best = l;
                argBest = v;
            }
        }
        assertEquals(0.9, sigmoid(argBest), 1e-3);
    }

    /** The schedules' values at known steps: σ(s) with s = (step − 1)/total. */
    @Test
    void instanceNoiseSchedules() {
        assertEquals(0.5, new InstanceNoise(0.5, "constant").std(900, 1000), 0);
        InstanceNoise lin = new InstanceNoise(0.5, "linear");
        assertEquals(0.5, lin.std(1, 1000), 1e-15);
        assertEquals(0.25, lin.std(501, 1000), 1e-15);
        assertEquals(0.5 * 0.001, lin.std(1000, 1000), 1e-15);
        assertEquals(0.0, lin.std(1001, 1000), 1e-15);
        InstanceNoise cos = new InstanceNoise(0.5, "cosine");
        assertEquals(0.5, cos.std(1, 1000), 1e-15);
        assertEquals(0.25, cos.std(501, 1000), 1e-12);
        assertEquals(0.5 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), cos.std(251, 1000), 1e-12);
        assertTrue(cos.std(1000, 1000) < 1e-5);
        // the perturbation has the scheduled std and zero mean
        double[] e = Ops.toDoubles(lin.perturb(Ops.zeros(200_000, 1), 501, 1000, new Rng(1)));
        double m = 0;
        double v = 0;
        for (double x : e) {
            m += x / e.length;
            v += x * x / e.length;
        }
        assertEquals(0, m, 0.003);
        assertEquals(0.25, Math.sqrt(v - m * m), 0.003);
        assertThrows(IllegalArgumentException.class, () -> new InstanceNoise(0.1, "step"));
    }

    /** θ_ema ← β θ_ema + (1 − β) θ after each update, starting from a copy of θ. */
    @Test
    void emaFollowsItsFormula() {
        Mlp target = Mlp.builder().in(2).out(2).width(3).depth(1).doublePrecision(true).build(new Rng(1));
        Mlp shadow = Mlp.builder().in(2).out(2).width(3).depth(1).doublePrecision(true).build(new Rng(2));
        double[] t0 = Ops.toDoubles(target.parameters().get(0).value());
        Ema ema = new Ema(target, shadow, 0.9);
        assertArrayEquals(t0, Ops.toDoubles(shadow.parameters().get(0).value()), 0);
        double[] expect = t0.clone();
        Rng rng = new Rng(3);
        for (int step = 0; step < 3; step++) {
            Tensor w = target.parameters().get(0).value();
            Tensor next = rng.normal(Ops.shape(w)).to(torch.ScalarType.Double);
            Ops.noGrad(() -> w.copy_(next));
            double[] t = Ops.toDoubles(next);
            for (int i = 0; i < expect.length; i++) {
                expect[i] = 0.9 * expect[i] + 0.1 * t[i];
            }
            ema.update();
            assertArrayEquals(expect, Ops.toDoubles(shadow.parameters().get(0).value()), 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> new Ema(target, shadow, 1.0));
    }

    static void assertArrayEquals(double[] want, double[] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, "entry " + i);
        }
    }

    /** Largest singular value by power iteration on WᵀW in plain Java doubles, independent of the library. */
    static double sigmaMax(double[][] w) {
        int n = w[0].length;
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        double s = 0;
        for (int it = 0; it < 5000; it++) {
            double[] wv = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < n; j++) {
                    wv[i] += w[i][j] * v[j];
                }
            }
            double[] next = new double[n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < w.length; i++) {
                    next[j] += w[i][j] * wv[i];
                }
            }
            double norm = 0;
            for (double x : next) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            s = Math.sqrt(norm); // ‖WᵀW v‖ → σ² for unit v
            for (int j = 0; j < n; j++) {
                v[j] = next[j] / norm;
            }
        }
        return s;
    }

    /** After the persistent power iteration has run, each normalised layer has spectral norm ≈ 1. */
    @Test
    void spectralNormIsOneAfterPowerIteration() {
        Mlp d = Mlp.builder().in(2).out(1).width(32).depth(2).spectralNorm(Set.of(0, 1)).doublePrecision(true)
                .build(new Rng(4));
        for (Parameter p : d.parameters()) {
            Ops.noGrad(() -> p.value().mul_(Ops.s(3.0))); // raw weights far from norm 1
        }
        double raw = sigmaMax(Ops.toRows(d.parameters().get(2).value()));
        assertTrue(Math.abs(raw - 1) > 0.2, "the raw weight is not already normalised: " + raw);
        Tensor x = new Rng(5).normal(16, 2).to(torch.ScalarType.Double);
        for (int i = 0; i < 50; i++) {
            d.forward(x); // autograd on: each pass advances the iteration
        }
        for (int layer : new int[] {0, 1}) {
            double s = sigmaMax(Ops.toRows(Ops.noGrad(() -> d.effectiveWeight(layer))));
            assertEquals(1.0, s, 1e-3, "layer " + layer);
        }
        double unnormalised = sigmaMax(Ops.toRows(Ops.noGrad(() -> d.effectiveWeight(2))));
        assertEquals(sigmaMax(Ops.toRows(d.parameters().get(4).value())), unnormalised, 1e-9,
                "layer 2 is not in the set and stays as it is");
    }

    /**
     * Minibatch discrimination: o(xᵢ)_k = Σ_{j≠i} exp(−‖M_{i,k} − M_{j,k}‖₁) equals n − 1 for a batch of
     * copies and is small for a diverse batch; a hand computation on two rows; and the critic's output for
     * one point changes with the rest of its batch.
     */
    @Test
    void minibatchDiscriminationSeesTheBatchsDiversity() {
        Mlp d = Mlp.builder().in(2).out(1).width(4).depth(1).activation(Activation.TANH)
                .minibatchDiscrimination(3, 2).doublePrecision(true).build(new Rng(6));
        Tensor tT = d.parameters().stream().filter(p -> p.name().equals("minibatch.T")).findFirst().orElseThrow()
                .value();
        double[][] t = Ops.toRows(tT); // (4, 3*2)
        double[][] f = {{0.3, -1.0, 0.5, 2.0}, {1.0, 0.2, -0.7, 0.0}};
        double[][] o = Ops.toRows(Ops.noGrad(() -> d.minibatchFeatures(Ops.fromRowsExact(f))));
        for (int k = 0; k < 3; k++) {
            double l1 = 0;
            for (int c = 0; c < 2; c++) {
                double m0 = 0;
                double m1 = 0;
                for (int a = 0; a < 4; a++) {
                    m0 += f[0][a] * t[a][k * 2 + c];
                    m1 += f[1][a] * t[a][k * 2 + c];
                }
                l1 += Math.abs(m0 - m1);
            }
            assertEquals(Math.exp(-l1), o[0][k], 1e-12, "kernel " + k);
            assertEquals(Math.exp(-l1), o[1][k], 1e-12, "kernel " + k);
        }
        double[][] same = new double[16][];
        double[][] diverse = new double[16][];
        Rng rng = new Rng(7);
        double[][] spread = Ops.toRows(Ops.mul(rng.normal(16, 4), 20).to(torch.ScalarType.Double));
        for (int i = 0; i < 16; i++) {
            same[i] = f[0];
            diverse[i] = spread[i];
        }
        for (double v : Ops.toRows(Ops.noGrad(() -> d.minibatchFeatures(Ops.fromRowsExact(same))))[3]) {
            assertEquals(15.0, v, 1e-12);
        }
        for (double v : Ops.toRows(Ops.noGrad(() -> d.minibatchFeatures(Ops.fromRowsExact(diverse))))[3]) {
            assertTrue(v < 1.0, "a diverse batch has small closeness: " + v);
        }
        double[][] xsSame = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
        double[][] xsMixed = {{0.5, 0.5}, {-3, 2}, {4, -1}};
        double a = Ops.toDoubles(Ops.noGrad(() -> d.forward(Ops.fromRowsExact(xsSame))))[0];
        double b = Ops.toDoubles(Ops.noGrad(() -> d.forward(Ops.fromRowsExact(xsMixed))))[0];
        assertNotEquals(a, b, 1e-6, "the same point scores differently in a collapsed and a diverse batch");
    }

    /**
     * Virtual batch normalisation: a point's output does not depend on its batch, it matches a hand
     * computation with the reference batch's statistics (plus the point itself), and it changes when the
     * reference batch changes.
     */
    @Test
    void virtualBatchNormUsesTheReferenceStatistics() {
        Mlp g = Mlp.builder().in(2).out(1).width(3).depth(1).activation(Activation.TANH).virtualBatchNorm(8)
                .doublePrecision(true).build(new Rng(8));
        double[][] x = {{0.2, -0.4}, {3.0, 1.0}, {-2.0, 0.5}};
        double[] batch = Ops.toDoubles(Ops.noGrad(() -> g.forward(Ops.fromRowsExact(x))));
        double[] alone = Ops.toDoubles(Ops.noGrad(() -> g.forward(Ops.fromRowsExact(new double[][] {x[0]}))));
        assertEquals(alone[0], batch[0], 1e-12, "independent of the rest of the batch");

        Tensor refT = g.buffers().stream().filter(p -> p.name().equals("vbn.reference")).findFirst().orElseThrow()
                .value();
        double[][] ref = Ops.toRows(refT);
        List<Parameter> ps = g.parameters();
        double[][] w0 = Ops.toRows(ps.get(0).value());
        double[] b0 = Ops.toDoubles(ps.get(1).value());
        double[][] w1 = Ops.toRows(ps.get(2).value());
        double[] b1 = Ops.toDoubles(ps.get(3).value());
        double out = b1[0];
        for (int u = 0; u < 3; u++) {
            double h = b0[u] + w0[u][0] * x[0][0] + w0[u][1] * x[0][1];
            double sum = h;
            double sq = h * h;
            for (double[] r : ref) {
                double hr = b0[u] + w0[u][0] * r[0] + w0[u][1] * r[1];
                sum += hr;
                sq += hr * hr;
            }
            double mean = sum / (ref.length + 1);
            double var = sq / (ref.length + 1) - mean * mean;
            double normed = (h - mean) / Math.sqrt(var + 1e-5); // γ = 1, β = 0 at initialisation
            out += w1[0][u] * Math.tanh(normed);
        }
        assertEquals(out, alone[0], 1e-10, "normalised with the reference statistics");

        Ops.noGrad(() -> refT.copy_(Ops.add(Ops.mul(refT, 3.0), 1.0)));
        double moved = Ops.toDoubles(Ops.noGrad(() -> g.forward(Ops.fromRowsExact(new double[][] {x[0]}))))[0];
        assertNotEquals(alone[0], moved, 1e-6, "a different reference batch gives a different output");
    }
}
