package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Objective values against hand computation with the textbook formulas (log σ, log(1 − σ), means). */
class ObjectivesTest {
    static final double[] REAL = {2.0, -1.0, 0.5};
    static final double[] FAKE = {-3.0, 0.25, 1.5, 0.0};

    static Tensor col(double... v) {
        return Ops.fromDoubles(v, v.length, 1);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double mean(double[] v, java.util.function.DoubleUnaryOperator f) {
        double s = 0;
        for (double x : v) {
            s += f.applyAsDouble(x);
        }
        return s / v.length;
    }

    @Test
    void minimaxCriticLossIsNegatedGoodfellowObjective() {
        double want = -(mean(REAL, x -> Math.log(sigmoid(x))) + mean(FAKE, x -> Math.log(1 - sigmoid(x))));
        assertEquals(want, Ops.item(Objectives.MINIMAX.criticLoss(col(REAL), col(FAKE))), 1e-12);
        assertEquals(want, Ops.item(Objectives.NON_SATURATING.criticLoss(col(REAL), col(FAKE))), 1e-12);
    }

    @Test
    void saturatingGeneratorLossIsMeanLogOneMinusD() {
        double want = mean(FAKE, x -> Math.log(1 - sigmoid(x)));
        assertEquals(want, Ops.item(Objectives.MINIMAX.generatorLoss(col(FAKE))), 1e-12);
    }

    @Test
    void nonSaturatingGeneratorLossIsMinusMeanLogD() {
        double want = -mean(FAKE, x -> Math.log(sigmoid(x)));
        assertEquals(want, Ops.item(Objectives.NON_SATURATING.generatorLoss(col(FAKE))), 1e-12);
    }

    @Test
    void wassersteinLossesAreMeanDifferences() {
        double meanReal = (2.0 - 1.0 + 0.5) / 3;
        double meanFake = (-3.0 + 0.25 + 1.5 + 0.0) / 4;
        assertEquals(meanFake - meanReal, Ops.item(Objectives.WASSERSTEIN.criticLoss(col(REAL), col(FAKE))), 1e-12);
        assertEquals(-meanFake, Ops.item(Objectives.WASSERSTEIN.generatorLoss(col(FAKE))), 1e-12);
    }

    @Test
    void classifierLossesStayFiniteForExtremeLogits() {
        Tensor real = col(-800.0, 800.0);
        Tensor fake = col(800.0, -800.0);
        double loss = Ops.item(Objectives.MINIMAX.criticLoss(real, fake));
        // softplus(800) = 800 exactly in double; the naive log(sigmoid) form would give infinity.
        assertEquals((800.0 + 0.0) / 2 + (800.0 + 0.0) / 2, loss, 1e-9);
        assertTrue(Double.isFinite(Ops.item(Objectives.NON_SATURATING.generatorLoss(col(-800.0)))));
    }

    @Test
    void namesResolve() {
        for (String n : Objectives.NAMES) {
            assertEquals(n, Objectives.byName(n).name());
        }
    }
}
