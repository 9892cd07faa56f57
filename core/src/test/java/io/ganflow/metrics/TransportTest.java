package io.ganflow.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportTest {
    /** Brute force over all n! permutations: the ground truth for small problems. */
    static double bruteForce(double[] c, int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double best = Double.POSITIVE_INFINITY;
        do {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += c[i * n + perm[i]];
            }
            best = Math.min(best, s);
        } while (nextPermutation(perm));
        return best;
    }

    static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }

    @Test
    void assignmentIsOptimalAgainstBruteForce() {
        Random r = new Random(42);
        for (int trial = 0; trial < 60; trial++) {
            int n = 1 + trial % 8;
            double[] c = new double[n * n];
            for (int k = 0; k < c.length; k++) {
                // mix of continuous costs, ties and negative values
                c[k] = trial % 3 == 0 ? r.nextInt(4) : trial % 3 == 1 ? r.nextGaussian() : Math.abs(r.nextGaussian()) * 1e3;
            }
            int[] sigma = Assignment.solve(c, n);
            boolean[] used = new boolean[n];
            for (int j : sigma) {
                used[j] = true;
            }
            for (boolean u : used) {
                org.junit.jupiter.api.Assertions.assertTrue(u, "a permutation");
            }
            double want = bruteForce(c, n);
            assertEquals(want, Assignment.cost(c, n, sigma), 1e-9 * (1 + Math.abs(want)), "trial " + trial);
        }
    }

    @Test
    void identicalSamplesHaveZeroDistance() {
        double[][] a = {{0, 0}, {1, 2}, {3, -1}, {0.5, 0.5}};
        double[][] b = {{3, -1}, {0, 0}, {0.5, 0.5}, {1, 2}};
        assertEquals(0.0, Transport.exactW1(a, b), 1e-12);
        assertEquals(0.0, Transport.exactW2(a, b), 1e-12);
    }

    @Test
    void translationMovesEveryPointByTheShift() {
        // For a pure translation by v, W1 = W2 = |v| (the identity coupling is optimal by Jensen / cyclic
        // monotonicity).
        Random r = new Random(5);
        double[][] a = new double[200][2];
        double[][] b = new double[200][2];
        for (int i = 0; i < 200; i++) {
            a[i][0] = r.nextGaussian();
            a[i][1] = r.nextGaussian();
            b[199 - i][0] = a[i][0] + 0.3;
            b[199 - i][1] = a[i][1] - 0.4;
        }
        assertEquals(0.5, Transport.exactW2(a, b), 1e-9);
        assertEquals(0.5, Transport.exactW1(a, b), 1e-9);
    }

    @Test
    void matchesPotEmd2() throws Exception {
        JsonNode fx;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/transport.json")) {
            fx = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : fx.get("cases")) {
            double[][] x = rows(c.get("x"));
            double[][] y = rows(c.get("y"));
            double w1 = c.get("w1").asDouble();
            double w2 = c.get("w2").asDouble();
            assertEquals(w1, Transport.exactW1(x, y), 1e-4 * w1, c.get("name").asText() + " W1");
            assertEquals(w2, Transport.exactW2(x, y), 1e-4 * w2, c.get("name").asText() + " W2");
        }
    }

    @Test
    void tinyProblems() {
        assertArrayEquals(new int[0], Assignment.solve(new double[0], 0));
        assertArrayEquals(new int[] {0}, Assignment.solve(new double[] {3.5}, 1));
        assertArrayEquals(new int[] {1, 0}, Assignment.solve(new double[] {5, 1, 1, 5}, 2));
    }

    static double[][] rows(JsonNode a) {
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode r = a.get(i);
            out[i] = new double[r.size()];
            for (int j = 0; j < r.size(); j++) {
                out[i][j] = r.get(j).asDouble();
            }
        }
        return out;
    }
}
