package io.ganflow.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The layers of the conv nets against PyTorch: forward values and gradients recorded by
 * tools/fixtures/conv_fixtures.py (float64), batch norm's running statistics and modes, and spectral norm of
 * convolution weights checked by an independent power iteration.
 */
class ConvLayersTest {
    static final double TOL = 1e-9;
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    static JsonNode fixture(String name) {
        try (InputStream in = ConvLayersTest.class.getResourceAsStream("/fixtures/conv_layers.json")) {
            return new ObjectMapper().readTree(in).get("cases").get(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Tensor tensor(JsonNode t) {
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.get("shape").get(i).asLong();
        }
        double[] data = new double[t.get("data").size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = t.get("data").get(i).asDouble();
        }
        return Ops.fromDoubles(data, shape);
    }

    static void assertClose(JsonNode want, Tensor got, String what) {
        Tensor w = tensor(want);
        assertArrayEquals(Ops.shape(w), Ops.shape(got), what + " shape");
        double[] a = Ops.toDoubles(w);
        double[] b = Ops.toDoubles(got);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], TOL * Math.max(1, Math.abs(a[i])), what + "[" + i + "]");
        }
    }

    static LayerInit doubles(long seed) {
        return new LayerInit(Init.TORCH, new Rng(seed), true);
    }

    /** Copies the fixture's tensors into the module's, runs it, and checks y and every gradient. */
    static void check(String name, Module m) {
        JsonNode c = fixture(name);
        Map<String, Tensor> mine = new java.util.LinkedHashMap<>();
        for (Parameter p : m.parameters()) {
            mine.put(p.name(), p.value());
        }
        List<String> names = new ArrayList<>();
        c.get("params").fieldNames().forEachRemaining(names::add);
        assertEquals(names, new ArrayList<>(mine.keySet()), name + ": the module's parameters are PyTorch's");
        Ops.noGrad(() -> names.forEach(n -> mine.get(n).copy_(tensor(c.get("params").get(n)))));
        Tensor x = Ops.requiringGrad(tensor(c.get("x")));
        Tensor y = m.forward(x);
        assertClose(c.get("y"), y, name + " y");
        List<Tensor> wrt = new ArrayList<>();
        wrt.add(x);
        names.forEach(n -> wrt.add(mine.get(n)));
        List<Tensor> g = Ops.grad(y.mul(tensor(c.get("g"))).sum(), wrt, false);
        assertClose(c.get("grad_x"), g.get(0), name + " dL/dx");
        for (int i = 0; i < names.size(); i++) {
            assertClose(c.get("grad_params").get(names.get(i)), g.get(i + 1), name + " dL/d" + names.get(i));
        }
        if (c.has("buffers_after")) {
            for (Parameter b : m.buffers()) {
                assertClose(c.get("buffers_after").get(b.name()), b.value(), name + " " + b.name());
            }
        }
    }

    @Test
    void conv2dMatchesPyTorch() {
        check("conv2d", new Conv2d(doubles(1), 2, 3, 3, 2, 1, true, false));
        check("conv2d_4x4_nobias", new Conv2d(doubles(2), 3, 2, 4, 2, 1, false, false));
    }

    @Test
    void convTranspose2dMatchesPyTorch() {
        ConvTranspose2d ct = new ConvTranspose2d(doubles(3), 3, 2, 4, 2, 1, true, false);
        check("conv_transpose2d", ct);
        assertArrayEquals(new long[] {3, 2, 4, 4}, Ops.shape(ct.parameters().get(0).value()), "PyTorch's (in, out, k, k)");
    }

    @Test
    void batchNormTrainingModeMatchesPyTorchIncludingRunningStatistics() {
        check("batch_norm_train", new BatchNorm(doubles(4), 3));
        check("batch_norm_1d_train", new BatchNorm(doubles(5), 4));
    }

    /**
     * The synced path (train.sync_bn) computes the statistics from all-reduced shifted sums and adds a backward
     * hook; with one process (a reducer that leaves the sums as they are) it must match PyTorch's batch norm,
     * output, gradients and running statistics, in float64. The reducer runs once forward and once backward.
     */
    @Test
    void syncedBatchNormMatchesPyTorchForOneProcess() {
        int[] calls = {0};
        try (BatchNorm.Sync sync = BatchNorm.synchronize(t -> calls[0]++)) {
            check("batch_norm_train", new BatchNorm(doubles(4), 3));
            assertEquals(2, calls[0], "one all-reduce of the sums, one of their gradients");
            check("batch_norm_1d_train", new BatchNorm(doubles(5), 4));
            sync.check();
        }
        assertEquals(4, calls[0]);
        check("batch_norm_train", new BatchNorm(doubles(4), 3));
        assertEquals(4, calls[0], "closed: no more all-reduces");
    }

    @Test
    void batchNormEvaluationModeUsesTheRunningStatistics() {
        BatchNorm bn = new BatchNorm(doubles(6), 3);
        JsonNode s = fixture("batch_norm_eval").get("settings");
        Ops.noGrad(() -> {
            bn.runningMean().copy_(tensor(s.get("running_mean")));
            bn.runningVar().copy_(tensor(s.get("running_var")));
        });
        bn.train(false);
        assertFalse(bn.isTraining());
        check("batch_norm_eval", bn);
    }

    @Test
    void layerAndGroupNormMatchPyTorch() {
        check("layer_norm", GroupNorm.layerNorm(doubles(7), 4));
        check("group_norm", new GroupNorm(doubles(8), 2, 4));
    }

    /** Running statistics move only in training mode with autograd on; evaluation mode reads them. */
    @Test
    void batchNormModes() {
        BatchNorm bn = new BatchNorm(new LayerInit(Init.TORCH, new Rng(9)), 2);
        Tensor x = Ops.add(Ops.mul(new Rng(10).normal(16, 2, 3, 3), 3.0), 2.0);
        float[] rm0 = Ops.toFloats(bn.runningMean());
        Tensor sampled = Ops.noGrad(() -> bn.forward(x));
        assertArrayEquals(rm0, Ops.toFloats(bn.runningMean()), "autograd off: no update");
        Tensor trained = bn.forward(x);
        assertFalse(java.util.Arrays.equals(rm0, Ops.toFloats(bn.runningMean())), "autograd on: updated");
        assertArrayEquals(Ops.toFloats(sampled), Ops.toFloats(trained), "both normalise with the batch's statistics");
        // training mode: mean 0 and variance 1 per channel over the batch
        double[] ch0 = Ops.toDoubles(trained.detach().select(1, 0));
        assertEquals(0, java.util.Arrays.stream(ch0).average().orElseThrow(), 1e-5);

        bn.train(false);
        float[] rm1 = Ops.toFloats(bn.runningMean());
        Tensor eval = bn.forward(x);
        assertArrayEquals(rm1, Ops.toFloats(bn.runningMean()), "evaluation mode never updates");
        assertFalse(java.util.Arrays.equals(Ops.toFloats(eval), Ops.toFloats(trained)), "modes differ");
        // evaluation mode: one sample's output does not depend on the rest of the batch
        float[] alone = Ops.toFloats(bn.forward(x.narrow(0, 3, 1)));
        float[] inBatch = Ops.toFloats(eval.narrow(0, 3, 1));
        assertArrayEquals(inBatch, alone, 1e-6f);
        // against the formula with the running statistics
        double m = Ops.toDoubles(bn.runningMean())[1];
        double v = Ops.toDoubles(bn.runningVar())[1];
        double x0 = Ops.toDoubles(x)[9];
        assertEquals((x0 - m) / Math.sqrt(v + BatchNorm.EPS), Ops.toDoubles(eval)[9], 1e-5);
    }

    /** σ_max of a matrix (rows × cols, row-major) by 500 steps of power iteration on MᵀM in doubles. */
    static double sigmaMax(double[] a, int rows, int cols) {
        double[] v = new double[cols];
        java.util.Random r = new java.util.Random(1);
        for (int j = 0; j < cols; j++) {
            v[j] = r.nextGaussian();
        }
        double sigma = 0;
        for (int it = 0; it < 500; it++) {
            double[] u = new double[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    u[i] += a[i * cols + j] * v[j];
                }
            }
            double[] w = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    w[j] += a[i * cols + j] * u[i];
                }
            }
            double n = 0;
            for (double x : w) {
                n += x * x;
            }
            n = Math.sqrt(n);
            sigma = Math.sqrt(n);
            for (int j = 0; j < cols; j++) {
                v[j] = w[j] / n;
            }
        }
        return sigma;
    }

    /**
     * After enough training forward passes the power iteration has converged: the effective weight, reshaped
     * to (out, in·k·k) (for a transposed conv after swapping its first two axes), has largest singular value 1.
     */
    @Test
    void spectralNormOfConvWeightsHasSigmaOne() {
        Conv2d conv = new Conv2d(new LayerInit(Init.TORCH, new Rng(11)), 3, 5, 3, 1, 1, true, true);
        ConvTranspose2d ct = new ConvTranspose2d(new LayerInit(Init.TORCH, new Rng(12)), 6, 4, 4, 2, 1, true, true);
        assertEquals(List.of("sn_u"), conv.buffers().stream().map(Parameter::name).toList());
        double raw = sigmaMax(Ops.toDoubles(conv.parameters().get(0).value()), 5, 27);
        assertTrue(raw > 1.05 || raw < 0.95, "the raw weight is not already normalised: " + raw);
        for (int i = 0; i < 60; i++) {
            conv.effectiveWeight();
            ct.effectiveWeight();
        }
        Tensor wc = Ops.noGrad(conv::effectiveWeight);
        assertEquals(1.0, sigmaMax(Ops.toDoubles(wc), 5, 27), 1e-4);
        Tensor wt = Ops.noGrad(() -> ct.effectiveWeight().transpose(0, 1).contiguous());
        assertEquals(1.0, sigmaMax(Ops.toDoubles(wt), 4, 6 * 16), 1e-4);
        // the gradient reaches the raw weight through σ
        Tensor x = new Rng(13).normal(2, 3, 4, 4);
        List<Tensor> g = Ops.grad(conv.forward(x).square().sum(), List.of(conv.parameters().get(0).value()), false);
        assertTrue(Ops.item(g.get(0).abs().sum()) > 0);
    }
}
