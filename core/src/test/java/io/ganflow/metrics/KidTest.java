package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** KID against the NumPy re-implementation of tools/fixtures/image_metrics.py, on the same subsets. */
class KidTest {
    static JsonNode fx;
    static Tensor a;
    static Tensor b;

    @BeforeAll
    static void load() {
        fx = FeatureFixtures.json("image_metrics.json").get("kid");
        a = FeatureFixtures.f32("fid_a.f32", 500, 64);
        b = FeatureFixtures.f32("fid_b.f32", 500, 64);
    }

    static long[][] indices(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode r = rows.get(i);
            out[i] = new long[r.size()];
            for (int j = 0; j < r.size(); j++) {
                out[i][j] = r.get(j).asLong();
            }
        }
        return out;
    }

    private static void check(String name, Tensor x, Tensor y) {
        JsonNode c = fx.get(name);
        Kid.Result r = Kid.compute(x, y, indices(c.get("real_indices")), indices(c.get("fake_indices")));
        assertEquals(c.get("subset_size").asInt(), r.subsetSize());
        assertEquals(c.get("subsets").asInt(), r.subsets());
        double scale = Math.abs(c.get("mean").asDouble()) + c.get("std").asDouble();
        assertEquals(c.get("mean").asDouble(), r.mean(), 1e-10 * scale, name);
        assertEquals(c.get("std").asDouble(), r.std(), 1e-9 * scale, name);
    }

    @Test
    void matchesNumpyOnTheSameSubsets() {
        check("a_b", a, b);
        check("a_b_full", a, b);
        check("a_a", a, a);
    }

    @Test
    void singleMmdMatchesNumpyPerSubset() {
        JsonNode c = fx.get("a_b_full");
        assertEquals(c.get("values").get(0).asDouble(), Kid.mmd2(a, b), 1e-10 * c.get("values").get(0).asDouble());
    }

    @Test
    void seededSubsetsAreReproducibleAndCutToTheSample() {
        Kid.Result r1 = Kid.compute(a, b, 200, 10, 7);
        Kid.Result r2 = Kid.compute(a, b, 200, 10, 7);
        Kid.Result r3 = Kid.compute(a, b, 200, 10, 8);
        assertEquals(r1, r2);
        assertNotEquals(r1.mean(), r3.mean());
        // the default 1,000 rows per subset are cut to the 500 available; every subset is then the whole set
        Kid.Result all = Kid.compute(a, b, 3);
        assertEquals(500, all.subsetSize());
        assertEquals(100, all.subsets());
        assertEquals(Kid.mmd2(a, b), all.mean(), 1e-12 * all.mean());
        assertTrue(all.std() < 1e-12 * all.mean(), "std " + all.std());
        // the two clouds differ clearly; a set against itself does not
        assertTrue(r1.mean() > 10 * Math.abs(Kid.compute(a, a, 200, 10, 7).mean()));
    }
}
