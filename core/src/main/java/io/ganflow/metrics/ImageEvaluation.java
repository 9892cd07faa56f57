package io.ganflow.metrics;

import io.ganflow.data.Dataset;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.FeatureExtractor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The image metrics of generated images against an image data set's test split, as the training-time evaluator
 * and {@code ganflow eval} compute them (docs/metrics.md, "Image metrics during training and in ganflow eval").
 *
 * <p>The real side is extracted once per instance and kept: the features of the test split (all of it, or a
 * seeded {@value #REAL_LIMIT} of it), in a seeded order, and their Gaussian fit. Each evaluation then extracts
 * only the generated images and computes
 *
 * <ul>
 *   <li>{@code fid} on all real features vs the first {@code samples} generated images;</li>
 *   <li>{@code kid}, {@code kid_std} (100 subsets of up to 1,000 rows per side), {@code is}, {@code is_std} and
 *       {@code classes_covered}, {@code classes_total}, {@code class_kl} (extractors with logits) on the same;</li>
 *   <li>{@code precision}, {@code recall}, {@code density}, {@code coverage} (k = 5) on equal counts: the first
 *       min(samples, real) real features in the seeded order against as many generated ones;</li>
 *   <li>{@code fid_floor}: the FID of as many training images as generated ones (at most the training split)
 *       against the same real features,
 *       what a generator that reproduced the training set would score at this sample count (once, then kept);</li>
 *   <li>with a digit classifier (Stacked MNIST): {@code modes_covered} of {@code modes_total} = 1,000 and
 *       {@code reverse_kl_modes}, KL(q ‖ uniform) of the predicted digit triples of the first {@code modeSamples}
 *       generated images.</li>
 * </ul>
 *
 * The extractors are suppliers, called at the first evaluation: a domain classifier that is not cached yet is
 * trained then, not when a run is set up.
 */
public final class ImageEvaluation {
    /** The most test images the real statistics use (a seeded subset of larger test splits). */
    public static final int REAL_LIMIT = 10_000;
    /**
     * The fewest generated images whose FID is comparable with published ones (clean-fid, pytorch-fid): FID is biased
     * upwards by a term that falls as 1/n, so FIDs at other n are not comparable. Below it the value is still
     * computed, and its protocol says "NOT COMPARABLE".
     */
    public static final int COMPARABLE_SAMPLES = 2048;
    /** Images generated per call of the sampler, so activations stay one chunk's worth. */
    public static final int CHUNK = 500;

    private final Dataset data;
    private final long[] imageShape;
    private final Supplier<FeatureExtractor> features;
    private final Optional<Supplier<FeatureExtractor>> digits;
    private final int samples;
    private final int modeSamples;
    private final long seed;
    private final ImageMetrics.Options options;

    private FeatureExtractor fx;
    private FeatureExtractor digitFx;
    /** The fewest images per side of a class for its intra-class FID and coverage (k = 5 neighbours and itself). */
    public static final int MIN_CLASS_IMAGES = 6;

    private Tensor realFeatures;
    private int[] realLabels = new int[0];
    private Frechet.Gaussian realFit;
    private final Map<Integer, Double> floors = new HashMap<>();

    /**
     * @param data the data set: its test split is the real side, its training split gives the floor
     * @param features the extractor of every metric but the modes
     * @param digits a digit classifier (10 logits on (n, 1, H, W)) for Stacked MNIST modes, or empty
     * @param samples generated images for FID, KID, PRDC, IS and classes
     * @param modeSamples generated images for the modes (used only with {@code digits})
     * @param seed the real subset and order, the training draw of the floor, the KID subsets
     */
    public ImageEvaluation(Dataset data, Supplier<FeatureExtractor> features, Optional<Supplier<FeatureExtractor>> digits,
            int samples, int modeSamples, long seed) {
        this.data = data;
        this.imageShape = imageShape(data);
        this.features = features;
        this.digits = digits;
        if (samples < 2 || (digits.isPresent() && modeSamples < 1)) {
            throw new IllegalArgumentException("image evaluation needs at least 2 samples, got " + samples);
        }
        this.samples = samples;
        this.modeSamples = digits.isPresent() ? modeSamples : 0;
        this.seed = seed;
        // Stacked MNIST's joint classes are its 1,000 modes: the literature's one-prediction rule, as for the modes
        this.options = ImageMetrics.Options.defaults().withSeed(seed)
                .withClassRule(digits.isPresent() ? ClassCoverage.Rule.ANY : ClassCoverage.Rule.IMAGES);
    }

    /** [C, H, W] of a data set's images (also of a flattened image data set). */
    public static long[] imageShape(Dataset d) {
        if (d instanceof ImageDataset img) {
            return img.imageShape();
        }
        long[] s = d.shape();
        if (s.length != 3) {
            throw new IllegalArgumentException(d.name() + ": samples of shape " + java.util.Arrays.toString(s)
                    + " are not images [C, H, W]");
        }
        return s;
    }

    /** Generated images per evaluation: max(samples, mode samples). */
    public int generatedCount() {
        return Math.max(samples, modeSamples);
    }

    public int samples() {
        return samples;
    }

    public int modeSamples() {
        return modeSamples;
    }

    /** The extractor, loaded (or trained) at the first call. */
    public FeatureExtractor extractor() {
        if (fx == null) {
            fx = features.get();
        }
        return fx;
    }

    /** The digit classifier of the modes, when there is one. */
    public Optional<FeatureExtractor> digitClassifier() {
        if (digits.isPresent() && digitFx == null) {
            digitFx = digits.get().get();
        }
        return Optional.ofNullable(digitFx);
    }

    /** The extractor's id, once an evaluation has loaded it. */
    public Optional<String> featuresIdIfLoaded() {
        return Optional.ofNullable(fx).map(FeatureExtractor::id);
    }

    /**
     * Draws n images from a sampler (n, Rng) in chunks of {@value #CHUNK}, one native scope each, into one
     * float32 tensor (n, ...) owned by the caller's scope.
     */
    public static Tensor generate(BiFunction<Integer, Rng, Tensor> sampler, int n, Rng rng) {
        Tensor out = null;
        for (int a = 0; a < n; a += CHUNK) {
            int len = Math.min(CHUNK, n - a);
            if (out == null) {
                Tensor first = Scope.isolated(() -> sampler.apply(len, rng).to(torch.ScalarType.Float).contiguous());
                long[] shape = Ops.shape(first);
                shape[0] = n;
                out = torch.empty(shape, Ops.floatOptions(), null);
                out.narrow(0, 0, len).copy_(first);
            } else {
                try (Scope s = Scope.open()) {
                    out.narrow(0, a, len).copy_(sampler.apply(len, rng));
                }
            }
        }
        return out;
    }

    /** Every metric group {@link #evaluate(Tensor, Set)} computes: fid, floor, kid, prdc, is, classes, modes. */
    public static final List<String> GROUPS = List.of("fid", "floor", "kid", "prdc", "is", "classes", "modes");

    /** {@link #evaluate(Tensor, Set)} with every group. */
    public Map<String, MetricValue> evaluate(Tensor generated) {
        return evaluate(generated, Set.copyOf(GROUPS));
    }

    /**
     * The metrics of generated images (at least 2 rows; model space, (n, C, H, W) or flattened (n, C·H·W), clamped to
     * [−1, 1] first, the range of every saved image):
     * the first min(n, samples) for everything but the modes, the first min(n, modeSamples) for the modes.
     *
     * @param groups which of {@link #GROUPS} to compute
     */
    public Map<String, MetricValue> evaluate(Tensor generated, Set<String> groups) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            long n = generated.size(0);
            // clamped to the pixel range [-1, 1], as every saved image is (a PNG, IDX or uint8 .npy of `ganflow
            // sample`, which `ganflow eval --fake` reads): a flow's or a diffusion model's sample may leave it, and the
            // classifier would otherwise score pixels no image can hold
            Tensor images = Ops.clamp(generated.reshape(n, imageShape[0], imageShape[1], imageShape[2]), -1, 1);
            int m = (int) Math.min(n, samples);
            if (groups.stream().anyMatch(g -> !g.equals("modes"))) {
                FeatureExtractor f = extractor();
                Tensor real = realFeatures();
                FeatureExtractor.Extracted fake = f.extract(images.narrow(0, 0, m));
                out.putAll(compare(f, real, realFit, real.size(0) + " test images of " + data.name(), fake, groups,
                        options));
                if (groups.contains("floor")) {
                    out.put("fid_floor", floorValue(m));
                }
                out.put("image_samples", new MetricValue(m, "generated images of the image metrics (the first " + m
                        + " of the evaluation's draw)"));
            }
            Optional<FeatureExtractor> d = groups.contains("modes") ? digitClassifier() : Optional.empty();
            if (d.isPresent()) {
                out.putAll(modes(images.narrow(0, 0, Math.min(n, modeSamples)), d.get()));
            }
        }
        return out;
    }

    /**
     * The metrics of generated images' features against real features, each with its protocol: fid (against
     * {@code realFit}, the Gaussian fit of {@code real}), kid, is, classes on all rows; prdc (k = 5) on the first
     * min(n, m, 10,000) rows of each side.
     *
     * @param realWhat the real images in words, for the protocols
     */
    public static Map<String, MetricValue> compare(FeatureExtractor f, Tensor real, Frechet.Gaussian realFit,
            String realWhat, FeatureExtractor.Extracted fake, Set<String> groups, ImageMetrics.Options options) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            String who = f.description();
            long m = fake.features().size(0);
            if (groups.contains("fid")) {
                out.put("fid", new MetricValue(Frechet.distance(realFit, Frechet.fit(fake.features())),
                        "FID: Frechet distance of Gaussian fits (covariances with n - 1, float64) to the features of " + who
                                + " (d = " + real.size(1) + "), " + realWhat + " vs " + m + " generated"
                                + (m < COMPARABLE_SAMPLES ? "; NOT COMPARABLE with FIDs at other sample counts: fewer"
                                        + " than " + COMPARABLE_SAMPLES + " generated images (FID's bias grows as 1/n)"
                                        : "")));
            }
            List<String> rest = new java.util.ArrayList<>();
            for (String g : List.of("kid", "is", "classes")) {
                if (groups.contains(g)) {
                    rest.add(g);
                }
            }
            if (!rest.isEmpty()) {
                out.putAll(ImageMetrics.fromFeatures(who, real, fake.features(), fake.logits(),
                        options.withMetrics(rest.toArray(new String[0]))));
            }
            if (groups.contains("prdc")) {
                long pr = Math.min(Math.min(m, real.size(0)), options.prdcMaxSamples());
                out.putAll(ImageMetrics.fromFeatures(who, real.narrow(0, 0, pr), fake.features().narrow(0, 0, pr),
                        Optional.empty(), options.withMetrics("prdc")));
            }
        }
        return out;
    }

    /** Stacked MNIST modes of images (n, 3, H, W) by a digit classifier: modes_covered, modes_total, reverse_kl_modes. */
    public static Map<String, MetricValue> modes(Tensor images, FeatureExtractor digits) {
        long k = images.size(0);
        ClassCoverage.Report r = StackedModes.of(StackedModes.classify(images, digits));
        String p = String.format(Locale.ROOT, "Stacked MNIST: each channel of %d generated images labelled by %s; the"
                + " triple (d0, d1, d2) is mode 100 d0 + 10 d1 + d2; covered with >= 1 sample; KL(q || uniform over 1000)"
                + " in nats (PacGAN's protocol uses %d samples)", k, digits.id(), StackedModes.PACGAN_SAMPLES);
        Map<String, MetricValue> out = new LinkedHashMap<>();
        out.put("modes_covered", new MetricValue(r.covered(), p));
        out.put("modes_total", new MetricValue(r.classes(), p));
        out.put("reverse_kl_modes", new MetricValue(r.klToUniform(), p));
        out.put("mode_samples", new MetricValue(k, p));
        return out;
    }

    /** The Gaussian fit of {@link #realFeatures()} (kept). */
    public Frechet.Gaussian realFit() {
        realFeatures();
        return realFit;
    }

    /**
     * The metrics of a class-conditional generator's images, each generated for the class in {@code labels} (the
     * first min(n, samples) rows; the classes 0..K−1 of a labelled image data set):
     * <ul>
     *   <li>{@code class_accuracy}: the fraction of images the extractor's classifier assigns to the class asked for
     *       (StudioGAN's classifier accuracy score in its generated-vs-classifier form), and {@code class_accuracy_min},
     *       the worst class's; only with a classifier of the data set's own K classes;</li>
     *   <li>{@code intra_fid}: the mean over classes of the FID between the class's generated images and the class's
     *       test images (Miyato &amp; Koyama 2018), with {@code intra_fid_max} the worst class's;</li>
     *   <li>{@code intra_coverage}: the mean over classes of the coverage (Naeem et al. 2020, k = 5) of the class's
     *       test images by its generated images, with {@code intra_coverage_min}.</li>
     * </ul>
     * Classes with fewer than {@value #MIN_CLASS_IMAGES} images on either side are left out of the means.
     *
     * @throws IllegalArgumentException for a data set without test labels, or labels of the wrong count or range
     */
    public Map<String, MetricValue> conditional(Tensor generated, long[] labels) {
        int k = data.classes();
        if (k == 0 || realLabels().length == 0) {
            throw new IllegalArgumentException(data.name() + " has no test labels: no conditional image metrics");
        }
        long n = generated.size(0);
        int m = (int) Math.min(n, samples);
        if (labels.length < m) {
            throw new IllegalArgumentException(labels.length + " labels for " + m + " generated images");
        }
        Map<String, MetricValue> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            Tensor images = Ops.clamp(generated.narrow(0, 0, m).reshape(m, imageShape[0], imageShape[1], imageShape[2]),
                    -1, 1); // the pixel range, as in evaluate
            FeatureExtractor f = extractor();
            FeatureExtractor.Extracted fake = f.extract(images);
            Tensor real = realFeatures();
            int[] realY = realLabels();
            long[] want = java.util.Arrays.copyOf(labels, m);
            String who = f.description();
            Optional<Tensor> logits = fake.logits().filter(l -> l.size(1) == k);
            if (logits.isPresent()) {
                long[] got = Ops.toLongs(logits.get().argmax(new org.bytedeco.pytorch.LongOptional(1), false));
                int[] hit = new int[k];
                int[] count = new int[k];
                for (int i = 0; i < m; i++) {
                    count[(int) want[i]]++;
                    hit[(int) want[i]] += got[i] == want[i] ? 1 : 0;
                }
                double worst = 1;
                int all = 0;
                for (int c = 0; c < k; c++) {
                    all += hit[c];
                    worst = count[c] > 0 ? Math.min(worst, (double) hit[c] / count[c]) : worst;
                }
                String p = "the fraction of " + m + " generated images, each asked for a class, that " + who
                        + " assigns to that class (argmax of its " + k + " logits)";
                out.put("class_accuracy", new MetricValue((double) all / m, p));
                out.put("class_accuracy_min", new MetricValue(worst, p + "; the worst class's"));
            }
            double fidSum = 0;
            double fidMax = 0;
            double covSum = 0;
            double covMin = 1;
            int used = 0;
            for (int c = 0; c < k; c++) {
                Tensor rc = rows(real, realY, c);
                Tensor gc = rows(fake.features(), want, c);
                if (rc.size(0) < MIN_CLASS_IMAGES || gc.size(0) < MIN_CLASS_IMAGES) {
                    continue;
                }
                double fid = Frechet.distance(Frechet.fit(rc), Frechet.fit(gc));
                double cov = Prdc.compute(rc, gc, 3, 5).coverage();
                fidSum += fid;
                fidMax = Math.max(fidMax, fid);
                covSum += cov;
                covMin = Math.min(covMin, cov);
                used++;
            }
            if (used > 0) {
                String p = "over the " + used + " classes with >= " + MIN_CLASS_IMAGES + " images per side: each class's " + m / Math.max(1, k)
                        + " or so generated images against its test images among " + real.size(0) + ", in the features of "
                        + who + (m / Math.max(1, k) < COMPARABLE_SAMPLES ? "; per-class FIDs at these counts are biased"
                        + " upwards (FID's bias grows as 1/n): compare only at equal counts" : "");
                out.put("intra_fid", new MetricValue(fidSum / used, "mean FID " + p));
                out.put("intra_fid_max", new MetricValue(fidMax, "worst class's FID " + p));
                out.put("intra_coverage", new MetricValue(covSum / used, "mean coverage (k = 5) " + p));
                out.put("intra_coverage_min", new MetricValue(covMin, "worst class's coverage (k = 5) " + p));
            }
        }
        return out;
    }

    /** The rows of features whose label is c. */
    private static Tensor rows(Tensor features, int[] labels, int c) {
        long[] idx = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == c)
                .mapToLong(i -> i).toArray();
        return features.index_select(0, Ops.fromLongs(idx));
    }

    private static Tensor rows(Tensor features, long[] labels, int c) {
        return rows(features, java.util.Arrays.stream(labels).mapToInt(l -> (int) l).toArray(), c);
    }

    /** The labels of {@link #realFeatures()}'s rows, in their order; empty for a data set without test labels. */
    public int[] realLabels() {
        realFeatures();
        return realLabels.clone();
    }

    /** The real features (kept), extracting them at the first call. */
    public Tensor realFeatures() {
        if (realFeatures == null) {
            try (Scope s = Scope.open()) {
                int r = Math.min(REAL_LIMIT, data.referenceSize());
                Tensor ref;
                Optional<int[]> testLabels = Optional.empty();
                if (data instanceof ImageDataset img) {
                    // the draw reference(r, rng) makes, with the indices kept for the labels
                    Tensor idx = img.referenceIndices(r, Rng.derived(seed, "eval/image-reference"));
                    ref = img.images(ImageDataset.Split.TEST, idx);
                    long[] at = Ops.toLongs(idx);
                    testLabels = img.labels(ImageDataset.Split.TEST).map(all -> java.util.Arrays.stream(at)
                            .mapToInt(i -> all[(int) i]).toArray());
                } else {
                    ref = data.reference(r, Rng.derived(seed, "eval/image-reference"));
                }
                long k = ref.size(0);
                Tensor img = ref.reshape(k, imageShape[0], imageShape[1], imageShape[2]);
                Tensor feats = extractor().features(img);
                Tensor order = Rng.derived(seed, "eval/image-order").permutation(k);
                long[] ord = Ops.toLongs(order);
                realLabels = testLabels.map(l -> java.util.Arrays.stream(ord).mapToInt(i -> l[(int) i]).toArray())
                        .orElse(new int[0]);
                realFeatures = Scope.persistent(feats.index_select(0, order));
                Frechet.Gaussian g = Frechet.fit(realFeatures);
                realFit = new Frechet.Gaussian(Scope.persistent(g.mean()), Scope.persistent(g.cov()), g.n());
            }
        }
        return realFeatures;
    }

    /**
     * {@link #floor(int)} with its protocol: FID of min(m, training split) distinct training images (seeded)
     * against the kept test features.
     */
    public MetricValue floorValue(int m) {
        int k = floorCount(m);
        return new MetricValue(floor(m), "FID of " + k + " training images of " + data.name() + " (distinct, seeded)"
                + " against its " + realFeatures().size(0) + " test images: the data set's own train-vs-test FID"
                + (k == m ? " at the generated sample count" : " (all its training images; " + m + " were generated)")
                + ", the floor of fid");
    }

    /** The training images of the floor for m generated ones: m, or the whole training split when smaller. */
    public int floorCount(int m) {
        return data instanceof ImageDataset img ? Math.min(m, img.size(ImageDataset.Split.TRAIN)) : m;
    }

    /** FID of {@link #floorCount(int)} training images against the real features, kept per m. */
    public double floor(int m) {
        realFeatures();
        return floors.computeIfAbsent(floorCount(m), k -> {
            try (Scope s = Scope.open()) {
                Tensor train = trainingImages(k, Rng.derived(seed, "eval/image-floor"));
                return Frechet.distance(realFit, Frechet.fit(extractor().features(train)));
            }
        });
    }

    private Tensor trainingImages(int k, Rng rng) {
        Tensor x;
        if (data instanceof ImageDataset img && k <= img.size(ImageDataset.Split.TRAIN)) {
            x = img.images(ImageDataset.Split.TRAIN, rng.permutation(img.size(ImageDataset.Split.TRAIN)).narrow(0, 0, k));
        } else {
            x = data.sample(k, rng);
        }
        return x.reshape(k, imageShape[0], imageShape[1], imageShape[2]);
    }

    /** The keys {@link #evaluate} may return. */
    public static final List<String> KEYS = List.of("fid", "fid_floor", "kid", "kid_std", "is", "is_std", "classes_covered",
            "classes_total", "class_kl", "precision", "recall", "density", "coverage", "image_samples", "modes_covered",
            "modes_total", "reverse_kl_modes", "mode_samples", "class_accuracy", "class_accuracy_min", "intra_fid", "intra_fid_max",
            "intra_coverage", "intra_coverage_min");
}
