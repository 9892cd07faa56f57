package io.ganflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.gan.Objectives;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.optim.OptimizerSpec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** SPEC D's identities, on float64 networks so that "numerical precision" means about 1e-12. */
class BridgeTest {
    static Mlp net(int in, int out, long seed) {
        return Mlp.builder().in(in).out(out).width(16).depth(2).activation(Activation.TANH).doublePrecision(true)
                .build(new Rng(seed));
    }

    static ParticleGan method(ParticleGan.Form form, Mlp g, Mlp d, double eps) {
        return new ParticleGan(form, g, d, OptimizerSpec.adam(1e-3, 0.5, 0.9).create(g.parameters()),
                OptimizerSpec.adam(1e-3, 0.5, 0.9).create(d.parameters()), 3, 1, 1, eps, UnaryOperator.identity(), 0);
    }

    static Tensor doubles(Tensor t) {
        return t.to(torch.ScalarType.Double);
    }

    static void assertSameGradients(List<Tensor> want, List<Tensor> got, double tol) {
        assertEquals(want.size(), got.size());
        double scale = 0;
        for (Tensor w : want) {
            for (double v : Ops.toDoubles(w)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        assertTrue(scale > 1e-6, "the gradients are not trivially zero: " + scale);
        for (int k = 0; k < want.size(); k++) {
            double[] a = Ops.toDoubles(want.get(k));
            double[] b = Ops.toDoubles(got.get(k));
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], tol * scale, "tensor " + k + " entry " + i);
            }
        }
    }

    /** D1 with K = 1: ∇θ E‖g(z) − sg(g(z) + ε∇D(g(z)))‖² = 2ε ∇θ(−E D(g(z))). */
    @Test
    void particleRegressionWithOneStepIsTwoEpsilonTimesTheWganGeneratorGradient() {
        try (Scope s = Scope.open()) {
            Mlp g = net(3, 2, 1);
            Mlp d = net(2, 1, 2);
            double eps = 0.05;
            ParticleGan pg = method(ParticleGan.Form.PARTICLE, g, d, eps);
            Tensor z = doubles(new Rng(3).normal(64, 3));
            Tensor x = Ops.noGrad(() -> g.forward(z));
            Tensor u = pg.direction(x);
            Tensor target = Ops.noGrad(() -> x.add(Ops.mul(u, eps)));
            List<Tensor> got = Ops.grad(pg.regressionLoss(z, target), g.tensors(), false);
            List<Tensor> wgan = Ops.grad(d.forward(g.forward(z)).mean().neg(), g.tensors(), false);
            List<Tensor> want = wgan.stream().map(t -> Ops.mul(t, 2 * eps)).toList();
            assertSameGradients(want, got, 1e-12);
        }
    }

    /**
     * D3: on one batch and the same interpolation times, the approximate loss equals the WGAN critic loss plus
     * the zero-centred penalty (λ = 1, i.e. ½E‖∇D‖²) at the same interpolates, to rounding.
     */
    @Test
    void approximateGradientFieldLossIsWganPlusZeroCentredPenalty() {
        try (Scope s = Scope.open()) {
            Mlp d = net(2, 1, 4);
            ParticleGan pg = method(ParticleGan.Form.GRADIENT_FIELD_APPROX, net(3, 2, 5), d, 0.1);
            Rng rng = new Rng(6);
            Tensor real = doubles(Ops.add(rng.normal(32, 2), 1.0));
            Tensor fake = doubles(rng.normal(32, 2));
            Tensor t = doubles(rng.uniform(32, 1));
            double got = Ops.item(pg.fieldLoss(real, fake, t));
            Tensor xhat = Ops.requiringGrad(fake.add(t.mul(real.sub(fake))));
            double want = Ops.item(Objectives.WASSERSTEIN.criticLoss(d.forward(real), d.forward(fake)))
                    + Ops.item(new GradientPenalty(1.0, 0).penaltyAt(d, xhat));
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)));
        }
    }

    /**
     * D3 exact form: its gradient with respect to D's parameters equals that of the C1 loss with v(x, t) = ∇D(x)
     * (the two differ by ½E‖x1 − x0‖², which does not depend on D).
     */
    @Test
    void exactGradientFieldLossHasTheGradientOfTheRectifiedFlowLoss() {
        try (Scope s = Scope.open()) {
            Mlp d = net(2, 1, 7);
            ParticleGan pg = method(ParticleGan.Form.GRADIENT_FIELD, net(3, 2, 8), d, 0.1);
            Rng rng = new Rng(9);
            Tensor real = doubles(Ops.add(rng.normal(32, 2), 1.0));
            Tensor fake = doubles(rng.normal(32, 2));
            Tensor t = doubles(rng.uniform(32, 1));
            List<Tensor> got = Ops.grad(pg.fieldLoss(real, fake, t), d.tensors(), false);
            RectifiedFlow.TimedField gradD = (x, tt) -> {
                Tensor xr = Ops.requiringGrad(x);
                return Ops.inputGrad(d.forward(xr), xr, true);
            };
            List<Tensor> want = Ops.grad(RectifiedFlow.loss(gradD, fake, real, t), d.tensors(), false);
            assertSameGradients(want, got, 1e-12);
            double diff = Ops.item(RectifiedFlow.loss(gradD, fake, real, t)) - Ops.item(pg.fieldLoss(real, fake, t));
            assertEquals(0.5 * Ops.item(Ops.rowSquaredNorm(real.sub(fake)).mean()), diff, 1e-12 * Math.abs(diff));
        }
    }
}
