package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * PRDC on 64-dimensional features: row-chunked distances give the one-chunk result (the matrix products of
 * libtorch's cdist may round the last bit differently with the block height, so radii agree to 1e-14).
 */
class PrdcChunkTest {
    @Test
    void chunkedEqualsWhole() {
        Tensor a = FeatureFixtures.f32("fid_a.f32", 500, 64);
        Tensor b = FeatureFixtures.f32("fid_b.f32", 500, 64).narrow(0, 0, 430);
        Prdc.Result whole = Prdc.compute(a, b, 5, 5);
        Prdc.Result chunked = Prdc.compute(a, b, 5, 5, 430 * 130); // 130 rows per chunk, a short last one
        assertEquals(whole, chunked);
        double[] r = Knn.radii(a, 5);
        double[] rc = Knn.radii(a, 5, 500 * 120);
        for (int i = 0; i < r.length; i++) {
            assertEquals(r[i], rc[i], 1e-14 * r[i]);
        }
        // the two clouds overlap only partly: all four are strictly between 0 and 1 here
        for (double v : new double[] {whole.precision(), whole.recall(), whole.coverage()}) {
            assertEquals(0.5, v, 0.5 - 1e-9, whole.toString());
        }
    }
}
