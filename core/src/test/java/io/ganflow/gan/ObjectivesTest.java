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
            if (n.equals("monoflow") || n.equals("fgan")) {
                continue; // these take an argument (h, f) and are built by their own factories
            }
            assertEquals(n, Objectives.byName(n).name());
        }
    }

    @Test
    void hingeLossesAreMeanHinges() {
        double want = mean(REAL, x -> Math.max(0, 1 - x)) + mean(FAKE, x -> Math.max(0, 1 + x));
        assertEquals(want, Ops.item(Objectives.HINGE.criticLoss(col(REAL), col(FAKE))), 1e-12);
        assertEquals(-mean(FAKE, x -> x), Ops.item(Objectives.HINGE.generatorLoss(col(FAKE))), 1e-12);
    }

    @Test
    void leastSquaresLossesAreHalfMeanSquares() {
        double want = 0.5 * mean(REAL, x -> (x - 1) * (x - 1)) + 0.5 * mean(FAKE, x -> x * x);
        assertEquals(want, Ops.item(Objectives.LEAST_SQUARES.criticLoss(col(REAL), col(FAKE))), 1e-12);
        assertEquals(0.5 * mean(FAKE, x -> (x - 1) * (x - 1)),
                Ops.item(Objectives.LEAST_SQUARES.generatorLoss(col(FAKE))), 1e-12);
    }

    @Test
    void oneSidedLabelSmoothingUsesTargetPointNineForRealOnly() {
        double t = 0.9;
        double want = -mean(REAL, x -> t * Math.log(sigmoid(x)) + (1 - t) * Math.log(1 - sigmoid(x)))
                - mean(FAKE, x -> Math.log(1 - sigmoid(x)));
        assertEquals(want, Ops.item(Objectives.minimax(0.9).criticLoss(col(REAL), col(FAKE))), 1e-12);
        assertEquals(want, Ops.item(Objectives.nonSaturating(0.9).criticLoss(col(REAL), col(FAKE))), 1e-12);
    }

    @Test
    void monoFlowGeneratorLossIsMinusMeanH() {
        double kappa = 0.7;
        double[][] cases = {
            {mean(FAKE, x -> x)},
            {mean(FAKE, x -> Math.log(sigmoid(x)))},
            {mean(FAKE, x -> Math.log1p(Math.exp(x)))},
            {mean(FAKE, x -> Math.log(x + Math.sqrt(x * x + 1)))},
            {mean(FAKE, x -> Math.exp(kappa * x))},
        };
        for (int i = 0; i < Objectives.MONOFLOW_H.size(); i++) {
            String h = Objectives.MONOFLOW_H.get(i);
            Objective o = Objectives.monoFlow(h, Objectives.monoFlowH(h, kappa), 1.0);
            assertEquals(-cases[i][0], Ops.item(o.generatorLoss(col(FAKE))), 1e-12, h);
            assertEquals(Ops.item(Objectives.MINIMAX.criticLoss(col(REAL), col(FAKE))),
                    Ops.item(o.criticLoss(col(REAL), col(FAKE))), 1e-12, "D is trained as in A1");
        }
        // h = log sigma is the non-saturating loss; h = softplus the saturating one
        assertEquals(Ops.item(Objectives.NON_SATURATING.generatorLoss(col(FAKE))),
                Ops.item(Objectives.monoFlow("log_sigmoid", Objectives.monoFlowH("log_sigmoid", 1), 1)
                        .generatorLoss(col(FAKE))), 1e-12);
        assertEquals(Ops.item(Objectives.MINIMAX.generatorLoss(col(FAKE))),
                Ops.item(Objectives.monoFlow("softplus", Objectives.monoFlowH("softplus", 1), 1)
                        .generatorLoss(col(FAKE))), 1e-12);
    }

    @Test
    void userDefinedMonoFlowH() {
        Objective cube = Objectives.monoFlow("cube", d -> d.mul(d).mul(d), 1.0);
        assertEquals(-mean(FAKE, x -> x * x * x), Ops.item(cube.generatorLoss(col(FAKE))), 1e-12);
    }
}
