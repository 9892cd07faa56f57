package io.ganflow.metrics;

import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.FeatureExtractor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * Metrics of generated images against real ones, on the features (and logits) of a {@link FeatureExtractor}:
 * FID, KID, precision / recall / density / coverage, the Inception-style score and class coverage. Each value
 * comes with its protocol, which names the sample counts, the parameters and the extractor. docs/metrics.md,
 * "Image metrics", states every protocol.
 *
 * <pre>{@code
 * FeatureExtractor fx = TorchScriptFeatures.parse("torchscript:inception.pt");
 * Map<String, MetricValue> m = ImageMetrics.compute(fx, real, fake, ImageMetrics.Options.defaults());
 * }</pre>
 */
public final class ImageMetrics {
    /** Every metric name {@link Options#metrics} accepts. */
    public static final List<String> NAMES = List.of("fid", "kid", "prdc", "is", "classes");

    private ImageMetrics() {}

    /**
     * @param metrics which of {@link #NAMES} to compute; "is" and "classes" only when the extractor gives logits
     * @param kidSubsetSize rows per KID subset (cut to the smaller sample)
     * @param kidSubsets KID subsets
     * @param isSplits splits of the Inception-style score
     * @param prdcK k of the k-NN balls for all four of precision, recall, density and coverage
     * @param prdcMaxSamples PRDC uses the first min(n, this) rows of each side
     * @param classRule when a class counts as covered
     * @param seed seeds the KID subsets
     */
    public record Options(List<String> metrics, int kidSubsetSize, int kidSubsets, int isSplits, int prdcK,
            int prdcMaxSamples, ClassCoverage.Rule classRule, long seed) {
        public Options {
            metrics = List.copyOf(metrics);
            for (String m : metrics) {
                if (!NAMES.contains(m)) {
                    throw new IllegalArgumentException("unknown image metric '" + m + "'; allowed: " + String.join(", ", NAMES));
                }
            }
        }

        /** Every metric; KID 1,000 x 100 subsets, IS 10 splits, PRDC k = 5 on up to 10,000 per side, seed 0. */
        public static Options defaults() {
            return new Options(NAMES, Kid.DEFAULT_SUBSET_SIZE, Kid.DEFAULT_SUBSETS, InceptionScore.DEFAULT_SPLITS, 5,
                    10_000, ClassCoverage.Rule.IMAGES, 0);
        }

        public Options withMetrics(String... names) {
            return new Options(List.of(names), kidSubsetSize, kidSubsets, isSplits, prdcK, prdcMaxSamples, classRule,
                    seed);
        }

        public Options withClassRule(ClassCoverage.Rule r) {
            return new Options(metrics, kidSubsetSize, kidSubsets, isSplits, prdcK, prdcMaxSamples, r, seed);
        }

        public Options withSeed(long s) {
            return new Options(metrics, kidSubsetSize, kidSubsets, isSplits, prdcK, prdcMaxSamples, classRule, s);
        }
    }

    /**
     * Extracts features of both image sets (n, C, H, W) in [-1, 1] and computes the chosen metrics. Logits are
     * those of the generated images.
     */
    public static Map<String, MetricValue> compute(FeatureExtractor fx, Tensor real, Tensor fake, Options o) {
        try (Scope s = Scope.open()) {
            Tensor fr = fx.features(real);
            FeatureExtractor.Extracted ff = fx.extract(fake);
            return fromFeatures(fx.description(), fr, ff.features(), ff.logits(), o);
        }
    }

    /**
     * The metrics from precomputed features (n, d) and (m, d) and, for "is" and "classes", the logits (m, K) of
     * the generated images; {@code extractor} names the network in the protocols.
     */
    public static Map<String, MetricValue> fromFeatures(String extractor, Tensor realFeatures, Tensor fakeFeatures,
            Optional<Tensor> fakeLogits, Options o) {
        long n = realFeatures.size(0);
        long m = fakeFeatures.size(0);
        String sizes = n + " real vs " + m + " generated images";
        String feats = "features of " + extractor + " (d = " + realFeatures.size(1) + ")";
        Map<String, MetricValue> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            if (o.metrics().contains("fid")) {
                out.put("fid", new MetricValue(Frechet.distance(realFeatures, fakeFeatures),
                        "FID: Frechet distance of Gaussian fits (covariances with n - 1, float64) to the " + feats + ", "
                                + sizes));
            }
            if (o.metrics().contains("kid")) {
                Kid.Result r = Kid.compute(realFeatures, fakeFeatures, o.kidSubsetSize(), o.kidSubsets(), o.seed());
                String p = String.format(Locale.ROOT, "KID: unbiased MMD^2, kernel (x.y/d + 1)^3, mean and population"
                        + " std over %d subsets of %d rows per side (seed %d), %s, %s", r.subsets(), r.subsetSize(),
                        o.seed(), feats, sizes);
                out.put("kid", new MetricValue(r.mean(), p));
                out.put("kid_std", new MetricValue(r.std(), p));
            }
            if (o.metrics().contains("prdc")) {
                int k = o.prdcK();
                long pn = Math.min(n, o.prdcMaxSamples());
                long pm = Math.min(m, o.prdcMaxSamples());
                Prdc.Result r = Prdc.compute(realFeatures.narrow(0, 0, pn), fakeFeatures.narrow(0, 0, pm), k, k);
                String p = "k-NN balls on the " + feats + ", k = " + k + " (Naeem et al. 2020), first " + pn + " real vs "
                        + pm + " generated";
                out.put("precision", new MetricValue(r.precision(), p));
                out.put("recall", new MetricValue(r.recall(), p));
                out.put("density", new MetricValue(r.density(), p));
                out.put("coverage", new MetricValue(r.coverage(), p));
            }
            if (fakeLogits.isPresent()) {
                Tensor logits = fakeLogits.get();
                String lg = "argmax / softmax of the " + logits.size(1) + " logits of " + extractor + " on " + m
                        + " generated images";
                if (o.metrics().contains("is")) {
                    InceptionScore.Result r = InceptionScore.compute(logits, o.isSplits());
                    String p = "exp(E KL(p(y|x) || p(y))), mean and population std over " + r.splits()
                            + " contiguous splits, " + lg;
                    out.put("is", new MetricValue(r.mean(), p));
                    out.put("is_std", new MetricValue(r.std(), p));
                }
                if (o.metrics().contains("classes")) {
                    ClassCoverage.Report r = ClassCoverage.ofLogits(logits, o.classRule());
                    String p = "classes covered: " + o.classRule().describe(r.samples(), r.classes()) + ", of "
                            + r.classes() + "; KL(q || uniform)"
                            + " in nats of the predicted-class histogram q; " + lg;
                    out.put("classes_covered", new MetricValue(r.covered(), p));
                    out.put("classes_total", new MetricValue(r.classes(), p));
                    out.put("class_kl", new MetricValue(r.klToUniform(), p));
                }
            }
        }
        return out;
    }
}
