package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import io.ganflow.nn.Reshaped;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC A5/A6 on images (n, 1, 4, 4), in float64: one α per image, per-image gradient norms over every pixel,
 * checked against finite differences (of the critic in its input, and of the penalty in the critic's
 * parameters) and against the closed form of a linear critic.
 */
class ImageMethodsPenaltyTest {
    static final long N = 6;

    static Tensor images(Rng rng, double shift) {
        return Ops.add(rng.normal(N, 1, 4, 4).to(torch.ScalarType.Double), shift);
    }

    /**
     * A nonlinear critic that works on the image's shape and never flattens it:
     * f(x) = Σ_{c,h,w} a ⊙ tanh(b ⊙ x) + κ·(Σ x)², with a, b of shape (1, 4, 4) and κ a scalar parameter.
     */
    static final class PixelCritic implements Module {
        final Tensor a;
        final Tensor b;
        final Tensor k;

        PixelCritic(long seed) {
            Rng rng = new Rng(seed);
            a = leaf(rng.normal(1, 4, 4));
            b = leaf(Ops.add(Ops.mul(rng.normal(1, 4, 4), 0.5), 1.0));
            k = leaf(Ops.full(0.05, 1));
        }

        static Tensor leaf(Tensor t) {
            Tensor d = t.to(torch.ScalarType.Double);
            d.set_requires_grad(true);
            return d;
        }

        @Override
        public Tensor forward(Tensor x) {
            long[] dims = Ops.sampleDims(x);
            Tensor pix = a.mul(torch.tanh(b.mul(x))).sum(dims, false, null);
            Tensor tot = x.sum(dims, false, null);
            return pix.add(k.mul(tot.square())).unsqueeze(1);
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(new Parameter("a", a), new Parameter("b", b), new Parameter("k", k));
        }
    }

    /** An MLP critic on flattened 1×4×4 images, as model.d.kind=mlp builds it for image data. */
    static Module mlpCritic(long seed) {
        return new Reshaped(Mlp.builder().in(16).out(1).width(6).depth(2).activation(Activation.TANH)
                .doublePrecision(true).build(new Rng(seed)), new long[] {1});
    }

    static Stream<Arguments> criticsAndPenalties() {
        return Stream.of("gp1", "gp0", "r1", "r2").flatMap(p -> Stream.of(Arguments.of("pixel", p),
                Arguments.of("mlp", p)));
    }

    static Module critic(String kind) {
        return kind.equals("pixel") ? new PixelCritic(7) : mlpCritic(7);
    }

    /** The penalty as a function of the critic, at fixed points (interpolates for GP, real or fake for R1/R2). */
    static BiFunction<Module, Tensor, Tensor> penalty(String name) {
        switch (name) {
            case "gp1":
                return (c, x) -> new GradientPenalty(0.7, 1).penaltyAt(c, x);
            case "gp0":
                return (c, x) -> new GradientPenalty(0.7, 0).penaltyAt(c, x);
            case "r1":
                return (c, x) -> PointPenalty.r1(0.3).penaltyAt(c, x);
            default:
                return (c, x) -> PointPenalty.r2(0.3).penaltyAt(c, x);
        }
    }

    /** The value the penalty should have, given each image's input-gradient norm g_i. */
    static double expected(String name, double[] norms) {
        double s = 0;
        for (double g : norms) {
            switch (name) {
                case "gp1":
                    s += 0.7 * (g - 1) * (g - 1);
                    break;
                case "gp0":
                    s += 0.35 * g * g;
                    break;
                default:
                    s += 0.15 * g * g;
            }
        }
        return s / norms.length;
    }

    static Tensor points(String penalty, Rng rng) {
        Tensor real = images(rng, 1.0);
        Tensor fake = images(rng, -0.5);
        if (penalty.startsWith("gp")) {
            return GradientPenalty.interpolate(real, fake, rng);
        }
        return penalty.equals("r1") ? real : fake;
    }

    /**
     * Each image's input gradient by central differences over all 16 pixels, its Euclidean norm over (C, H, W),
     * and the penalty from those norms: equal to what the penalty computes by autograd.
     */
    @ParameterizedTest
    @MethodSource("criticsAndPenalties")
    void penaltyValueUsesPerImageGradientNormsOverAllPixels(String kind, String name) {
        Module critic = critic(kind);
        Tensor x = points(name, new Rng(3)).detach();
        double[] flat = Ops.toDoubles(x);
        double h = 1e-6;
        double[] norms = new double[(int) N];
        for (int i = 0; i < N; i++) {
            double sq = 0;
            for (int p = 0; p < 16; p++) {
                int at = i * 16 + p;
                double[] plus = flat.clone();
                double[] minus = flat.clone();
                plus[at] += h;
                minus[at] -= h;
                double fp = Ops.toDoubles(Ops.noGrad(() -> critic.forward(Ops.fromDoubles(plus, N, 1, 4, 4))))[i];
                double fm = Ops.toDoubles(Ops.noGrad(() -> critic.forward(Ops.fromDoubles(minus, N, 1, 4, 4))))[i];
                double d = (fp - fm) / (2 * h);
                sq += d * d;
            }
            norms[i] = Math.sqrt(sq);
        }
        Tensor at = name.startsWith("gp") ? Ops.requiringGrad(x) : x; // GP differentiates at given interpolates
        double got = Ops.item(penalty(name).apply(critic, at));
        assertEquals(expected(name, norms), got, 1e-7 * Math.max(1, Math.abs(got)), kind + " " + name);
    }

    /** The penalty's gradient in every critic parameter (double backward) agrees with central finite differences. */
    @ParameterizedTest
    @MethodSource("criticsAndPenalties")
    void penaltyGradientMatchesFiniteDifferences(String kind, String name) {
        Module critic = critic(kind);
        Tensor x = points(name, new Rng(5));
        BiFunction<Module, Tensor, Tensor> pen = penalty(name);
        List<Tensor> analytic = Ops.grad(pen.apply(critic, x), critic.tensors(), false);
        double h = 1e-6;
        int checked = 0;
        for (int k = 0; k < critic.parameters().size(); k++) {
            Parameter p = critic.parameters().get(k);
            double[] g = Ops.toDoubles(analytic.get(k));
            for (int i = 0; i < g.length; i++) {
                GradientPenaltyTest.perturb(p.value(), i, h);
                double plus = Ops.item(pen.apply(critic, x));
                GradientPenaltyTest.perturb(p.value(), i, -2 * h);
                double minus = Ops.item(pen.apply(critic, x));
                GradientPenaltyTest.perturb(p.value(), i, h);
                double fd = (plus - minus) / (2 * h);
                assertEquals(fd, g[i], 1e-6 + 1e-5 * Math.abs(fd), kind + " " + name + " " + p.name() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked >= 33, "checked " + checked + " parameter entries");
    }

    /** A linear critic f(x) = ⟨W, x⟩ + b on 1×4×4 images has ‖∇f‖ = ‖W‖_F at every image: every penalty is known. */
    @Test
    void linearImageCriticPenaltyHasClosedForm() {
        Mlp inner = Mlp.builder().in(16).out(1).depth(0).doublePrecision(true).build(new Rng(1));
        double[] w = new double[16];
        double sq = 0;
        for (int i = 0; i < 16; i++) {
            w[i] = 0.25 * (i % 5) - 0.4;
            sq += w[i] * w[i];
        }
        double norm = Math.sqrt(sq);
        Ops.noGrad(() -> {
            inner.parameters().get(0).value().copy_(Ops.fromDoubles(w, 1, 16));
            inner.parameters().get(1).value().fill_(Ops.s(0.4));
        });
        Module linear = new Reshaped(inner, new long[] {1});
        Rng rng = new Rng(5);
        Tensor real = images(rng, 0);
        Tensor fake = images(rng, 3);
        Tensor xhat = GradientPenalty.interpolate(real, fake, rng);
        assertEquals(10 * (norm - 1) * (norm - 1), Ops.item(new GradientPenalty(10, 1).penaltyAt(linear, xhat)), 1e-10);
        assertEquals(5 * norm * norm, Ops.item(new GradientPenalty(10, 0).penaltyAt(linear, xhat)), 1e-10);
        CriticBatch b = new CriticBatch(linear, real, fake, rng);
        assertEquals(0.5 * norm * norm, Ops.item(PointPenalty.r1(1).criticTerm(b)), 1e-10);
        assertEquals(2.5 * norm * norm, Ops.item(PointPenalty.r2(5).criticTerm(b)), 1e-10);
        // through the regularizer hook too (interpolates drawn inside)
        assertEquals(10 * (norm - 1) * (norm - 1), Ops.item(new GradientPenalty(10, 1).criticTerm(b)), 1e-10);
    }

    /**
     * α has shape (n, 1, 1, 1): every pixel of an image sits at the same fraction between its fake and real
     * image, and the n draws are those a flat (n, 16) batch gets from the same generator state.
     */
    @Test
    void interpolationWeightIsOnePerImage() {
        Rng rng = new Rng(11);
        Tensor real = images(rng, 2.0);
        Tensor fake = images(rng, -2.0);
        Tensor x = GradientPenalty.interpolate(real, fake, new Rng(12));
        assertArrayEquals(new long[] {N, 1, 4, 4}, Ops.shape(x));
        double[] r = Ops.toDoubles(real);
        double[] f = Ops.toDoubles(fake);
        double[] xs = Ops.toDoubles(x);
        double[] alphas = new double[(int) N];
        for (int i = 0; i < N; i++) {
            alphas[i] = (xs[i * 16] - f[i * 16]) / (r[i * 16] - f[i * 16]);
            assertTrue(alphas[i] >= 0 && alphas[i] <= 1);
            for (int p = 1; p < 16; p++) {
                int at = i * 16 + p;
                assertEquals(alphas[i], (xs[at] - f[at]) / (r[at] - f[at]), 1e-9, "image " + i + " pixel " + p);
            }
        }
        double[] flat = Ops.toDoubles(GradientPenalty.interpolate(Ops.flatten(real), Ops.flatten(fake), new Rng(12)));
        assertArrayEquals(xs, flat, 0.0, "the same draws and values as the flattened batch");
        assertTrue(Math.abs(alphas[0] - alphas[1]) > 1e-3, "different images draw different alphas");
    }

    /** An MLP critic on images and the same MLP on the flattened images give the same penalties, bit for bit. */
    @Test
    void imagePenaltiesEqualPenaltiesOfTheFlattenedBatch() {
        Mlp inner = Mlp.builder().in(16).out(1).width(8).depth(2).activation(Activation.TANH).doublePrecision(true)
                .build(new Rng(2));
        Module onImages = new Reshaped(inner, new long[] {1});
        Rng data = new Rng(4);
        Tensor real = images(data, 1);
        Tensor fake = images(data, -1);
        for (Regularizer r : List.of(new GradientPenalty(1, 1), new GradientPenalty(1, 0), PointPenalty.r1(1),
                PointPenalty.r2(1))) {
            double img = Ops.item(r.criticTerm(new CriticBatch(onImages, real, fake, new Rng(9))));
            CriticBatch flatBatch = new CriticBatch(inner, Ops.flatten(real), Ops.flatten(fake), new Rng(9));
            double flat = Ops.item(r.criticTerm(flatBatch));
            assertEquals(flat, img, 0.0, r.name());
        }
    }
}
