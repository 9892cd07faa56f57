package io.ganflow.metrics;

import io.ganflow.Registry;
import io.ganflow.engine.Rng;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** The registry of sample metrics, with the built-ins; docs/metrics.md states each protocol. */
public final class Metrics {
    /** Every metric by name; {@code ganflow eval --metrics} and {@code eval.metrics} take these names. */
    public static final Registry<Metric> REGISTRY = new Registry<>("metric", "eval.metrics");

    static {
        REGISTRY.register("modes", "modes covered, high-quality fraction and reverse KL (mixtures only)", Metrics::modes);
        REGISTRY.register("w1", "exact W1 (optimal assignment, Euclidean cost)", in -> {
            int k = in.paired();
            return Map.of("w1", new MetricValue(Transport.exactW1(Arrays.copyOf(in.real(), k), Arrays.copyOf(in.fake(), k)),
                    "exact optimal transport (auction on costs rounded to 2^-31 of their range), Euclidean cost, " + k
                            + " vs " + k + " points"));
        });
        REGISTRY.register("w2", "exact W2 (optimal assignment, squared Euclidean cost)", in -> {
            int k = in.paired();
            return Map.of("w2", new MetricValue(Transport.exactW2(Arrays.copyOf(in.real(), k), Arrays.copyOf(in.fake(), k)),
                    "exact optimal transport, squared Euclidean cost, square root, " + k + " vs " + k + " points"));
        });
        REGISTRY.register("sinkhorn", "entropic OT cost, stabilised Sinkhorn", in -> {
            double reg = in.options().sinkhornReg();
            Sinkhorn.Result r = Sinkhorn.solve(in.realTensor(), in.fakeTensor(), 2, reg, 20000, 1e-7);
            return Map.of("sinkhorn", new MetricValue(r.cost(), String.format(Locale.ROOT,
                    "entropic OT cost <P, C>, C = squared Euclidean, reg %.4g, stabilised Sinkhorn with eps-scaling,"
                            + " %d iterations, marginal error %.2g, %s", reg, r.iterations(), r.marginalError(), in.sizes())));
        });
        REGISTRY.register("sliced", "sliced W2 over random directions", in -> {
            int k = in.paired();
            MetricSuite.Options o = in.options();
            Tensor proj = SlicedWasserstein.randomProjections(in.real()[0].length, o.slicedProjections(),
                    Rng.derived(o.seed(), "sliced"));
            return Map.of("sliced_w2", new MetricValue(SlicedWasserstein.distance(in.realTensor().narrow(0, 0, k),
                    in.fakeTensor().narrow(0, 0, k), proj, 2), "sliced W2, " + o.slicedProjections()
                    + " random directions (seed " + o.seed() + "), " + k + " vs " + k + " points"));
        });
        REGISTRY.register("mmd", "unbiased MMD^2 with Gaussian kernels", Metrics::mmd);
        REGISTRY.register("knn_kl", "KL(generated || real) by the k-NN estimator", in -> Map.of("knn_kl",
                new MetricValue(Knn.klDivergence(in.fakeTensor(), in.realTensor(), in.options().knnK()),
                        "KL(generated || real) by the k-NN estimator of Wang, Kulkarni and Verdu (2009), k = "
                                + in.options().knnK() + ", " + in.sizes())));
        REGISTRY.register("prdc", "precision, recall, density and coverage", in -> {
            MetricSuite.Options o = in.options();
            Prdc.Result r = Prdc.compute(in.realTensor(), in.fakeTensor(), o.prdcKPrecisionRecall(), o.prdcKDensityCoverage());
            String pr = "k-NN balls, k = " + r.kPrecisionRecall() + " (Kynkaanniemi et al. 2019), " + in.sizes();
            String dc = "k-NN balls, k = " + r.kDensityCoverage() + " (Naeem et al. 2020), " + in.sizes();
            Map<String, MetricValue> out = new LinkedHashMap<>();
            out.put("precision", new MetricValue(r.precision(), pr));
            out.put("recall", new MetricValue(r.recall(), pr));
            out.put("density", new MetricValue(r.density(), dc));
            out.put("coverage", new MetricValue(r.coverage(), dc));
            return out;
        });
        REGISTRY.register("frechet", "Frechet distance of Gaussian fits to the raw coordinates", in -> Map.of("frechet",
                new MetricValue(Frechet.distance(in.realTensor(), in.fakeTensor()),
                        "Frechet distance of Gaussian fits to the raw coordinates (identity features), " + in.sizes())));
    }

    private Metrics() {}

    private static Map<String, MetricValue> modes(MetricInput in) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        in.mixture().ifPresent(mixture -> {
            double[][] fake = in.fake();
            ModeReport r = ModeMetrics.evaluate(fake, mixture);
            String p = String.format(Locale.ROOT, "%d generated samples; high quality within %.0f std (%.4g)"
                    + " of the nearest of %d modes; covered with >= %d high-quality sample", fake.length,
                    r.sigmas(), r.sigmas() * mixture.std(), r.modesTotal(), r.minCount());
            out.put("modes_covered", new MetricValue(r.modesCovered(), p));
            out.put("modes_total", new MetricValue(r.modesTotal(), p));
            out.put("high_quality_fraction", new MetricValue(r.highQualityFraction(), p));
            out.put("reverse_kl_modes", new MetricValue(r.reverseKl(),
                    "KL(q||uniform) in nats, q = histogram of the high-quality samples over modes "
                            + Arrays.toString(r.counts())));
        });
        return out;
    }

    private static Map<String, MetricValue> mmd(MetricInput in) {
        int k = in.paired();
        double[] given = in.options().mmdBandwidths();
        Tensor xk = in.realTensor().narrow(0, 0, Math.min(k, 2000));
        Tensor yk = in.fakeTensor().narrow(0, 0, Math.min(k, 2000));
        double[] bw = given.length > 0 ? given : new double[] {Mmd.medianBandwidth(xk, yk)};
        return Map.of("mmd2", new MetricValue(Mmd.unbiased(in.realTensor(), in.fakeTensor(), bw),
                "unbiased MMD^2, Gaussian RBF kernel" + (bw.length > 1 ? "s" : "") + " sigma = " + MetricSuite.fmt(bw)
                        + (given.length == 0 ? " (median pairwise distance of the pooled samples)" : "") + ", "
                        + in.sizes()));
    }
}
