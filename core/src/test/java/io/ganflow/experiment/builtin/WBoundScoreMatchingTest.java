package io.ganflow.experiment.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.diffusion.MixtureDenoiser;
import io.ganflow.diffusion.Process;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The pieces of the score-matching bound of W2 against values known without the code. */
class WBoundScoreMatchingTest {
    /** Singular values of small matrices known in closed form. */
    @Test
    void largestSingularValueOfKnownMatrices() {
        assertEquals(3, WBoundScoreMatching.largestSingularValue(3, 0, 0, -2), 1e-12);
        // 2 × a rotation by 90°: both singular values are 2
        assertEquals(2, WBoundScoreMatching.largestSingularValue(0, -2, 2, 0), 1e-12);
        // the shear [[1, 1], [0, 1]]: σ² solves σ⁴ − 3σ² + 1 = 0, so σ_max is the golden ratio
        assertEquals((1 + Math.sqrt(5)) / 2, WBoundScoreMatching.largestSingularValue(1, 1, 0, 1), 1e-12);
    }

    /** On a linear field x ↦ A x the Jacobian is A everywhere: σ_max([[1, 2], [3, 4]]) = √(15 + √221). */
    @Test
    void lipschitzConstantOfALinearField() {
        try (Scope s = Scope.open()) {
            Tensor a = Ops.fromRows(new double[][] {{1, 3}, {2, 4}}); // Aᵀ, so that x Aᵀ = (A x)ᵀ row by row
            Tensor at = Ops.fromRows(new double[][] {{0.3, -1}, {2, 5}, {-7, 0.1}});
            double l = WBoundScoreMatching.lipschitz((x, t) -> x.matmul(a), at, 0.5);
            assertEquals(Math.sqrt(15 + Math.sqrt(221)), l, 1e-5);
        }
    }

    /**
     * With the exact denoiser as the model the score-matching error is zero, so the bound is the prior's and t_min's
     * terms alone, and the two flows' coupling (which differ only where they start) stays below it.
     */
    @Test
    void theExactScoreLeavesOnlyThePriorAndTMinTerms() {
        GaussianMixture ring = GaussianMixture.ring8();
        Process p = Process.vp(0.1, 20, 1e-3);
        WBoundScoreMatching.Bound b = WBoundScoreMatching.measure(new MixtureDenoiser(p, ring.mixture().orElseThrow()),
                ring, 300, 60, 7);
        assertTrue(b.jsm() < 1e-6, "J_SM " + b.jsm());
        assertEquals(b.priorTerm() + b.tMinTerm(), b.bound(), 1e-3 * b.bound());
        assertTrue(b.coupling() <= b.bound(), b.coupling() + " > " + b.bound());
        assertTrue(b.growth() > 1, "the ring's flow separates points: e^Λ " + b.growth());
    }
}
