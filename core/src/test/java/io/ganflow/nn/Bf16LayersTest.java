package io.ganflow.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each layer type in bf16 mixed precision ({@link Precision#BF16}) against the same layer in float32: forward
 * values and the gradients of ⟨g, y⟩ in the input, weight and bias, for a random upstream gradient g.
 *
 * <p>The tolerance, from bfloat16's 8-bit significand. A bfloat16 number keeps 8 significant bits (7 stored and
 * the implicit one), so rounding a float32 value v to bfloat16 gives v(1 + δ) with |δ| ≤ u = 2⁻⁸ (half a unit in
 * the last place). A bilinear product y = B(x, W) (a matrix product or a convolution) in mixed precision rounds
 * its two operands to bfloat16, accumulates the exact products in float32, and rounds the result to bfloat16:
 * every term xᵢwᵢ carries a factor (1 + δ₁)(1 + δ₂) and the sum a factor (1 + δ₃), so
 * |ỹ − y| ≤ ((1 + u)³ − 1)·B(|x|, |W|) ≤ 3.04u·B(|x|, |W|) elementwise, where B(|x|, |W|) is the same product of
 * the absolute values. The bias adds one rounding of b, inside the same bound with |b| added. The float32
 * accumulation, in both passes, adds at most K·2⁻²⁴ relative to B(|x|, |W|) for K terms (K ≤ 600 here: 0.01u).
 * So each layer must satisfy |ỹ − y| ≤ 3.1u·(B(|x|, |W|) + |b|), with the bound computed in float64. The
 * gradients are bilinear products of the same kind (g with W for the input, g with x for the weight, a sum of
 * g for the bias), with g rounded once on the way in, so the same bound holds with the bound computed by
 * autograd on |g|, |x|, |W| in float64. That the bf16 path really ran in bfloat16 is checked too: its outputs
 * and weight gradients are exactly representable in bfloat16.
 *
 * <p>Batch norm stays float32 by design (a reduction): its bf16 output equals the float32 output bit for bit.
 * The MLP composes products and ReLUs: its forward error is bounded by carrying the per-layer bound through
 * the layers (ReLU is 1-Lipschitz): E₀ = 0, E_{l+1} = |W_l|E_l + 3.1u(|W_l|(|h_l| + E_l) + |b_l|).
 */
class Bf16LayersTest {
    static final double U = Math.pow(2, -8);
    static final double C = 3.1 * U;
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** The layer's float32 outputs and gradients ⟨g, y⟩ in x and in each parameter, under precision p. */
    static List<Tensor> outputs(Module layer, Tensor x, Tensor g, Precision p) {
        try (Precision.Use use = Precision.use(p)) {
            Tensor xi = Ops.requiringGrad(x);
            Tensor y = layer.forward(xi);
            assertEquals(torch.ScalarType.Float, y.scalar_type().intern(), "mixed precision returns float32");
            List<Tensor> wrt = new ArrayList<>();
            wrt.add(xi);
            layer.parameters().forEach(q -> wrt.add(q.value()));
            List<Tensor> out = new ArrayList<>();
            out.add(y.detach());
            for (Tensor d : Ops.grad(y.mul(g).sum(), wrt, false)) {
                assertEquals(torch.ScalarType.Float, d.scalar_type().intern(), "gradients reach the float32 weights in float32");
                out.add(d);
            }
            return out;
        }
    }

    /**
     * The bounds B(|x|, |W|) + |b| for y and the float64 gradients of ⟨|g|, ·⟩ for x, W and b, through the
     * layer's op {@code op(x, params)} on absolute values.
     */
    static List<Tensor> bounds(BiFunction<Tensor, List<Tensor>, Tensor> op, Module layer, Tensor x, Tensor g) {
        Tensor ax = Ops.requiringGrad(x.abs().to(torch.ScalarType.Double));
        List<Tensor> ap = new ArrayList<>();
        for (Parameter q : layer.parameters()) {
            ap.add(Ops.requiringGrad(q.value().detach().abs().to(torch.ScalarType.Double)));
        }
        Tensor y = op.apply(ax, ap);
        List<Tensor> wrt = new ArrayList<>();
        wrt.add(ax);
        wrt.addAll(ap);
        List<Tensor> out = new ArrayList<>();
        out.add(y.detach());
        out.addAll(Ops.grad(y.mul(g.abs().to(torch.ScalarType.Double)).sum(), wrt, false));
        return out;
    }

    /** Asserts |bf16 − fp32| ≤ C·bound elementwise for every output, and that the bf16 values are bfloat16. */
    static void assertWithinBound(String layer, List<Tensor> fp32, List<Tensor> bf16, List<Tensor> bound) {
        String[] names = {"output", "input gradient", "weight gradient", "bias gradient"};
        assertEquals(fp32.size(), bound.size());
        for (int i = 0; i < fp32.size(); i++) {
            double[] a = Ops.toDoubles(fp32.get(i));
            double[] b = Ops.toDoubles(bf16.get(i));
            double[] m = Ops.toDoubles(bound.get(i));
            double worst = 0;
            double maxDiff = 0;
            for (int j = 0; j < a.length; j++) {
                double d = Math.abs(a[j] - b[j]);
                maxDiff = Math.max(maxDiff, d);
                worst = Math.max(worst, d / (C * m[j] + 1e-30));
            }
            assertTrue(worst <= 1.0, layer + " " + names[i] + ": error " + worst + " of the bound 3.1u·B(|x|,|W|)");
            assertTrue(maxDiff > 0, layer + " " + names[i] + ": bf16 equals fp32 exactly, so it did not run in bf16");
        }
        for (int i : new int[] {0, 2}) {
            Tensor t = bf16.get(i);
            assertArrayEquals(Ops.toFloats(t), Ops.toFloats(t.to(torch.ScalarType.BFloat16).to(torch.ScalarType.Float)),
                    layer + " " + names[i] + " holds bfloat16 values");
        }
    }

    static void check(String name, Module layer, BiFunction<Tensor, List<Tensor>, Tensor> op, Tensor x, Tensor g) {
        List<Tensor> fp32 = outputs(layer, x, g, Precision.FP32);
        List<Tensor> bf16 = outputs(layer, x, g, Precision.BF16);
        assertWithinBound(name, fp32, bf16, bounds(op, layer, x, g));
    }

    @Test
    void linearIsWithinTheBf16Bound() {
        Rng rng = new Rng(1);
        Linear l = new Linear(new LayerInit(Init.TORCH, rng), 96, 64, true, false);
        Tensor x = rng.normal(32, 96);
        Tensor g = rng.normal(32, 64);
        check("Linear", l, (ax, p) -> Ops.linear(ax, p.get(0), p.get(1)), x, g);
    }

    @Test
    void conv2dIsWithinTheBf16Bound() {
        Rng rng = new Rng(2);
        Conv2d c = new Conv2d(new LayerInit(Init.TORCH, rng), 8, 16, 4, 2, 1, true, false);
        Tensor x = rng.normal(4, 8, 12, 12);
        Tensor g = rng.normal(4, 16, 6, 6);
        check("Conv2d", c, (ax, p) -> Ops.conv2d(ax, p.get(0), p.get(1), 2, 1), x, g);
    }

    @Test
    void convTranspose2dIsWithinTheBf16Bound() {
        Rng rng = new Rng(3);
        ConvTranspose2d c = new ConvTranspose2d(new LayerInit(Init.TORCH, rng), 16, 8, 4, 2, 1, true, false);
        Tensor x = rng.normal(4, 16, 6, 6);
        Tensor g = rng.normal(4, 8, 12, 12);
        check("ConvTranspose2d", c, (ax, p) -> Ops.convTranspose2d(ax, p.get(0), p.get(1), 2, 1), x, g);
    }

    @Test
    void batchNormStaysFloat32() {
        Rng rng = new Rng(4);
        BatchNorm bn = new BatchNorm(new LayerInit(Init.NORMAL, rng), 8);
        Tensor x = rng.normal(16, 8, 5, 5);
        Tensor g = rng.normal(16, 8, 5, 5);
        List<Tensor> fp32 = outputs(bn, x, g, Precision.FP32);
        List<Tensor> bf16 = outputs(bn, x, g, Precision.BF16);
        for (int i = 0; i < fp32.size(); i++) {
            assertArrayEquals(Ops.toFloats(fp32.get(i)), Ops.toFloats(bf16.get(i)), "batch norm output/gradient " + i);
        }
    }

    /** The MLP's forward error within the bound carried through its layers (see the class comment). */
    @Test
    void mlpForwardIsWithinTheCarriedBound() {
        Mlp mlp = Mlp.builder().in(2).width(128).depth(3).out(1).activation(Activation.RELU).build(new Rng(5));
        Tensor x = new Rng(6).normal(256, 2);
        Tensor y32 = Ops.noGrad(() -> mlp.forward(x));
        Tensor y16;
        try (Precision.Use use = Precision.use(Precision.BF16)) {
            y16 = Ops.noGrad(() -> mlp.forward(x));
        }
        // the bound, in float64: E_{l+1} = |W|E_l + C(|W|(|h_l| + E_l) + |b|), h_l the float32 activations
        List<Parameter> ps = mlp.parameters();
        Tensor h = x.to(torch.ScalarType.Double);
        Tensor e = torch.zeros_like(h);
        for (int l = 0; l <= mlp.depth(); l++) {
            Tensor w = ps.get(2 * l).value().detach().to(torch.ScalarType.Double);
            Tensor b = ps.get(2 * l + 1).value().detach().to(torch.ScalarType.Double);
            Tensor aw = w.abs();
            Tensor next = Ops.linear(e, aw, null).add(Ops.mul(Ops.linear(h.abs().add(e), aw, b.abs()), C));
            Tensor pre = Ops.linear(h, w, b);
            h = l < mlp.depth() ? torch.relu(pre) : pre;
            e = next;
        }
        double[] a = Ops.toDoubles(y32);
        double[] b16 = Ops.toDoubles(y16);
        double[] bound = Ops.toDoubles(e);
        double maxDiff = 0;
        for (int j = 0; j < a.length; j++) {
            double d = Math.abs(a[j] - b16[j]);
            maxDiff = Math.max(maxDiff, d);
            assertTrue(d <= bound[j], "MLP output " + j + ": |bf16 − fp32| = " + d + " > bound " + bound[j]);
        }
        assertTrue(maxDiff > 0, "the MLP did not run in bf16");
    }

    /**
     * The MLP's parameter gradients: 2(L + 1) products lie on each path (forward and backward), each adding at
     * most 3.1u relative error, so the relative error of the gradient, in norm, stays below 2(L + 1)·3.1u while
     * the ReLU masks of the two passes agree (a flip needs a pre-activation within 3.1u of zero).
     */
    @Test
    void mlpGradientsAreWithinTheSummedBound() {
        Mlp mlp = Mlp.builder().in(2).width(128).depth(3).out(1).activation(Activation.RELU).build(new Rng(7));
        Tensor x = new Rng(8).normal(256, 2);
        Tensor g = new Rng(9).normal(256, 1);
        List<Tensor> fp32 = outputs(mlp, x, g, Precision.FP32);
        List<Tensor> bf16 = outputs(mlp, x, g, Precision.BF16);
        double limit = 2 * (mlp.depth() + 1) * C;
        for (int i = 0; i < fp32.size(); i++) {
            double diff = Ops.item(fp32.get(i).sub(bf16.get(i)).norm());
            double norm = Ops.item(fp32.get(i).norm());
            assertTrue(diff > 0 && diff <= limit * norm, "MLP tensor " + i + ": relative error " + diff / norm
                    + " against " + limit);
        }
    }
}
