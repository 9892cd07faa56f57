package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.io.InputStream;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sample metrics against reference values from POT, SciPy and scikit-learn (tools/fixtures/metrics.py),
 * and against closed forms.
 */
class SampleMetricsTest {
    static JsonNode fx;
    static Tensor x;
    static Tensor y;
    static Tensor y250;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = SampleMetricsTest.class.getResourceAsStream("/fixtures/metrics.json")) {
            fx = new ObjectMapper().readTree(in);
        }
        x = Ops.fromRowsExact(TransportTest.rows(fx.get("x")));
        y = Ops.fromRowsExact(TransportTest.rows(fx.get("y")));
        y250 = y.narrow(0, 0, 250);
    }

    @Test
    void sinkhornMatchesPot() {
        for (JsonNode c : fx.get("sinkhorn2")) {
            int p = c.get("p").asInt();
            double reg = c.get("reg").asDouble();
            Sinkhorn.Result r = Sinkhorn.solve(x, y, p, reg, 20000, 1e-7);
            double want = c.get("cost").asDouble();
            assertEquals(want, r.cost(), 1e-3 * want, "p=" + p + " reg=" + reg + " " + r);
        }
    }

    @Test
    void sinkhornApproachesExactTransportAsRegularisationVanishes() {
        double[][] a = TransportTest.rows(fx.get("x"));
        double[][] b = TransportTest.rows(fx.get("y"));
        double w1 = Transport.exactW1(a, b);
        Sinkhorn.Result coarse = Sinkhorn.solve(x, y, 1, 0.1, 5000, 1e-7);
        Sinkhorn.Result fine = Sinkhorn.solve(x, y, 1, 0.01, 5000, 1e-7);
        assertTrue(coarse.cost() >= fine.cost() && fine.cost() >= w1 - 1e-9, "entropic costs decrease to the optimum: "
                + coarse + " " + fine + " W1 " + w1);
        assertEquals(w1, fine.cost(), 0.03 * w1, fine.toString());
    }

    @Test
    void slicedWassersteinMatchesPotWithTheSameProjections() {
        Tensor proj = Ops.fromRowsExact(TransportTest.rows(fx.get("sliced").get("projections")));
        // POT's get_random_projections gives (d, L), as ganflow takes them
        double got = SlicedWasserstein.distance(x, y, proj, 2);
        double want = fx.get("sliced").get("value").asDouble();
        assertEquals(want, got, 1e-10 * want);
    }

    @Test
    void slicedWassersteinOfATranslationInOneDimensionIsTheShift() {
        Tensor a = Ops.fromDoubles(new double[] {0, 1, 2, 5}, 4, 1);
        Tensor b = Ops.add(a, 0.75);
        Tensor proj = SlicedWasserstein.randomProjections(1, 7, new Rng(1));
        assertEquals(0.75, SlicedWasserstein.distance(a, b, proj, 2), 1e-12);
    }

    @Test
    void mmdMatchesScikitLearnKernels() {
        for (JsonNode c : fx.get("mmd")) {
            double sigma = c.get("sigma").asDouble();
            assertEquals(c.get("value").asDouble(), Mmd.unbiased(x, y250, sigma), 1e-12, "sigma " + sigma);
        }
        double sum = 0;
        for (JsonNode c : fx.get("mmd")) {
            sum += c.get("value").asDouble();
        }
        assertEquals(sum, Mmd.unbiased(x, y250, 0.5, 1.0, 2.0), 1e-12, "a sum of kernels adds the MMDs");
    }

    @Test
    void medianBandwidthIsTheMedianPairwiseDistance() {
        Tensor a = Ops.fromDoubles(new double[] {0, 1}, 2, 1);
        Tensor b = Ops.fromDoubles(new double[] {3}, 1, 1);
        // pooled {0, 1, 3}: distances 1, 3, 2 -> median 2
        assertEquals(2.0, Mmd.medianBandwidth(a, b), 1e-12);
    }

    @Test
    void knnKlMatchesScikitLearnNeighbours() {
        for (JsonNode c : fx.get("knn_kl")) {
            int k = c.get("k").asInt();
            assertEquals(c.get("value").asDouble(), Knn.klDivergence(x, y250, k), 1e-10, "k=" + k);
        }
    }

    @Test
    void knnKlIsNearTheClosedFormForGaussians() {
        // KL(N(0, I_2) || N(0, 4 I_2)) = 2 * (log 2 + 1/8 - 1/2) = 0.6362943611198906
        Rng rng = new Rng(4);
        Tensor p = rng.normal(4000, 2).to(torch.ScalarType.Double);
        Tensor q = Ops.mul(rng.normal(4000, 2).to(torch.ScalarType.Double), 2.0);
        assertEquals(0.6362943611198906, Knn.klDivergence(p, q, 5), 0.05);
    }

    @Test
    void prdcMatchesReference() {
        Prdc.Result r = Prdc.compute(x, y250);
        JsonNode want = fx.get("prdc");
        assertEquals(want.get("precision").asDouble(), r.precision(), 1e-12);
        assertEquals(want.get("recall").asDouble(), r.recall(), 1e-12);
        assertEquals(want.get("density").asDouble(), r.density(), 1e-12);
        assertEquals(want.get("coverage").asDouble(), r.coverage(), 1e-12);
    }

    @Test
    void prdcIsNearOneForOneDistributionAndZeroForDisjointOnes() {
        Rng rng = new Rng(9);
        Tensor a = rng.normal(2000, 2);
        Tensor b = rng.normal(2000, 2);
        Prdc.Result same = Prdc.compute(a, b);
        assertEquals(1.0, same.precision(), 0.05, same.toString());
        assertEquals(1.0, same.recall(), 0.05, same.toString());
        assertEquals(1.0, same.density(), 0.1, same.toString());
        assertEquals(1.0, same.coverage(), 0.05, same.toString());
        Prdc.Result apart = Prdc.compute(a, Ops.add(b, 100.0));
        assertEquals(0.0, apart.precision());
        assertEquals(0.0, apart.recall());
        assertEquals(0.0, apart.density());
        assertEquals(0.0, apart.coverage());
    }

    @Test
    void frechetMatchesScipySqrtm() {
        assertEquals(fx.get("frechet").asDouble(), Frechet.distance(x, y250), 1e-9);
    }

    @Test
    void frechetOfGaussiansWithCommutingCovariancesHasClosedForm() {
        // For diagonal covariances: |mu1 - mu2|^2 + sum (s1 - s2)^2 (the squared W2 between the Gaussians)
        Rng rng = new Rng(2);
        Tensor a = rng.normal(200000, 2).to(torch.ScalarType.Double);
        Tensor b = Ops.add(rng.normal(200000, 2).to(torch.ScalarType.Double).mul(Ops.fromDoubles(new double[] {2, 0.5},
                1, 2)), 1.0);
        double want = 2 * 1.0 + (2 - 1) * (2 - 1) + (0.5 - 1) * (0.5 - 1);
        assertEquals(want, Frechet.distance(a, b), 0.03);
    }
}
