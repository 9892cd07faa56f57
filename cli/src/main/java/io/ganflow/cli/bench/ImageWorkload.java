package io.ganflow.cli.bench;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageSet;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Module;
import io.ganflow.train.Method;
import io.ganflow.train.StepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The image suites of {@code ganflow bench}: one training iteration of an image preset, with the preset's nets,
 * objective, regularisers and optimisers, as {@code ganflow train} runs it, batch 64, on Fashion-MNIST-shaped
 * images 1 × 28 × 28 drawn from a fixed set of 2,048 random images (the time does not depend on the pixels, and
 * the bench needs no data set installed):
 * <ul>
 *   <li>{@code dcgan}: {@code fmnist-dcgan}, DCGAN G and D with batch norm, non-saturating loss, one critic and
 *       one generator update;</li>
 *   <li>{@code conv-gp}: {@code fmnist-wgan-gp}, the same nets with layer norm in D, the gradient penalty
 *       (λ 10) through a double backward of the convolutions, 5 critic updates and one generator update;</li>
 *   <li>{@code unet}: {@code fmnist-rf}, the U-Net velocity net's rectified-flow step.</li>
 * </ul>
 */
final class ImageWorkload implements BenchWorkload {
    static final int BATCH = 64;
    static final List<String> SUITES = Suite.IMAGE.stream().map(s -> s.key).toList();

    private final String suite;
    private final ImageDataset data;
    private final Method method;
    private final Rng rng = new Rng(0);
    private final long total;
    private final Precision precision;
    private long step;

    ImageWorkload(String suite, int threads, long totalIterations) {
        this(suite, threads, totalIterations, Precision.FP32);
    }

    /** The suite's step in {@code precision} (bf16: mixed precision, as train.precision=bf16 trains). */
    ImageWorkload(String suite, int threads, long totalIterations, Precision precision) {
        this.suite = suite;
        this.precision = precision;
        String preset = preset(suite);
        Config.Builder b = Config.builder().setAll(Presets.get(preset).values(), "preset " + preset);
        if (suite.equals("ddpm")) {
            // DDPM's step on fmnist-rf's U-Net: ε prediction, linear β 1e-4 → 0.02, T = 1000
            b.set("method", "ddpm", "bench");
        }
        Config c = b.set("train.batch", Integer.toString(BATCH), "bench")
                .set("train.threads", Integer.toString(threads), "bench").build();
        Setup.engine(c);
        this.data = images(2048, 0);
        this.method = Setup.method(c, data);
        this.total = totalIterations;
    }

    /** The preset a suite times. */
    static String preset(String suite) {
        return switch (suite) {
            case "dcgan" -> "fmnist-dcgan";
            case "conv-gp" -> "fmnist-wgan-gp";
            case "unet", "ddpm" -> "fmnist-rf";
            default -> throw new BadInputException("--suite " + suite + " is not an image suite; allowed: "
                    + String.join(", ", SUITES));
        };
    }

    /** {@code n} seeded random grey images 28 × 28 (uniform bytes), the same split for training and test. */
    static ImageDataset images(int n, long seed) {
        byte[] px = new byte[n * 28 * 28];
        new Random(seed).nextBytes(px);
        ImageSet set = new ImageSet(n, 1, 28, 28, px, Optional.empty());
        return ImageDataset.of("bench-images", set, set, List.of(), List.of());
    }

    @Override
    public void iteration() {
        step++;
        try (Scope scope = Scope.open(); Precision.Use p = Precision.use(precision)) {
            method.step(new StepContext(step, Math.max(total, step), data, rng, BATCH, false));
        }
    }

    @Override
    public double flops() {
        return flopsPerIteration(suite);
    }

    /** Parameter counts of the nets, keyed as the peer prints them: g and d, or v. */
    Map<String, Long> parameterCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : method.networks().entrySet()) {
            String key = switch (e.getKey()) {
                case "generator" -> "g";
                case "critic" -> "d";
                case "velocity", "eps" -> "v";
                default -> e.getKey();
            };
            m.put(key, e.getValue().size());
        }
        return m;
    }

    Method method() {
        return method;
    }

    // ---- FLOPs ---------------------------------------------------------------------------------------

    /** 2·n·c_out·(output pixels)·c_in·k²: a convolution's multiply-adds, twice. */
    static double conv(double n, double cIn, double cOut, double k, double outPixels) {
        return 2 * n * cOut * outPixels * cIn * k * k;
    }

    /** A transposed convolution: 2·n·c_in·(input pixels)·c_out·k² (every input pixel meets the whole kernel). */
    static double convT(double n, double cIn, double cOut, double k, double inPixels) {
        return 2 * n * cIn * inPixels * cOut * k * k;
    }

    /** A linear layer i → o on n rows: 2·n·i·o. */
    static double linear(double n, double in, double out) {
        return 2 * n * in * out;
    }

    /**
     * The convolution and matrix-product FLOPs of one iteration of a suite, counted from the graph autograd
     * builds (bench/README.md, "Image suites"). A layer's forward pass costs f; its weight gradient and its
     * input gradient cost f each, and the input gradient is computed only where something before the layer
     * needs it (not for a first layer whose input is data or a latent). Bias gradients are sums, not products.
     * For the 28-px DCGAN (batch 64): G = fc (100 → 6272), up1 ConvT 128 → 64 at 7², out ConvT 64 → 1 at 14²;
     * D = conv0 1 → 64 to 14², conv1 64 → 128 to 7², fc 6272 → 1; F_G, F_D their sums, g0 = G's fc, d0 = D's
     * conv0.
     * <ul>
     *   <li>a critic update (dcgan): F_G (the generated batch, no graph) + 2·F_D (D at real and fake)
     *       + 2·(2·F_D − d0) (weight and input gradients of both passes);</li>
     *   <li>a critic update with the gradient penalty (conv-gp): F_G + 3·F_D (real, fake, interpolates)
     *       + F_D (∇ₓD, every layer's input gradient) + 2·(2·F_D − d0) + the penalty's double backward:
     *       for each conv layer's input-gradient op, the gradient in its weight and in its incoming gradient
     *       (2·d0 + 2·d1), for the fc layer's only its weight (d2), and the gradients layer norm's backward
     *       sends back through the interpolates' forward pass (weight and input gradients of conv1, weight of
     *       conv0: d0 + 2·d1);</li>
     *   <li>a generator update: F_G + F_D + F_D (D's input gradients, down to the images) + F_G (G's weights)
     *       + (F_G − g0) (G's input gradients).</li>
     *   <li>the U-Net step (unet): the forward pass F (every conv and linear layer, and the time embedding's
     *       t·ω product), the weight gradients F − t·ω, the input gradients F − t·ω − in − time1 (the
     *       input conv sees data, time1 the fixed embedding).</li>
     * </ul>
     * These equal what the PyTorch peer's aten kernels multiply, counted from their shapes (BenchFactsTest).
     */
    static double flopsPerIteration(String suite) {
        double n = BATCH;
        if (suite.equals("unet") || suite.equals("ddpm")) {
            return unetFlops(n, 1, 28, 32, 16);
        }
        double g0 = linear(n, 100, 128 * 49);
        double fG = g0 + convT(n, 128, 64, 4, 49) + convT(n, 64, 1, 4, 196);
        double d0 = conv(n, 1, 64, 4, 196);
        double d1 = conv(n, 64, 128, 4, 49);
        double d2 = linear(n, 128 * 49, 1);
        double fD = d0 + d1 + d2;
        double generator = fG + fD + fD + fG + (fG - g0);
        if (suite.equals("dcgan")) {
            return fG + 2 * fD + 2 * (2 * fD - d0) + generator;
        }
        if (suite.equals("conv-gp")) {
            double critic = fG + 3 * fD + fD + 2 * (2 * fD - d0) + (2 * d0 + 2 * d1 + d2) + (d0 + 2 * d1);
            return 5 * critic + generator;
        }
        throw new IllegalArgumentException(suite);
    }

    /** The U-Net's step on n images c × h × h, base width w, time embedding e (UNet's layout). */
    static double unetFlops(double n, double c, double h, double w, double e) {
        double f = unetForwardFlops(n, c, h, w, e);
        double freq = linear(n, 1, e / 2);
        double time1 = linear(n, e, 4 * w);
        double in = conv(n, c, w, 3, h * h);
        return f + (f - freq) + (f - freq - in - time1);
    }

    /** The U-Net's forward pass on n images: every conv and linear layer and the time embedding's t·ω product. */
    static double unetForwardFlops(double n, double c, double h, double w, double e) {
        double hi = h * h;
        double lo = (h / 2) * (h / 2);
        double t = 4 * w;
        double freq = linear(n, 1, e / 2);
        double time1 = linear(n, e, t);
        double in = conv(n, c, w, 3, hi);
        return freq + time1 + linear(n, t, t) + in
                + block(n, w, w, t, hi)
                + conv(n, w, w, 3, lo) // pool, stride 2
                + block(n, w, 2 * w, t, lo)
                + block(n, 2 * w, 2 * w, t, lo)
                + block(n, 4 * w, 2 * w, t, lo)
                + conv(n, 2 * w, 2 * w, 3, hi) // upconv after nearest ×2
                + block(n, 3 * w, w, t, hi)
                + conv(n, w, c, 3, hi); // out
    }

    /** A TimeResBlock's forward FLOPs: conv1, temb, conv2, and the 1 × 1 shortcut if the width changes. */
    private static double block(double n, double in, double out, double t, double pixels) {
        return conv(n, in, out, 3, pixels) + linear(n, t, out) + conv(n, out, out, 3, pixels)
                + (in != out ? conv(n, in, out, 1, pixels) : 0);
    }
}
