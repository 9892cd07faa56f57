package io.ganflow.train;

import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.ImageEvaluation;
import io.ganflow.metrics.ModeMetrics;
import io.ganflow.metrics.ModeReport;
import io.ganflow.metrics.Transport;
import io.ganflow.metrics.MetricSuite;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * Evaluates a method's samples against held-out data. Every evaluation draws the same latent noise and
 * the same reference sample (fixed derived seeds), so successive evaluations differ only by the model,
 * and evaluating never touches the training generator.
 *
 * <p>Protocol: {@code samples} generated points for the mode metrics (2,500 by default, as in VEEGAN and
 * PacGAN); exact W1 (an optimal assignment, Euclidean cost, data space) between the first
 * {@code w1Samples} of them and as many held-out reference points; and, for methods with a critic, the
 * critic's estimate E_real f − E_generated f on those same points, so the two can be compared.
 *
 * <p>Image data (a sample shape of rank &gt; 1, such as [C, H, W]): mode metrics exist only for Gaussian
 * mixtures, so there are none; W1 is exact on the flattened samples (Euclidean distance between pixel vectors)
 * and costs n²·C·H·W for the cost matrix, so it is computed only when {@code w1Samples} is at most
 * {@link #IMAGE_W1_LIMIT} (about 0.5 s for 1,000 images of 28×28 on the reference machine) and left out
 * otherwise. The critic's estimate is still reported, on {@code w1Samples} points. Extra metrics run on the
 * flattened samples. With an {@link ImageEvaluation} (eval.features, see {@code config.EvalSetup}) the image
 * metrics follow: FID, KID, PRDC, IS, class coverage and the FID floor on the extractor's features, and the
 * Stacked MNIST modes, against the test split's features, which are extracted once and kept. They share the
 * evaluation's draw of generated images, which then holds max(samples, {@link ImageEvaluation#generatedCount()})
 * images, generated in chunks of {@value ImageEvaluation#CHUNK}; the figures above use its first
 * {@code samples}.
 */
public final class Evaluator {
    private final Dataset data;
    private final int samples;
    private final int w1Samples;
    private final long seed;
    private final List<String> extraMetrics;
    private final Optional<ImageEvaluation> images;
    /** The most points exact W1 is computed on for image data; with more, W1 is left out for images. */
    public static final int IMAGE_W1_LIMIT = 1000;

    /** An evaluator with the built-in figures only (modes, W1, the critic's estimate, diagnostics). */
    public Evaluator(Dataset data, int samples, int w1Samples, long seed) {
        this(data, samples, w1Samples, seed, List.of());
    }

    /**
     * @param extraMetrics names of registered {@link io.ganflow.metrics.Metric}s computed at every evaluation
     *     on the same generated and held-out points (data space), after the built-in figures
     */
    public Evaluator(Dataset data, int samples, int w1Samples, long seed, List<String> extraMetrics) {
        this(data, samples, w1Samples, seed, extraMetrics, Optional.empty());
    }

    /** @param images the image metrics computed at every evaluation after the other figures, if any */
    public Evaluator(Dataset data, int samples, int w1Samples, long seed, List<String> extraMetrics,
            Optional<ImageEvaluation> images) {
        this.images = images;
        this.extraMetrics = List.copyOf(extraMetrics);
        this.data = data;
        this.samples = samples;
        this.w1Samples = Math.min(w1Samples, Math.min(samples, Transport.MAX_EXACT));
        this.seed = seed;
        // Printed whatever the verbosity: it changes what the reported numbers mean.
        data.evaluatesOnTrainingData().ifPresent(w -> System.err.println("ganflow: warning: " + w));
    }

    /**
     * A conditional method on a mixture whose components are its classes: the fraction of n samples, each asked for
     * a uniformly drawn component, that land in that component (nearest centre, within the high-quality radius of
     * the mode metrics).
     */
    private double classHits(Method method, io.ganflow.data.Mixture mix, int n) {
        Rng rng = Rng.derived(seed, "eval/classes");
        long[] want = Ops.toLongs(rng.integers(mix.modes(), n));
        Tensor x = Ops.toHost(method.sample(SampleRequest.of(n, rng).withLabels(want)).x());
        double[][] pts = Ops.toRows(data.standardizer().toData(Ops.flatten(x)));
        double radius = io.ganflow.metrics.ModeMetrics.DEFAULT_SIGMAS * mix.std();
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int k = 0; k < mix.modes(); k++) {
                double d = 0;
                for (int j = 0; j < pts[i].length; j++) {
                    double e = pts[i][j] - mix.centers()[k][j];
                    d += e * e;
                }
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            if (best == want[i] && Math.sqrt(bestD) <= radius) {
                hits++;
            }
        }
        return (double) hits / n;
    }

    public Map<String, Double> evaluate(Method method) {
        try (Scope s = Scope.open()) {
            Standardizer st = data.standardizer();
            // The metrics run on the host: samples come back from the run's device, the critic gets its input there.
            java.util.function.BiFunction<Integer, Rng, Tensor> sampler = (n, r) -> Ops.toHost(method.sample(n, r));
            // With image metrics, one draw serves both: max(samples, the image metrics' count) images, generated in
            // chunks so that a generator's activations stay small; the figures above use the first `samples`.
            // A conditional generator of a labelled image set is asked for the classes in turn (0, 1, ..., K-1, 0, ...),
            // so every figure sees the classes in equal numbers and the conditional metrics know what was asked.
            boolean byClass = images.isPresent() && method.classes() > 0 && method.classes() == data.classes();
            long[] asked = byClass ? balancedLabels(Math.max(samples, images.get().generatedCount()), method.classes())
                    : new long[0];
            if (byClass) {
                int[] next = {0};
                sampler = (n, r) -> {
                    long[] l = Arrays.copyOfRange(asked, next[0], next[0] + n);
                    next[0] += n;
                    return Ops.toHost(method.sample(SampleRequest.of(n, r).withLabels(l)).x());
                };
            }
            Tensor all = images.isPresent() ? ImageEvaluation.generate(sampler, Math.max(samples,
                    images.get().generatedCount()), Rng.derived(seed, "eval/generated")) : null;
            Tensor genModel = all != null ? all.narrow(0, 0, samples)
                    : sampler.apply(samples, Rng.derived(seed, "eval/generated"));
            double[][] gen = Ops.toRows(st.toData(Ops.flatten(genModel)));
            for (double[] row : gen) {
                for (double v : row) {
                    if (!Double.isFinite(v)) {
                        throw new DivergenceException("training diverged: generated samples contain " + v
                                + " at evaluation");
                    }
                }
            }
            Map<String, Double> out = new LinkedHashMap<>();
            data.mixture().ifPresent(mix -> {
                ModeReport r = ModeMetrics.evaluate(gen, mix);
                out.put("modes_covered", (double) r.modesCovered());
                out.put("modes_total", (double) r.modesTotal());
                out.put("high_quality_fraction", r.highQualityFraction());
                out.put("reverse_kl_modes", r.reverseKl());
            });
            data.mixture().filter(mix -> method.classes() == mix.modes() && method.classes() > 0)
                    .ifPresent(mix -> out.put("class_hit_fraction", classHits(method, mix, samples)));
            int m = Math.min(w1Samples, data.referenceSize());
            if (m >= 2) {
                Tensor refModel = data.reference(m, Rng.derived(seed, "eval/reference"));
                m = Math.min(m, (int) refModel.size(0));
                if (!isImage() || m <= IMAGE_W1_LIMIT) {
                    double[][] ref = Ops.toRows(st.toData(Ops.flatten(refModel)));
                    out.put("w1", Transport.exactW1(Arrays.copyOf(gen, m), Arrays.copyOf(ref, m)));
                    out.put("w1_samples", (double) m);
                }
                final int k = m;
                // The critic's own estimate on the very same points, next to the exact W1: for a 1-Lipschitz
                // critic it is a lower bound (Kantorovich–Rubinstein).
                method.critic().map(c -> (java.util.function.UnaryOperator<Tensor>) x -> Ops.toHost(c.apply(Ops.toDevice(x))))
                        .ifPresent(f -> out.put("critic_w_estimate",
                        Ops.item(f.apply(refModel.narrow(0, 0, k)).mean().sub(f.apply(genModel.narrow(0, 0, k)).mean()))));
            }
            out.putAll(method.diagnostics(samples, Rng.derived(seed, "eval/diagnostics")));
            if (!extraMetrics.isEmpty()) {
                int r = Math.min(samples, data.referenceSize());
                Tensor refModel = data.reference(r, Rng.derived(seed, "eval/reference"));
                double[][] ref = Ops.toRows(st.toData(Ops.flatten(refModel)));
                MetricSuite.Options o = new MetricSuite.Options(0.05, 200, 5, 3, 5, new double[0], seed);
                MetricSuite.compute(ref, gen, data.mixture().orElse(null), extraMetrics, o)
                        .forEach((k, v) -> out.putIfAbsent(k, v.value()));
            }
            if (all != null) {
                if (!Ops.allFinite(all)) {
                    throw new DivergenceException("training diverged: generated images contain NaN or Inf at evaluation");
                }
                images.get().evaluate(all).forEach((k, v) -> out.put(k, v.value()));
                if (byClass) {
                    images.get().conditional(all, asked).forEach((k, v) -> out.put(k, v.value()));
                }
            }
            return out;
        }
    }

    /** n labels 0, 1, ..., classes − 1, 0, 1, ...: every class asked for equally often. */
    public static long[] balancedLabels(int n, int classes) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % classes;
        }
        return l;
    }

    /** True for data whose samples have a shape of rank &gt; 1 (images). */
    private boolean isImage() {
        return data.shape().length > 1;
    }

    /** Generated samples in data space, flattened to rows, for plots; same draws as the evaluation. */
    public double[][] samples(Method method, int n) {
        try (Scope s = Scope.open()) {
            Tensor t = data.standardizer().toData(Ops.flatten(Ops.toHost(method.sample(n, Rng.derived(seed,
                    "eval/generated")))));
            return Ops.toRows(t);
        }
    }

    /** Held-out reference samples in data space, flattened to rows, for plots. */
    public double[][] reference(int n) {
        try (Scope s = Scope.open()) {
            int m = Math.min(n, data.referenceSize());
            return Ops.toRows(data.standardizer().toData(Ops.flatten(data.reference(m, Rng.derived(seed,
                    "eval/reference")))));
        }
    }

    public int sampleCount() {
        return samples;
    }

    /** The image metrics' part of the protocol, for image data with eval.features other than none. */
    public Optional<ImageEvaluation> imageEvaluation() {
        return images;
    }

    /** The id of the image metrics' feature extractor, once an evaluation has loaded it. */
    public Optional<String> featuresId() {
        return images.flatMap(ImageEvaluation::featuresIdIfLoaded);
    }
}
