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

    private MetricSuite() {}

    /** Settings of the metrics that have any. Defaults follow the published protocols. */
    public record Options(double sinkhornReg, int slicedProjections, int knnK, int prdcKPrecisionRecall,
            int prdcKDensityCoverage, double[] mmdBandwidths, long seed) {
        public static Options defaults() {
            return new Options(0.05, 200, 5, 3, 5, new double[0], 0);
        }
    }

    /**
     * Parses the comma list of a config key such as {@code eval.metrics}: empty means none, "all" every
     * registered metric; an unknown name fails naming the key.
     */
    public static List<String> parseKey(String key, String list) {
        if (list == null || list.isBlank() || list.equals("none")) {
            return List.of();
        }
        try {
            return parse(list);
        } catch (BadInputException e) {
            throw new BadInputException(key + "=" + list + " is not allowed; allowed: a comma list of "
                    + String.join(", ", Metrics.REGISTRY.names()) + ", all or none");
        }
    }

    /** Parses a comma list of metric names ("all" or empty: every registered metric). */
    public static List<String> parse(String list) {
        List<String> names = Metrics.REGISTRY.names();
        if (list == null || list.isBlank() || list.equals("all")) {
            return names;
        }
        List<String> out = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String n : out) {
            if (!names.contains(n)) {
                throw new BadInputException("--metrics " + list + ": unknown metric '" + n + "'; allowed: "
                        + String.join(", ", names) + " (or all)");
            }
        }
        return out;
    }

    /**
     * Computes the named metrics (names of {@link Metrics#REGISTRY}). {@code mixture} may be null (no mode
     * metrics). Metrics that need equal sample sizes use the first min(n, m) rows of each.
     */
    public static Map<String, MetricValue> compute(double[][] real, double[][] fake, Mixture mixture, List<String> names,
            Options o) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            MetricInput in = new MetricInput(real, fake, mixture, o);
            for (String name : names) {
                out.putAll(Metrics.REGISTRY.get(name).compute(in));
            }
        }
        return out;
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return b.toString();
    }
}
