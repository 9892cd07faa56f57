package io.ganflow.cli.bench;

import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;

/**
 * {@code ganflow bench --suite sample}: EDM's Heun sampler at {@link #NFE} network evaluations drawing {@link #N}
 * Fashion-MNIST-shaped images from the U-Net of {@code fmnist-rf} as an EDM denoiser (untrained: the time does not
 * depend on the weights), as {@code ganflow sample --sampler heun --nfe 35} runs it.
 */
final class SampleWorkload implements BenchWorkload {
    /** Images per iteration. */
    static final int N = 500;
    /** Network evaluations: 18 Heun steps on Karras's schedule, 2 × 18 − 1. */
    static final int NFE = 35;

    private final Method method;
    private final Rng rng = new Rng(0);

    SampleWorkload(int threads) {
        Config c = Config.builder().setAll(Presets.get("fmnist-rf").values(), "preset fmnist-rf")
                .set("method", "edm", "bench").set("train.threads", Integer.toString(threads), "bench").build();
        Setup.engine(c);
        this.method = Setup.method(c, ImageWorkload.images(64, 0));
    }

    @Override
    public void iteration() {
        try (Scope s = Scope.open()) {
            Ops.noGrad(() -> method.sample(SampleRequest.of(N, rng).withProcedure("heun").withOption("nfe", NFE)));
        }
    }

    @Override
    public double flops() {
        return flopsPerIteration();
    }

    /** NFE forward passes of the U-Net on N images. */
    static double flopsPerIteration() {
        return NFE * ImageWorkload.unetForwardFlops(N, 1, 28, 32, 16);
    }

    Method method() {
        return method;
    }
}
