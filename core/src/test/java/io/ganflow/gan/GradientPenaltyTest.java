package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Parameter;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GradientPenaltyTest {
    static Mlp smallCritic(long seed) {
        return Mlp.builder().in(3).out(1).width(6).depth(2).activation(Activation.TANH).doublePrecision(true)
                .build(new Rng(seed));
    }

    static Tensor batch(Rng rng, double shift) {
        return Ops.add(rng.normal(8, 3).to(org.bytedeco.pytorch.global.torch.ScalarType.Double), shift);
    }

    /**
     * The penalty's gradient with respect to every critic parameter (a double backward through the input
     * gradient) agrees with central finite differences of the penalty itself.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 0})
    void penaltyGradientMatchesFiniteDifferences(int center) {
        Mlp critic = smallCritic(7);
        Rng rng = new Rng(3);
        Tensor xhat = GradientPenalty.interpolate(batch(rng, 1.0), batch(rng, -0.5), rng);
        GradientPenalty gp = new GradientPenalty(0.7, center);
        List<Tensor> analytic = Ops.grad(gp.penaltyAt(critic, xhat), critic.tensors(), false);
        double h = 1e-6;
        int checked = 0;
        double worst = 0;
        for (int k = 0; k < critic.parameters().size(); k++) {
            Parameter p = critic.parameters().get(k);
            double[] g = Ops.toDoubles(analytic.get(k));
            for (int i = 0; i < g.length; i++) {
                perturb(p.value(), i, h);
                double plus = Ops.item(gp.penaltyAt(critic, xhat));
                perturb(p.value(), i, -2 * h);
                double minus = Ops.item(gp.penaltyAt(critic, xhat));
                perturb(p.value(), i, h);
                double fd = (plus - minus) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - g[i]) / (1e-7 + Math.abs(fd)));
                assertEquals(fd, g[i], 1e-6 + 1e-5 * Math.abs(fd), p.name() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 50, "checked " + checked + " parameter entries");
        assertTrue(worst < 1e-4, "worst relative error " + worst);
    }

    /**
     * The fast path for plain ReLU MLP critics (no double backward through the forward pass) gives the
     * penalty autograd gives and the same gradient of the whole critic loss in every weight, bit for bit;
     * critics it does not cover (spectral norm, minibatch features, other activations) keep autograd's path.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 0})
    void reluMlpFastPathEqualsAutograd(int center) {
        Rng rng = new Rng(5);
        Mlp critic = Mlp.builder().in(2).out(1).width(48).depth(3).build(new Rng(9));
        assertTrue(GradientPenalty.ReluMlpInputGrad.of(critic) != null, "a plain ReLU MLP takes the fast path");
        Tensor real = rng.normal(256, 2);
        Tensor fake = Ops.add(rng.normal(256, 2), 0.5);
        Tensor xhat = GradientPenalty.interpolate(real, fake, rng);
        GradientPenalty gp = new GradientPenalty(0.1, center);
        Tensor fast = gp.penaltyAt(critic, xhat);
        Tensor ref = gp.penaltyByAutograd(critic, xhat);
        assertEquals(Ops.item(ref), Ops.item(fast), 0.0, "penalty");
        Tensor base = critic.forward(fake).mean().sub(critic.forward(real).mean());
        List<Tensor> gFast = Ops.grad(base.add(fast), critic.tensors(), true);
        List<Tensor> gRef = Ops.grad(base.add(ref), critic.tensors(), false);
        for (int k = 0; k < gRef.size(); k++) {
            float[] a = Ops.toFloats(gFast.get(k));
            float[] b = Ops.toFloats(gRef.get(k));
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 0.0, critic.parameters().get(k).name() + "[" + i + "]");
            }
        }
        assertTrue(GradientPenalty.ReluMlpInputGrad.of(Mlp.builder().in(2).out(1).width(8).depth(2)
                .spectralNorm(java.util.Set.of(0)).build(new Rng(1))) == null, "spectral norm: autograd's path");
        assertTrue(GradientPenalty.ReluMlpInputGrad.of(Mlp.builder().in(2).out(1).width(8).depth(2)
                .minibatchDiscrimination(4, 3).build(new Rng(1))) == null, "minibatch features: autograd's path");
        assertTrue(GradientPenalty.ReluMlpInputGrad.of(smallCritic(1)) == null, "tanh: autograd's path");
    }

    /**
     * Under bf16 mixed precision the fast path still equals autograd's double backward bit for bit (both run
     * every product in bfloat16 between the same float32 casts), for ReLU and, through autograd, tanh critics
     * the double backward works; and the zero-centred penalty (λ/2)E‖∇D‖² stays near its float32 value. The
     * tolerance: ∇D is L + 1 = 4 products in bfloat16, each within 3.1u = 3.1·2⁻⁸ relative (Bf16LayersTest), so
     * ‖∇D‖² is within 2·4·3.1u ≈ 0.097 relative; its gradient in the weights adds the 4 + 4 products of the
     * double backward: within 2·8·3.1u ≈ 0.19 in norm.
     */
    @Test
    void bf16PenaltyTakesBothPathsAndStaysNearFloat32() {
        Rng rng = new Rng(5);
        Mlp critic = Mlp.builder().in(2).out(1).width(48).depth(3).build(new Rng(9));
        Mlp tanh = Mlp.builder().in(2).out(1).width(48).depth(3).activation(Activation.TANH).build(new Rng(9));
        Tensor real = rng.normal(256, 2);
        Tensor fake = Ops.add(rng.normal(256, 2), 0.5);
        Tensor xhat = GradientPenalty.interpolate(real, fake, rng);
        GradientPenalty gp = new GradientPenalty(0.1, 0);
        double u = Math.pow(2, -8);
        for (Mlp c : List.of(critic, tanh)) {
            Tensor p32 = gp.penaltyAt(c, xhat);
            List<Tensor> g32 = Ops.grad(p32, c.tensors(), false);
            Tensor p16;
            List<Tensor> g16;
            try (io.ganflow.engine.Precision.Use use = io.ganflow.engine.Precision.use(io.ganflow.engine.Precision.BF16)) {
                p16 = gp.penaltyAt(c, xhat);
                Tensor ref = gp.penaltyByAutograd(c, xhat);
                assertEquals(Ops.item(ref), Ops.item(p16), 0.0, "bf16: fast path and autograd agree");
                List<Tensor> gRef = Ops.grad(ref, c.tensors(), false);
                g16 = Ops.grad(p16, c.tensors(), false);
                for (int k = 0; k < gRef.size(); k++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(Ops.toFloats(gRef.get(k)), Ops.toFloats(g16.get(k)),
                            "bf16 penalty gradient, " + c.parameters().get(k).name());
                }
            }
            double rel = Math.abs(Ops.item(p16) - Ops.item(p32)) / Ops.item(p32);
            assertTrue(rel > 0 && rel <= 8 * 3.1 * u, "bf16 penalty off by " + rel + " relative");
            for (int k = 0; k < g32.size(); k++) {
                double n32 = Ops.item(g32.get(k).norm());
                if (n32 == 0) { // a ReLU critic's biases: the penalty does not depend on them (ReLU'' = 0)
                    assertEquals(0.0, Ops.item(g16.get(k).norm()), 0.0, c.parameters().get(k).name());
                    continue;
                }
                double d = Ops.item(g32.get(k).sub(g16.get(k)).norm()) / n32;
                assertTrue(d <= 16 * 3.1 * u, c.parameters().get(k).name() + ": bf16 penalty gradient off by " + d);
            }
        }
    }

    static void perturb(Tensor p, int flatIndex, double h) {
        Ops.noGrad(() -> p.view(-1).narrow(0, flatIndex, 1).add_(Ops.s(h)));
    }

    /** α is drawn once per sample: every coordinate of a row sits at the same fraction between fake and real. */
    @Test
    void interpolationWeightIsPerSampleNotPerCoordinate() {
        Rng rng = new Rng(11);
        Tensor real = batch(rng, 2.0);
        Tensor fake = batch(rng, -2.0);
        double[][] r = Ops.toRows(real);
        double[][] f = Ops.toRows(fake);
        double[][] x = Ops.toRows(GradientPenalty.interpolate(real, fake, rng));
        double spread = 0;
        for (int i = 0; i < r.length; i++) {
            double a0 = (x[i][0] - f[i][0]) / (r[i][0] - f[i][0]);
            assertTrue(a0 >= 0 && a0 <= 1, "alpha in [0, 1]");
            for (int j = 1; j < 3; j++) {
                double aj = (x[i][j] - f[i][j]) / (r[i][j] - f[i][j]);
                assertEquals(a0, aj, 1e-9, "row " + i + " coordinate " + j);
            }
            spread = Math.max(spread, Math.abs(a0 - (x[0][0] - f[0][0]) / (r[0][0] - f[0][0])));
        }
        assertTrue(spread > 0.05, "different rows draw different alphas");
    }

    /** A linear critic f(x) = w·x + b has ‖∇f‖ = ‖w‖ everywhere, so both penalties are known exactly. */
    @Test
    void linearCriticPenaltyHasClosedForm() {
        Mlp linear = Mlp.builder().in(3).out(1).depth(0).doublePrecision(true).build(new Rng(1));
        double[] w = {0.3, -1.2, 2.0};
        Ops.noGrad(() -> {
            linear.parameters().get(0).value().copy_(Ops.fromDoubles(w, 1, 3));
            linear.parameters().get(1).value().fill_(Ops.s(0.4));
        });
        double norm = Math.sqrt(0.09 + 1.44 + 4.0);
        Rng rng = new Rng(5);
        Tensor xhat = GradientPenalty.interpolate(batch(rng, 0), batch(rng, 3), rng);
        assertEquals(10 * (norm - 1) * (norm - 1), Ops.item(new GradientPenalty(10, 1).penaltyAt(linear, xhat)), 1e-10);
        assertEquals(10 / 2.0 * norm * norm, Ops.item(new GradientPenalty(10, 0).penaltyAt(linear, xhat)), 1e-10);
        // R1 at real points and R2 at generated points see the same constant gradient
        Tensor real = batch(rng, 0);
        Tensor fake = batch(rng, 3);
        CriticBatch b = new CriticBatch(linear, real, fake, rng);
        assertEquals(0.5 * norm * norm, Ops.item(PointPenalty.r1(1).criticTerm(b)), 1e-10);
        assertEquals(2.5 * norm * norm, Ops.item(PointPenalty.r2(5).criticTerm(b)), 1e-10);
    }

    /** R1 is taken at real points only: a critic flat on the real data but steep elsewhere pays nothing. */
    @Test
    void r1LooksOnlyAtRealPointsAndR2OnlyAtFakes() {
        // f(x) = (x₁ − 3)², flat where x₁ = 3 (the "real" points) and with gradient −6 at x₁ = 0 (the "fakes")
        io.ganflow.nn.Module quad = new io.ganflow.nn.Module() {
            @Override
            public Tensor forward(Tensor x) {
                return Ops.add(x.narrow(1, 0, 1), -3.0).square();
            }

            @Override
            public List<Parameter> parameters() {
                return List.of();
            }
        };
        Tensor real = Ops.fromRowsExact(new double[][] {{3, 1, 2}, {3, -1, 0}});
        Tensor fake = Ops.fromRowsExact(new double[][] {{0, 1, 2}, {0, 5, 5}});
        CriticBatch b = new CriticBatch(quad, real, fake, new Rng(1));
        assertEquals(0.0, Ops.item(PointPenalty.r1(2).criticTerm(b)), 1e-12);
        assertEquals(36.0, Ops.item(PointPenalty.r2(2).criticTerm(b)), 1e-12);
    }
}
