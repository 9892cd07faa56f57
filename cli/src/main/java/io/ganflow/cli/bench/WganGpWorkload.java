package io.ganflow.cli.bench;

import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.train.Method;
import io.ganflow.train.StepContext;

/**
 * The WGAN-GP toy step of {@code ganflow bench}: G 2 → width×3 → 2, D 2 → width×3 → 1, ReLU, batch 256,
 * 5 critic updates per generator update, gradient penalty λ = 0.1 (centre 1), Adam 1e-4 (0.5, 0.9), ring of
 * 8 Gaussians. One {@link #iteration} is one generator iteration (5 critic updates and 1 generator update),
 * in its own native-memory scope, as in training.
 */
final class WganGpWorkload implements BenchWorkload {
    static final int BATCH = 256;
    static final int DEPTH = 3;
    static final int N_CRITIC = 5;

    private final Dataset data;
    private final Method method;
    private final Rng rng;
    private final long total;
    private final int width;
    private final Precision precision;
    private long step;

    WganGpWorkload(int width, int threads, long totalIterations) {
        this(width, threads, totalIterations, Precision.FP32, "cpu");
    }

    /**
     * The step in {@code precision} (bf16: mixed precision, as train.precision=bf16 trains) on {@code device} (a
     * train.device value).
     */
    WganGpWorkload(int width, int threads, long totalIterations, Precision precision, String device) {
        Config c = Config.builder()
                .set("data.name", "ring8", "bench").set("model.z_dim", "2", "bench")
                .set("model.g.width", Integer.toString(width), "bench").set("model.g.depth", Integer.toString(DEPTH), "bench")
                .set("model.d.width", Integer.toString(width), "bench").set("model.d.depth", Integer.toString(DEPTH), "bench")
                .set("gan.objective", "wasserstein", "bench").set("gan.n_critic", Integer.toString(N_CRITIC), "bench")
                .set("gan.gp.weight", "0.1", "bench").set("gan.gp.center", "1", "bench")
                .set("opt.g.lr", "1e-4", "bench").set("opt.d.lr", "1e-4", "bench")
                .set("train.batch", Integer.toString(BATCH), "bench").set("train.threads", Integer.toString(threads), "bench")
                .set("train.device", device, "bench").build();
        Setup.engine(c);
        Dataset host = Setup.dataset(c);
        this.method = Setup.method(c, host);
        // as Trainer does on a device: the state moves there, the batches and noise are delivered there
        io.ganflow.engine.Device d = io.ganflow.engine.Engine.device();
        if (d != io.ganflow.engine.Device.CPU) {
            io.ganflow.train.Placement.moveState(method, d);
        }
        this.data = d == io.ganflow.engine.Device.CPU ? host : new io.ganflow.data.DeviceDataset(host, d);
        this.rng = new Rng(0).on(d);
        this.total = totalIterations;
        this.width = width;
        this.precision = precision;
    }

    /** The matrix-product FLOPs of one of this workload's iterations. */
    @Override
    public double flops() {
        return flopsPerIteration(width, GradientPenalty.skipsZeroGradients(method.networks().get("critic")));
    }

    /** One generator iteration. */
    @Override
    public void iteration() {
        step++;
        try (Scope scope = Scope.open(); Precision.Use p = Precision.use(precision)) {
            method.step(new StepContext(step, Math.max(total, step), data, rng, BATCH, false));
        }
    }

    /**
     * The matrix-product FLOPs of one generator iteration, counted from the graph autograd builds (see
     * bench/README.md): with f(i, o) = 2·B·i·o for a linear layer i → o on B rows, and D's layers d0…d3,
     * G's layers g0…g3 (Fd, Fg their sums),
     * <ul>
     *   <li>critic update: Fg (generated batch) + 3·Fd (D on real, fake, interpolates) + Fd (∇ₓD at the
     *       interpolates) + 2·(2·Fd − d0) (weight and input gradients of the real and fake passes)
     *       + (2·d0 + 2·d1 + 2·d2 + d3) (double backward through ∇ₓD) + (d0 + 2·d1 + 2·d2) (the zero
     *       gradients ReLU's double backward sends back through the interpolates' forward pass). With
     *       {@code skipZeroGradients}, as ganflow's gradient penalty computes it for ReLU MLPs, the last
     *       term goes, and so does d3 of the interpolates' forward pass (only its ReLU masks are needed);</li>
     *   <li>generator update: Fg + Fd (forward) + Fd (D's input gradients) + (2·Fg − g0) (G's weight and
     *       input gradients).</li>
     * </ul>
     * PyTorch's profiler counts the same for the peer: 1.1856 GFLOP at width 128 (torch.profiler with_flops,
     * mm and addmm).
     */
    static double flopsPerIteration(int width, boolean skipZeroGradients) {
        double b = BATCH;
        double w = width;
        double d0 = 2 * b * 2 * w;
        double dh = 2 * b * w * w; // d1 = d2 = g1 = g2
        double d3 = 2 * b * w * 1;
        double g0 = d0;
        double g3 = 2 * b * w * 2;
        double fd = d0 + 2 * dh + d3;
        double fg = g0 + 2 * dh + g3;
        double critic = fg + 2 * fd + fd + 2 * (2 * fd - d0) + (2 * d0 + 4 * dh + d3)
                + (skipZeroGradients ? fd - d3 : fd + d0 + 4 * dh);
        double generator = fg + fd + fd + (2 * fg - g0);
        return N_CRITIC * critic + generator;
    }
}
