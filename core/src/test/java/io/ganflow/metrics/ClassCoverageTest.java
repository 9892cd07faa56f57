package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.ModuleFeatures;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Class coverage and Stacked MNIST mode counting on synthetic labels. */
class ClassCoverageTest {
    @Test
    void threeOfTenClassesAreReported() {
        int[] labels = new int[3000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = new int[] {1, 4, 7}[i % 3];
        }
        ClassCoverage.Report r = ClassCoverage.of(labels, 10);
        assertEquals(3, r.covered());
        assertEquals(10, r.classes());
        assertEquals(Math.log(10.0 / 3), r.klToUniform(), 1e-12); // uniform over 3 of 10
        assertEquals(1000, r.counts()[4]);
    }

    @Test
    void onlyOnesIsTheWorstCaseAndMinCountApplies() {
        int[] labels = new int[100];
        java.util.Arrays.fill(labels, 1);
        labels[0] = 2;
        ClassCoverage.Report r = ClassCoverage.of(labels, 10);
        assertEquals(2, r.covered());
        assertEquals(1, ClassCoverage.of(labels, 10, 2).covered());
        java.util.Arrays.fill(labels, 1);
        assertEquals(Math.log(10), ClassCoverage.of(labels, 10).klToUniform(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ClassCoverage.of(new int[] {10}, 10));
    }

    @Test
    void logitsGiveArgmaxPredictions() {
        Tensor logits = Ops.fromDoubles(new double[] {0, 3, 1, 5, 0, 0, 0, 0, 2}, 3, 3);
        assertEquals(java.util.List.of(1, 0, 2), java.util.Arrays.stream(ClassCoverage.predictions(logits)).boxed().toList());
        assertEquals(3, ClassCoverage.ofLogits(logits, 1).covered());
    }

    @Test
    void allThousandTriplesCoverEveryStackedMode() {
        int[][] d = new int[26_000][];
        for (int i = 0; i < d.length; i++) {
            int m = i % 1000;
            d[i] = new int[] {m / 100, m / 10 % 10, m % 10};
        }
        ClassCoverage.Report r = StackedModes.of(d);
        assertEquals(1000, r.covered());
        assertEquals(1000, r.classes());
        assertEquals(0, r.klToUniform(), 1e-12);
    }

    @Test
    void tenTriplesCoverTenModes() {
        int[][] d = new int[StackedModes.PACGAN_SAMPLES][];
        for (int i = 0; i < d.length; i++) {
            d[i] = new int[] {i % 10, i % 10, 9 - i % 10};
        }
        ClassCoverage.Report r = StackedModes.of(d);
        assertEquals(10, r.covered());
        assertEquals(Math.log(100), r.klToUniform(), 1e-12);
        assertEquals(StackedModes.mode(3, 3, 6), 336);
        assertEquals(2600, r.counts()[336]);
    }

    @Test
    void channelsAreClassifiedSeparately() {
        // a "digit classifier" whose logits are the mean intensity times a one-hot pattern: channel c of image i
        // filled with the value v gives the digit round(9 (v + 1) / 2)
        ModuleFeatures digits = new ModuleFeatures("test-digits", x -> x.mean(new long[] {1, 2, 3}, true, null),
                f -> {
                    Tensor grid = Ops.fromDoubles(new double[] {-1, -7.0 / 9, -5.0 / 9, -3.0 / 9, -1.0 / 9, 1.0 / 9,
                            3.0 / 9, 5.0 / 9, 7.0 / 9, 1}, 1, 10).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
                    return f.sub(grid).abs().neg(); // the nearest grid value wins
                }, 2);
        int[][] want = {{0, 5, 9}, {3, 3, 3}, {9, 0, 1}};
        double[] img = new double[3 * 3 * 4 * 4];
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 16; p++) {
                    img[((i * 3) + c) * 16 + p] = -1 + 2 * want[i][c] / 9.0;
                }
            }
        }
        Tensor images = Ops.fromDoubles(img, 3, 3, 4, 4).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
        int[][] got = StackedModes.classify(images, digits);
        for (int i = 0; i < 3; i++) {
            assertEquals(java.util.Arrays.toString(want[i]), java.util.Arrays.toString(got[i]));
        }
    }

    /**
     * Three classes generated, a classifier's errors scattered over the other seven: the one-prediction rule reads
     * 10 of 10, the image rule 3 of 10; a balanced set of all ten reads 10 under both. Logits by hand: a confident
     * row puts 8 on its class (softmax 0.9973 against nine zeros), an error row 1.5 on a wrong class (0.33).
     */
    @Test
    void theImageRuleIsNotFooledByScatteredErrors() {
        int n = 2000;
        float[] three = new float[n * 10];
        float[] all = new float[n * 10];
        for (int i = 0; i < n; i++) {
            int c = new int[] {0, 1, 7}[i % 3];
            if (i % 14 == 13) { // about 7 % errors, spread over the seven other classes
                int wrong = new int[] {2, 3, 4, 5, 6, 8, 9}[(i / 14) % 7];
                three[i * 10 + wrong] = 1.5f;
            } else {
                three[i * 10 + c] = 8;
            }
            all[i * 10 + i % 10] = 8;
        }
        try (Scope s = Scope.open()) {
            Tensor t = Ops.fromFloats(three, n, 10);
            assertEquals(10, ClassCoverage.ofLogits(t, 1).covered(), "one prediction a class: fooled");
            ClassCoverage.Report r = ClassCoverage.ofLogits(t, ClassCoverage.Rule.IMAGES);
            assertEquals(3, r.covered(), "the image rule");
            assertEquals(40, r.minCount(), "0.2 of 2000 / 10");
            Tensor u = Ops.fromFloats(all, n, 10);
            assertEquals(10, ClassCoverage.ofLogits(u, ClassCoverage.Rule.IMAGES).covered());
            assertEquals(10, ClassCoverage.ofLogits(u, ClassCoverage.Rule.ANY).covered());
            assertEquals(0.0, ClassCoverage.ofLogits(u, ClassCoverage.Rule.IMAGES).klToUniform(), 1e-12);
        }
    }
}
