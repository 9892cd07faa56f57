package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Mlp;
import io.ganflow.optim.OptimizerSpec;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The relativistic objectives against their formulas computed by hand (f(t) = softplus(−t) = log(1 + e^(−t))),
 * their gradients against central finite differences, and one GAN update with them, in which the generator's
 * loss reads the critic's outputs on a real batch.
 */
class RelativisticObjectivesTest {
    static final double[] REAL = {2.0, -1.0, 0.5, 0.75};
    static final double[] FAKE = {-3.0, 0.25, 1.5, 0.0};

    static double f(double t) {
        return Math.log1p(Math.exp(-t));
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** RpGAN: L_D = mean_i f(D(r_i) − D(f_i)), L_G = mean_i f(D(f_i) − D(r_i)). */
    static double[] pairing(double[] r, double[] g) {
        double d = 0;
        double gen = 0;
        for (int i = 0; i < r.length; i++) {
            d += f(r[i] - g[i]) / r.length;
            gen += f(g[i] - r[i]) / r.length;
        }
        return new double[] {d, gen};
    }

    /** RaGAN: L_D = E_r f(r − mean g) + E_g f(mean r − g), L_G = E_g f(g − mean r) + E_r f(mean g − r). */
    static double[] average(double[] r, double[] g) {
        double mr = mean(r);
        double mg = mean(g);
        double d = 0;
        double gen = 0;
        for (double x : r) {
            d += f(x - mg) / r.length;
            gen += f(mg - x) / r.length;
        }
        for (double x : g) {
            d += f(mr - x) / g.length;
            gen += f(x - mr) / g.length;
        }
        return new double[] {d, gen};
    }

    @Test
    void lossesAreTheFormulas() {
        try (Scope s = Scope.open()) {
            Tensor r = ObjectivesTest.col(REAL);
            Tensor g = ObjectivesTest.col(FAKE);
            double[] p = pairing(REAL, FAKE);
            assertEquals(p[0], Ops.item(Objectives.RELATIVISTIC_PAIRING.criticLoss(r, g)), 1e-12);
            assertEquals(p[1], Ops.item(Objectives.RELATIVISTIC_PAIRING.generatorLoss(g, r)), 1e-12);
            double[] a = average(REAL, FAKE);
            assertEquals(a[0], Ops.item(Objectives.RELATIVISTIC_AVERAGE.criticLoss(r, g)), 1e-12);
            assertEquals(a[1], Ops.item(Objectives.RELATIVISTIC_AVERAGE.generatorLoss(g, r)), 1e-12);
            assertEquals(mean(REAL) - mean(FAKE), Ops.item(Objectives.RELATIVISTIC_PAIRING.estimate(r, g)), 1e-12);
            assertTrue(Objectives.RELATIVISTIC_PAIRING.generatorNeedsReal());
            assertThrows(IllegalArgumentException.class, () -> Objectives.RELATIVISTIC_PAIRING.criticLoss(r,
                    ObjectivesTest.col(1.0, 2.0)), "pairs need equal batches");
            // symmetric: swapping the sides swaps the two losses
            assertEquals(p[1], Ops.item(Objectives.RELATIVISTIC_PAIRING.criticLoss(g, r)), 1e-12);
        }
    }

    /** ∂L/∂D(x) by autograd equals central differences of the hand formulas (h = 1e-6, float64). */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (Objective o : List.of(Objectives.RELATIVISTIC_PAIRING, Objectives.RELATIVISTIC_AVERAGE)) {
            boolean pairingLoss = o == Objectives.RELATIVISTIC_PAIRING;
            try (Scope s = Scope.open()) {
                for (int side = 0; side < 2; side++) {
                    for (int which = 0; which < 2; which++) { // critic loss, generator loss
                        Tensor r = Ops.requiringGrad(ObjectivesTest.col(REAL));
                        Tensor g = Ops.requiringGrad(ObjectivesTest.col(FAKE));
                        Tensor loss = which == 0 ? o.criticLoss(r, g) : o.generatorLoss(g, r);
                        Tensor x = side == 0 ? r : g;
                        double[] grad = Ops.toDoubles(Ops.inputGrad(loss, x, false));
                        for (int i = 0; i < REAL.length; i++) {
                            double[] up = (side == 0 ? REAL : FAKE).clone();
                            double[] down = up.clone();
                            up[i] += 1e-6;
                            down[i] -= 1e-6;
                            double[] lu = side == 0 ? (pairingLoss ? pairing(up, FAKE) : average(up, FAKE))
                                    : (pairingLoss ? pairing(REAL, up) : average(REAL, up));
                            double[] ld = side == 0 ? (pairingLoss ? pairing(down, FAKE) : average(down, FAKE))
                                    : (pairingLoss ? pairing(REAL, down) : average(REAL, down));
                            double fd = (lu[which] - ld[which]) / 2e-6;
                            assertEquals(fd, grad[i], 1e-7, o.name() + " side " + side + " loss " + which + " row " + i);
                        }
                    }
                }
            }
        }
    }

    /**
     * A GAN step with RpGAN and R1 + R2 together (R3GAN's loss): both penalties are logged with their own names and
     * weights, the generator's loss is RpGAN's on the step's pairs, and the update goes through autograd (the
     * written-out ReLU-MLP path reads generated outputs only).
     */
    @Test
    void aStepWithR1AndR2Together() {
        try (Scope s = Scope.open()) {
            Mlp g = Mlp.builder().in(2).out(2).width(16).depth(2).build(new Rng(1));
            Mlp d = Mlp.builder().in(2).out(1).width(16).depth(2).build(new Rng(2));
            OptimizerSpec sgd = OptimizerSpec.sgd(1e-2, 0);
            GanMethod m = GanMethod.builder(g, d, 2, Objectives.RELATIVISTIC_PAIRING).nCritic(1)
                    .regularizer(PointPenalty.r1(1.0)).regularizer(PointPenalty.r2(0.5))
                    .optimizers(sgd.create(g.parameters()), sgd.create(d.parameters())).build();
            assertTrue(!m.writesGradients(), "autograd for a relativistic generator loss");
            var stats = m.step(new io.ganflow.train.StepContext(1, 10, io.ganflow.data.toy.GaussianMixture.ring8(),
                    new Rng(3), 32, true)).toHost();
            assertTrue(stats.containsKey("r1") && stats.containsKey("r2") && stats.containsKey("d_gap"),
                    stats.toString());
            assertTrue(stats.values().stream().allMatch(Double::isFinite), stats.toString());
        }
    }
}
