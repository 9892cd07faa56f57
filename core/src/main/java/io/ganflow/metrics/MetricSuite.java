package io.ganflow.metrics;

import io.ganflow.BadInputException;
import io.ganflow.data.Mixture;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Every sample metric by name, each returned with its protocol. Inputs are a real (reference) sample and
 * a generated one, in data space.
 */
public final class MetricSuite {
    public static final List<String> NAMES = List.of("modes", "w1", "w2", "sinkhorn", "sliced", "mmd", "knn_kl",
            "prdc", "frechet");

    private MetricSuite() {}

    /** Settings of the metrics that have any. Defaults follow the published protocols. */
    public record Options(double sinkhornReg, int slicedProjections, int knnK, int prdcKPrecisionRecall,
            int prdcKDensityCoverage, double[] mmdBandwidths, long seed) {
        public static Options defaults() {
            return new Options(0.05, 200, 5, 3, 5, new double[0], 0);
        }
    }

    public static List<String> parse(String list) {
        if (list == null || list.isBlank() || list.equals("all")) {
            return NAMES;
        }
        List<String> out = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String n : out) {
            if (!NAMES.contains(n)) {
                throw new BadInputException("--metrics " + list + ": unknown metric '" + n + "'; allowed: "
                        + String.join(", ", NAMES) + " (or all)");
            }
        }
        return out;
    }

    /**
     * Computes the named metrics. {@code mixture} may be null (no mode metrics). Metrics that need equal
     * sample sizes use the first min(n, m) rows of each.
     */
    public static Map<String, MetricValue> compute(double[][] real, double[][] fake, Mixture mixture, List<String> names,
            Options o) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        int n = real.length;
        int m = fake.length;
        int k = Math.min(Math.min(n, m), Transport.MAX_EXACT);
        String sizes = n + " real vs " + m + " generated";
        try (Scope s = Scope.open()) {
            Tensor x = Ops.fromRowsExact(real);
            Tensor y = Ops.fromRowsExact(fake);
            Tensor xk = x.narrow(0, 0, k);
            Tensor yk = y.narrow(0, 0, k);
            for (String name : names) {
                switch (name) {
                    case "modes":
                        if (mixture != null) {
                            ModeReport r = ModeMetrics.evaluate(fake, mixture);
                            String p = String.format(Locale.ROOT, "%d generated samples; high quality within %.0f std (%.4g)"
                                    + " of the nearest of %d modes; covered with >= %d high-quality sample", m,
                                    r.sigmas(), r.sigmas() * mixture.std(), r.modesTotal(), r.minCount());
                            out.put("modes_covered", new MetricValue(r.modesCovered(), p));
                            out.put("modes_total", new MetricValue(r.modesTotal(), p));
                            out.put("high_quality_fraction", new MetricValue(r.highQualityFraction(), p));
                            out.put("reverse_kl_modes", new MetricValue(r.reverseKl(),
                                    "KL(q||uniform) in nats, q = histogram of the high-quality samples over modes "
                                            + Arrays.toString(r.counts())));
                        }
                        break;
                    case "w1":
                        out.put("w1", new MetricValue(Transport.exactW1(Arrays.copyOf(real, k), Arrays.copyOf(fake, k)),
                                "exact optimal transport (auction on costs rounded to 2^-31 of their range),"
                                        + " Euclidean cost, " + k + " vs " + k + " points"));
                        break;
                    case "w2":
                        out.put("w2", new MetricValue(Transport.exactW2(Arrays.copyOf(real, k), Arrays.copyOf(fake, k)),
                                "exact optimal transport, squared Euclidean cost, square root, " + k + " vs " + k
                                        + " points"));
                        break;
                    case "sinkhorn": {
                        Sinkhorn.Result r = Sinkhorn.solve(x, y, 2, o.sinkhornReg(), 20000, 1e-7);
                        out.put("sinkhorn", new MetricValue(r.cost(), String.format(Locale.ROOT,
                                "entropic OT cost <P, C>, C = squared Euclidean, reg %.4g, stabilised Sinkhorn with eps-scaling,"
                                        + " %d iterations, marginal error %.2g, %s", o.sinkhornReg(), r.iterations(),
                                r.marginalError(), sizes)));
                        break;
                    }
                    case "sliced": {
                        Tensor proj = SlicedWasserstein.randomProjections(real[0].length, o.slicedProjections(),
                                Rng.derived(o.seed(), "sliced"));
                        out.put("sliced_w2", new MetricValue(SlicedWasserstein.distance(xk, yk, proj, 2),
                                "sliced W2, " + o.slicedProjections() + " random directions (seed " + o.seed() + "), "
                                        + k + " vs " + k + " points"));
                        break;
                    }
                    case "mmd": {
                        double[] bw = o.mmdBandwidths().length > 0 ? o.mmdBandwidths()
                                : new double[] {Mmd.medianBandwidth(xk.narrow(0, 0, Math.min(k, 2000)),
                                        yk.narrow(0, 0, Math.min(k, 2000)))};
                        out.put("mmd2", new MetricValue(Mmd.unbiased(x, y, bw), "unbiased MMD^2, Gaussian RBF kernel"
                                + (bw.length > 1 ? "s" : "") + " sigma = " + fmt(bw) + (o.mmdBandwidths().length == 0
                                        ? " (median pairwise distance of the pooled samples)" : "") + ", " + sizes));
                        break;
                    }
                    case "knn_kl":
                        out.put("knn_kl", new MetricValue(Knn.klDivergence(y, x, o.knnK()),
                                "KL(generated || real) by the k-NN estimator of Wang, Kulkarni and Verdu (2009), k = "
                                        + o.knnK() + ", " + sizes));
                        break;
                    case "prdc": {
                        Prdc.Result r = Prdc.compute(x, y, o.prdcKPrecisionRecall(), o.prdcKDensityCoverage());
                        String pr = "k-NN balls, k = " + r.kPrecisionRecall() + " (Kynkaanniemi et al. 2019), " + sizes;
                        String dc = "k-NN balls, k = " + r.kDensityCoverage() + " (Naeem et al. 2020), " + sizes;
                        out.put("precision", new MetricValue(r.precision(), pr));
                        out.put("recall", new MetricValue(r.recall(), pr));
                        out.put("density", new MetricValue(r.density(), dc));
                        out.put("coverage", new MetricValue(r.coverage(), dc));
                        break;
                    }
                    case "frechet":
                        out.put("frechet", new MetricValue(Frechet.distance(x, y),
                                "Frechet distance of Gaussian fits to the raw coordinates (identity features), "
                                        + sizes));
                        break;
                    default:
                        throw new IllegalArgumentException(name);
                }
            }
        }
        return out;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return b.toString();
    }
}
