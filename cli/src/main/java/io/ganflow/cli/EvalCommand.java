package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.EvalSetup;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.data.Mixture;
import io.ganflow.data.csv.CsvReader;
import io.ganflow.data.csv.CsvTable;
import io.ganflow.data.image.ImageFiles;
import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.Frechet;
import io.ganflow.metrics.ImageEvaluation;
import io.ganflow.metrics.features.Classifiers;
import io.ganflow.metrics.ReferenceStats;
import io.ganflow.metrics.ImageMetrics;
import io.ganflow.metrics.MetricSuite;
import io.ganflow.metrics.MetricValue;
import io.ganflow.metrics.Metrics;
import io.ganflow.metrics.features.FeatureExtractor;
import io.ganflow.run.TrainedRun;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.Method;
import io.ganflow.train.MetricsLog;
import io.ganflow.train.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ganflow eval}: every sample metric, each with its protocol, for a run or for two files: CSV points, or
 * images (IDX or .npy) with the image metrics on a feature extractor's features.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained run against held-out data, or generated samples against real ones.",
            "Points (CSV, or a run on points): W1, W2, Sinkhorn, sliced W, MMD, k-NN KL, PRDC, FD, modes.",
            "Images (IDX or .npy files, or a run on images): FID (with the data set's train-vs-test floor), KID,",
            "  IS, PRDC and class coverage on a domain classifier's features; Stacked MNIST modes of 1,000.",
            "Prints a table and writes JSON; every number carries the protocol that produced it."})
final class EvalCommand implements Callable<Integer> {
    /** Generated images of a run's image metrics unless --n says otherwise. */
    static final int IMAGE_SAMPLES = 10_000;
    /** Points of a run's point metrics unless --n says otherwise. */
    static final int POINT_SAMPLES = 2_000;

    @Option(names = "--run", paramLabel = "DIR", description = "a run directory (newest intact checkpoint)")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a specific checkpoint instead")
    Path checkpoint;

    @Option(names = "--real", paramLabel = "A", description = "real samples (with --fake): CSV points, or images as IDX"
            + " (uint8 [n, H, W] or [n, C, H, W]) or .npy (uint8, or float32 in [-1, 1])")
    Path real;

    @Option(names = "--fake", paramLabel = "B", description = "generated samples (with --real), in the same format; image"
            + " files may go without --real, with --data: measured against that data set's shipped statistics")
    Path fake;

    @Option(names = "--modes", paramLabel = "DATASET", description = "with CSV --real/--fake: count modes of ring8 or grid25")
    String modes;

    @Option(names = "--data", paramLabel = "NAME", description = "with image --real/--fake: the data set whose classifier"
            + " extracts the features and whose train-vs-test FID is the floor: fashion-mnist, mnist, stacked-mnist (a run"
            + " names its own)")
    String data;

    @Option(names = "--data-path", paramLabel = "DIR", description = "with --data: its IDX directory (data.path)")
    String dataPath;

    @Option(names = "--features", paramLabel = "SPEC", description = "images: classifier (the data set's, default),"
            + " classifier:FILE, torchscript:FILE, or none (a run: its eval.features)")
    String features;

    @Option(names = "--classifier-dir", paramLabel = "DIR", description = "images: the cached classifiers' folder"
            + " (eval.classifier_dir; default $GANFLOW_CLASSIFIER_DIR, else ~/.cache/ganflow/classifiers)")
    String classifierDir;

    @Option(names = "--n", paramLabel = "N", description = "samples generated for --run: points 2000 (at most 5000 for the"
            + " exact metrics), images " + IMAGE_SAMPLES)
    Integer n;

    @Option(names = "--mode-samples", paramLabel = "N", description = "stacked-mnist runs: images for the 1,000-mode count"
            + " (default 26000, PacGAN's protocol)")
    Integer modeSamples;

    @Option(names = "--metrics", paramLabel = "LIST", defaultValue = "all",
            description = "comma-separated; points: modes, w1, w2, sinkhorn, sliced, mmd, knn_kl, prdc, frechet; images:"
                    + " fid, floor, kid, prdc, is, classes, modes (default all)")
    String metrics;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the generated and reference draws (default 0)")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.json", description = "where to write the JSON (default: <run>/eval.json,"
            + " or eval.json)")
    Path out;

    @Override
    public Integer call() throws Exception {
        boolean fromRun = run != null || checkpoint != null;
        if (fromRun == (real != null || fake != null)) {
            throw new BadInputException("give either --run DIR (or --checkpoint FILE), or both --real A and --fake B (image"
                    + " files: or --fake B with --data NAME alone)");
        }
        if (n != null && (n < 10 || n > 100_000)) {
            throw new BadInputException("--n " + n + " is out of range (allowed: 10 to 100000)");
        }
        if (modeSamples != null && (modeSamples < 10 || modeSamples > 1_000_000)) {
            throw new BadInputException("--mode-samples " + modeSamples + " is out of range (allowed: 10 to 1000000)");
        }
        if (fromRun) {
            if (data != null || dataPath != null) {
                throw new BadInputException("--data and --data-path go with --real/--fake; a run evaluates against its own"
                        + " data set");
            }
            TrainedRun tr = checkpoint != null ? TrainedRun.openCheckpoint(checkpoint) : TrainedRun.open(run);
            if (out == null && run != null) {
                out = run.resolve("eval.json");
            }
            if (EvalSetup.isImage(tr.data())) {
                Optional<ImageEvaluation> ie = EvalSetup.imageEvaluation(imageConfig(tr.config()), tr.data(),
                        n != null ? n : IMAGE_SAMPLES, modeSamples != null ? modeSamples : 26_000, seed, EvalCommand::note);
                if (ie.isPresent()) {
                    return imageRun(tr, ie.get());
                }
            }
            return pointRun(tr);
        }
        if (real == null && fake != null && data != null && ImageFiles.detect(fake) != ImageFiles.Format.OTHER) {
            return imagesAgainstStats();
        }
        if (real == null || fake == null) {
            throw new BadInputException("--real and --fake go together (image files may also be measured with --data"
                    + " alone, against that data set's shipped statistics)");
        }
        ImageFiles.Format fr = ImageFiles.detect(real);
        ImageFiles.Format ff = ImageFiles.detect(fake);
        if (fr != ImageFiles.Format.OTHER || ff != ImageFiles.Format.OTHER) {
            return imageFiles();
        }
        return csvFiles();
    }

    static void note(String msg) {
        System.err.println("ganflow: " + msg);
    }

    /** The run's config with --features and --classifier-dir applied. */
    private Config imageConfig(Config c) {
        Config.Builder b = c.toBuilder();
        if (features != null) {
            b.set("eval.features", features, "--features");
        }
        if (classifierDir != null) {
            b.set("eval.classifier_dir", classifierDir, "--classifier-dir");
        }
        return b.build();
    }

    // ---- points -----------------------------------------------------------------------------------------

    private Integer pointRun(TrainedRun tr) throws Exception {
        List<String> names = MetricSuite.parse(metrics);
        int count = n != null ? n : POINT_SAMPLES;
        Checkpoint ckpt = tr.checkpoint();
        Dataset d = tr.data();
        Method method = tr.method();
        d.evaluatesOnTrainingData().ifPresent(w -> System.err.println("ganflow: warning: " + w));
        double[][] realRows;
        double[][] fakeRows;
        try (Scope s = Scope.open()) {
            fakeRows = Ops.toRows(Ops.flatten(d.standardizer().toData(Ops.flatten(method.sample(count,
                    Rng.derived(seed, "eval/generated"))))));
            int m = Math.min(count, d.referenceSize());
            realRows = Ops.toRows(Ops.flatten(d.standardizer().toData(Ops.flatten(d.reference(m, Rng.derived(seed,
                    "eval/reference"))))));
        }
        String source = ckpt.file() + " (step " + ckpt.step() + "), held-out " + d.name();
        return points(source, realRows, fakeRows, d.mixture().orElse(null), names);
    }

    private Integer csvFiles() throws Exception {
        List<String> names = MetricSuite.parse(metrics);
        CsvTable a = CsvReader.read(real);
        CsvTable b = CsvReader.read(fake);
        if (a.columns() != b.columns()) {
            throw new BadInputException("--fake " + fake + " has " + b.columns() + " columns, --real " + real + " has "
                    + a.columns());
        }
        Mixture mixture = null;
        if (modes != null) {
            mixture = switch (modes) {
                case "ring8" -> GaussianMixture.ring8().mixture().orElseThrow();
                case "grid25" -> GaussianMixture.grid25().mixture().orElseThrow();
                default -> throw new BadInputException("--modes " + modes + " is not allowed; allowed: ring8, grid25");
            };
        }
        return points(real + " vs " + fake, a.rows(), b.rows(), mixture, names);
    }

    private Integer points(String source, double[][] realRows, double[][] fakeRows, Mixture mixture, List<String> names)
            throws Exception {
        if (realRows.length < 10 || fakeRows.length < 10) {
            throw new BadInputException("need at least 10 samples per side, got " + realRows.length + " real and "
                    + fakeRows.length + " generated");
        }
        MetricSuite.Options o = new MetricSuite.Options(0.05, 200, 5, 3, 5, new double[0], seed);
        Map<String, MetricValue> result = MetricSuite.compute(realRows, fakeRows, mixture, names, o);
        print(System.out, source, result);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source);
        json.put("real_samples", realRows.length);
        json.put("generated_samples", fakeRows.length);
        return write(json, result);
    }

    private Integer write(Map<String, Object> json, Map<String, MetricValue> result) throws Exception {
        Path file = out != null ? out : Path.of("eval.json");
        Map<String, Object> ms = new LinkedHashMap<>();
        result.forEach((k, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            boolean integral = k.startsWith("modes_") || k.startsWith("classes_") || k.endsWith("_samples");
            e.put("value", integral && Double.isFinite(v.value()) ? (Object) Math.round(v.value())
                    : MetricsLog.jsonNumber(v.value()));
            e.put("protocol", v.protocol());
            ms.put(k, e);
        });
        json.put("metrics", ms);
        try {
            Session.JSON.writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw CliFiles.cannotWrite("--out", file, e);
        }
        System.out.println("wrote " + file.toAbsolutePath().normalize()
                + (out == null ? " (the current directory; --out FILE writes elsewhere)" : ""));
        return ExitCodes.OK;
    }

    // ---- images -----------------------------------------------------------------------------------------

    /** The image metric groups and the point metrics that --metrics names for image data. */
    private record Selection(Set<String> image, List<String> points) {}

    private Selection imageSelection() {
        if (metrics == null || metrics.isBlank() || metrics.equals("all")) {
            return new Selection(Set.copyOf(ImageEvaluation.GROUPS), List.of());
        }
        Set<String> image = new LinkedHashSet<>();
        List<String> points = new ArrayList<>();
        for (String m : metrics.split(",")) {
            String t = m.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (ImageEvaluation.GROUPS.contains(t)) {
                image.add(t);
            } else if (Metrics.REGISTRY.names().contains(t)) {
                points.add(t);
            } else {
                throw new BadInputException("--metrics " + metrics + ": unknown metric '" + t + "'; allowed for images: "
                        + String.join(", ", ImageEvaluation.GROUPS) + ", or point metrics on the flattened pixels: "
                        + String.join(", ", Metrics.REGISTRY.names()) + " (or all)");
            }
        }
        return new Selection(image, points);
    }

    private Integer imageRun(TrainedRun tr, ImageEvaluation ie) throws Exception {
        Selection sel = imageSelection();
        Checkpoint ckpt = tr.checkpoint();
        Dataset d = tr.data();
        Map<String, MetricValue> result = new LinkedHashMap<>();
        int generated;
        try (Scope s = Scope.open()) {
            int count = sel.image().contains("modes") ? ie.generatedCount() : ie.samples();
            Tensor x = ImageEvaluation.generate(tr.method()::sample, count, Rng.derived(seed, "eval/generated"));
            generated = count;
            if (!Ops.allFinite(x)) {
                throw new BadInputException(ckpt.file() + ": the generator produces NaN or Inf");
            }
            if (!sel.image().isEmpty()) {
                result.putAll(ie.evaluate(x, sel.image()));
            }
            if (!sel.points().isEmpty()) {
                int m = Math.min(Math.min(count, d.referenceSize()), POINT_SAMPLES);
                double[][] fakeRows = Ops.toRows(d.standardizer().toData(Ops.flatten(x.narrow(0, 0, m))));
                double[][] realRows = Ops.toRows(d.standardizer().toData(Ops.flatten(d.reference(m, Rng.derived(seed,
                        "eval/reference")))));
                MetricSuite.Options o = new MetricSuite.Options(0.05, 200, 5, 3, 5, new double[0], seed);
                MetricSuite.compute(realRows, fakeRows, null, sel.points(), o).forEach((k, v) -> result.putIfAbsent(k,
                        new MetricValue(v.value(), v.protocol() + " (flattened pixels 0..255, " + m + " per side)")));
            }
        }
        String source = ckpt.file() + " (step " + ckpt.step() + "), test split of " + d.name();
        FeatureExtractor fx = ie.extractor();
        printImages(System.out, source, fx, result);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source);
        json.put("data", d.name());
        json.put("real_samples", Math.min(ImageEvaluation.REAL_LIMIT, d.referenceSize()));
        json.put("generated_samples", generated);
        json.put("features_id", fx.id());
        json.put("features", fx.description());
        return write(json, result);
    }

    private Integer imageFiles() throws Exception {
        Selection sel = imageSelection();
        if (!sel.points().isEmpty()) {
            throw new BadInputException("--metrics " + metrics + ": for image files the metrics are "
                    + String.join(", ", ImageEvaluation.GROUPS));
        }
        if (modes != null) {
            throw new BadInputException("--modes goes with CSV points; for Stacked MNIST images give --data stacked-mnist");
        }
        if (data == null && (features == null || !(features.startsWith("classifier:")
                || features.startsWith("torchscript:")))) {
            throw new BadInputException("image files need a feature extractor: --data fashion-mnist|mnist|stacked-mnist"
                    + " (that data set's classifier), or --features classifier:FILE or torchscript:FILE");
        }
        Tensor a = ImageFiles.read(real);
        Tensor b = ImageFiles.read(fake);
        long[] sa = Arrays.copyOfRange(Ops.shape(a), 1, 4);
        long[] sb = Arrays.copyOfRange(Ops.shape(b), 1, 4);
        if (!Arrays.equals(sa, sb)) {
            throw new BadInputException("--fake " + fake + " holds images " + shape(sb) + ", --real " + real + " holds "
                    + shape(sa) + "; both must have one shape");
        }
        if (a.size(0) < 10 || b.size(0) < 10) {
            throw new BadInputException("need at least 10 images per side, got " + a.size(0) + " real and " + b.size(0)
                    + " generated");
        }
        String dataName = data != null ? data : "";
        Config.Builder cb = Config.builder().set("eval.features", features != null ? features : "classifier", "--features");
        if (data != null) {
            cb.set("data.name", data, "--data");
        }
        if (dataPath != null) {
            cb.set("data.path", dataPath, "--data-path");
        }
        if (classifierDir != null) {
            cb.set("eval.classifier_dir", classifierDir, "--classifier-dir");
        }
        Config c = cb.build();
        EvalSetup.Features f = EvalSetup.features(c, dataName, sa, EvalCommand::note).orElseThrow(() ->
                new BadInputException("--features none: image files have no metrics without features"));
        FeatureExtractor fx = f.features().get();
        Map<String, MetricValue> result = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            Tensor realFeatures = fx.features(a);
            FeatureExtractor.Extracted ext = fx.extract(b);
            Frechet.Gaussian fit = Frechet.fit(realFeatures);
            result.putAll(ImageEvaluation.compare(fx, realFeatures, fit, a.size(0) + " images of " + real, ext,
                    sel.image(), ImageMetrics.Options.defaults().withSeed(seed)));
            if (sel.image().contains("floor") && data != null) {
                // the data set's own floor: its training images against its test split (not against A)
                Dataset d = Setup.dataset(c);
                ImageEvaluation ie = new ImageEvaluation(d, f.features(), Optional.empty(), (int) b.size(0), 1, seed);
                result.put("fid_floor", ie.floorValue((int) b.size(0)));
            }
            if (sel.image().contains("modes") && f.digits().isPresent()) {
                result.putAll(ImageEvaluation.modes(b, f.digits().get().get()));
            }
        }
        String source = real + " vs " + fake;
        printImages(System.out, source, fx, result);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source);
        if (data != null) {
            json.put("data", data);
        }
        json.put("real_samples", a.size(0));
        json.put("generated_samples", b.size(0));
        json.put("features_id", fx.id());
        json.put("features", fx.description());
        return write(json, result);
    }

    /**
     * Generated image files against the reference statistics shipped with the data set's pinned classifier: FID
     * against its test split's Gaussian fit and the shipped floor, IS and classes from the generated images alone,
     * Stacked MNIST modes; KID and PRDC need real images (--real) and are left out, saying so.
     */
    private Integer imagesAgainstStats() throws Exception {
        Selection sel = imageSelection();
        if (!sel.points().isEmpty()) {
            throw new BadInputException("--metrics " + metrics + ": for image files the metrics are "
                    + String.join(", ", ImageEvaluation.GROUPS));
        }
        Tensor b = ImageFiles.read(fake);
        long[] sb = Arrays.copyOfRange(Ops.shape(b), 1, 4);
        if (b.size(0) < 10) {
            throw new BadInputException("need at least 10 generated images, got " + b.size(0));
        }
        Config.Builder cb = Config.builder().set("eval.features", features != null ? features : "classifier", "--features")
                .set("data.name", data, "--data");
        if (classifierDir != null) {
            cb.set("eval.classifier_dir", classifierDir, "--classifier-dir");
        }
        Config c = cb.build();
        EvalSetup.Features f = EvalSetup.features(c, data, sb, EvalCommand::note).orElseThrow(() ->
                new BadInputException("--features none: image files have no metrics without features"));
        FeatureExtractor fx = f.features().get();
        String domain = Classifiers.domainOf(data).orElseThrow();
        // the modes alone (--metrics modes) need no reference statistics: Stacked MNIST's per-channel features have none
        boolean needStats = sel.image().stream().anyMatch(g -> !g.equals("modes"));
        BadInputException noStats = new BadInputException("--data " + data + " without --real: ganflow ships reference"
                + " statistics for its pinned " + domain + " classifier only, and these features are " + fx.id()
                + "; give --real FILE" + (f.digits().isPresent() ? ", or --metrics modes" : ""));
        ReferenceStats stats = null;
        if (needStats) {
            try {
                stats = Classifiers.pinnedStats(domain, fx.id()).orElseThrow(() -> noStats);
            } catch (BadInputException e) {
                throw e == noStats ? e : noStats; // the shipped statistics are of other features
            }
        }
        Map<String, MetricValue> result = new LinkedHashMap<>();
        int n = (int) b.size(0);
        try (Scope s = Scope.open()) {
            FeatureExtractor.Extracted ext = fx.extract(b);
            if (sel.image().contains("fid")) {
                result.put("fid", new MetricValue(stats.fid(ext.features()), "FID: Frechet distance of Gaussian fits"
                        + " (covariances with n - 1, float64) to the features of " + fx.description() + ", the shipped"
                        + " statistics of " + stats.test().n() + " test images of " + data + " vs " + n + " generated"
                        + (n < ImageEvaluation.COMPARABLE_SAMPLES ? "; NOT COMPARABLE with FIDs at other sample counts:"
                                + " fewer than " + ImageEvaluation.COMPARABLE_SAMPLES + " generated images (FID's bias"
                                + " grows as 1/n)" : "")));
            }
            if (sel.image().contains("floor")) {
                result.put("fid_floor", new MetricValue(stats.floor(n), stats.floorProtocol(n)));
            }
            Set<String> own = new LinkedHashSet<>(sel.image());
            own.retainAll(Set.of("is", "classes"));
            if (!own.isEmpty()) {
                result.putAll(ImageEvaluation.compare(fx, ext.features(), stats.test(), "", ext, own,
                        ImageMetrics.Options.defaults().withSeed(seed)));
            }
            if (sel.image().contains("modes") && f.digits().isPresent()) {
                result.putAll(ImageEvaluation.modes(b, f.digits().get().get()));
            }
        }
        if (sel.image().contains("kid") || sel.image().contains("prdc")) {
            note("kid and prdc compare two sets of images; without --real they are left out");
        }
        String source = fake + (stats != null ? " against the shipped statistics of " + data : " (" + data + " modes)");
        printImages(System.out, source, fx, result);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source);
        json.put("data", data);
        if (stats != null) {
            json.put("real_samples", stats.test().n());
        }
        json.put("generated_samples", n);
        json.put("features_id", fx.id());
        json.put("features", fx.description());
        return write(json, result);
    }

    private static String shape(long[] s) {
        return s[0] + " x " + s[1] + " x " + s[2];
    }

    static void print(PrintStream out, String source, Map<String, MetricValue> result) {
        out.println("evaluation of " + source);
        for (Map.Entry<String, MetricValue> e : result.entrySet()) {
            out.printf(Locale.ROOT, "  %-22s %12.6g   %s%n", e.getKey(), e.getValue().value(), e.getValue().protocol());
        }
    }

    /** The image metrics: FID with its floor beside it, then the others; the extractor named once. */
    static void printImages(PrintStream out, String source, FeatureExtractor fx, Map<String, MetricValue> result) {
        out.println("evaluation of " + source);
        out.println("features: " + fx.description() + (fx.description().equals(fx.id()) ? "" : " (id " + fx.id() + ")"));
        for (Map.Entry<String, MetricValue> e : result.entrySet()) {
            String k = e.getKey();
            if (k.equals("fid_floor") && result.containsKey("fid")) {
                continue;
            }
            double v = e.getValue().value();
            String shown = k.startsWith("modes_") || k.startsWith("classes_") || k.endsWith("_samples")
                    ? String.format(Locale.ROOT, "%12d", Math.round(v)) : String.format(Locale.ROOT, "%12.6g", v);
            String extra = "";
            if (k.equals("fid") && result.containsKey("fid_floor")) {
                extra = String.format(Locale.ROOT, "  (floor: train vs test %.4g)", result.get("fid_floor").value());
            }
            out.printf(Locale.ROOT, "  %-16s %s%s   %s%n", k, shown, extra, e.getValue().protocol());
        }
    }
}
