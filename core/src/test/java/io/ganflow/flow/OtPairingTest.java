package io.ganflow.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** ReFlow-GAN's minibatch-OT pairing: the re-ordered batch minimises the summed squared distance. */
class OtPairingTest {
    /** Two points each on a line: the crossing pairing costs 10.5² + 9.8², the straight one 0.2² + 0.5². */
    @Test
    void pairsEachPointWithItsNeighbourOnALine() {
        try (Scope s = Scope.open()) {
            Tensor x0 = Ops.fromRows(new double[][] {{0}, {10}});
            Tensor x1 = Ops.fromRows(new double[][] {{10.5}, {0.2}});
            assertArrayEquals(new double[] {0.2, 10.5}, Ops.toDoubles(ParticleGan.otPaired(x0, x1)), 1e-6);
        }
    }

    /** 2-D batches of 6: the pairing's cost equals the minimum over all 720 permutations, for 20 draws. */
    @Test
    void costEqualsTheBruteForceMinimum() {
        Rng rng = new Rng(7);
        for (int trial = 0; trial < 20; trial++) {
            try (Scope s = Scope.open()) {
                double[][] a = Ops.toRows(rng.normal(6, 2));
                double[][] b = Ops.toRows(rng.normal(6, 2));
                double[][] paired = Ops.toRows(ParticleGan.otPaired(Ops.fromRows(a), Ops.fromRows(b)));
                double best = Double.POSITIVE_INFINITY;
                int[] p = {0, 1, 2, 3, 4, 5};
                do {
                    double c = 0;
                    for (int i = 0; i < 6; i++) {
                        c += sq(a[i], b[p[i]]);
                    }
                    best = Math.min(best, c);
                } while (nextPermutation(p));
                double got = 0;
                for (int i = 0; i < 6; i++) {
                    got += sq(a[i], paired[i]);
                }
                assertEquals(best, got, 1e-5 * best, "trial " + trial);
            }
        }
    }

    private static double sq(double[] u, double[] v) {
        double d0 = u[0] - v[0];
        double d1 = u[1] - v[1];
        return d0 * d0 + d1 * d1;
    }

    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = p.length - 1;
        while (p[j] <= p[i]) {
            j--;
        }
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
        for (int l = i + 1, r = p.length - 1; l < r; l++, r--) {
            t = p[l];
            p[l] = p[r];
            p[r] = t;
        }
        return true;
    }
}
