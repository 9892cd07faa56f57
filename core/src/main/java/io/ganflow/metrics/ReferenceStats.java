package io.ganflow.metrics;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.io.SafetensorsFile;
import io.ganflow.metrics.features.FeatureExtractor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A data set's reference statistics on one feature extractor, as clean-fid ships them: the Gaussian fit (mean and
 * (n − 1)-normalised covariance, float64) of the features of its test split and of its training split, and its
 * own train-vs-test FID (the floor) at a few generated-sample counts. With them, FID of generated images needs no
 * real image at all ({@code ganflow eval --data fashion-mnist --fake x.idx}).
 *
 * <p>The test fit is that of {@link ImageEvaluation}'s real side (the test split, at most
 * {@value ImageEvaluation#REAL_LIMIT} images in its seeded order, seed 0), so a FID against it equals a run's; the
 * floors are {@link ImageEvaluation#floor(int)} at seed 0. Between the stored counts the floor is interpolated
 * linearly in 1/m (FID's bias from a finite sample falls as 1/m), and held at the nearest stored count outside them.
 *
 * <p>The file is safetensors: {@code test.mean}, {@code test.cov}, {@code train.mean}, {@code train.cov} (F64), with
 * the extractor's id, the data set, the row counts and the floors in the metadata. Reading checks the extractor's
 * id: statistics of other features are refused by name.
 */
public record ReferenceStats(String featuresId, String data, Frechet.Gaussian test, Frechet.Gaussian train,
        Map<Integer, Double> floors) {
    /** The generated-sample counts whose floors are stored. */
    public static final List<Integer> FLOOR_SIZES = List.of(2000, 2048, 5000, 10_000);

    public ReferenceStats {
        floors = new TreeMap<>(floors);
    }

    /**
     * The statistics of {@code ie}'s data set on its extractor: the test fit of its real side, the fit of every
     * training image of {@code train} (rows, model space, (n, C, H, W)), and the floors at {@link #FLOOR_SIZES}.
     * The tensors outlive the call (persistent).
     */
    public static ReferenceStats compute(ImageEvaluation ie, String data, Tensor train) {
        FeatureExtractor fx = ie.extractor();
        Frechet.Gaussian test = persistent(ie.realFit());
        Frechet.Gaussian trainFit;
        try (Scope s = Scope.open()) {
            List<Tensor> parts = new java.util.ArrayList<>();
            for (long at = 0; at < train.size(0); at += ImageEvaluation.CHUNK) {
                long len = Math.min(ImageEvaluation.CHUNK, train.size(0) - at);
                parts.add(fx.features(train.narrow(0, at, len)));
            }
            trainFit = persistent(Frechet.fit(Ops.cat(parts, 0)));
        }
        Map<Integer, Double> floors = new TreeMap<>();
        for (int m : FLOOR_SIZES) {
            floors.put(m, ie.floor(m));
        }
        return new ReferenceStats(fx.id(), data, test, trainFit, floors);
    }

    private static Frechet.Gaussian persistent(Frechet.Gaussian g) {
        return new Frechet.Gaussian(Scope.persistent(g.mean()), Scope.persistent(g.cov()), g.n());
    }

    /** The floor at m generated images: stored, interpolated in 1/m between two stored counts, or the nearest one. */
    public double floor(int m) {
        TreeMap<Integer, Double> f = (TreeMap<Integer, Double>) floors;
        Map.Entry<Integer, Double> lo = f.floorEntry(m);
        Map.Entry<Integer, Double> hi = f.ceilingEntry(m);
        if (lo == null || hi == null || lo.getKey().equals(hi.getKey())) {
            return (lo != null ? lo : hi).getValue();
        }
        double w = (1.0 / m - 1.0 / hi.getKey()) / (1.0 / lo.getKey() - 1.0 / hi.getKey());
        return w * lo.getValue() + (1 - w) * hi.getValue();
    }

    /** The protocol of {@link #floor(int)} at m, for the metric's text. */
    public String floorProtocol(int m) {
        return "FID of m training images of " + data + " (distinct, seeded 0) against its " + test.n() + " test images,"
                + " shipped with the features " + featuresId + " at m = " + floors.keySet()
                + (floors.containsKey(m) ? "" : "; at m = " + m + " interpolated linearly in 1/m (the nearest stored"
                        + " m outside them)") + ": the floor of fid";
    }

    /** Writes the statistics (float64) with their metadata. */
    public void write(Path file) throws IOException {
        Map<String, SafeTensor> t = new LinkedHashMap<>();
        put(t, "test", test);
        put(t, "train", train);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "ganflow-reference-stats/1");
        meta.put("features_id", featuresId);
        meta.put("data", data);
        meta.put("test_count", Long.toString(test.n()));
        meta.put("train_count", Long.toString(train.n()));
        floors.forEach((m, v) -> meta.put("floor." + m, String.format(Locale.ROOT, "%.17g", v)));
        Safetensors.write(file, t, meta);
    }

    private static void put(Map<String, SafeTensor> t, String split, Frechet.Gaussian g) {
        long d = g.dim();
        t.put(split + ".mean", SafeTensor.ofDoubles(Ops.toDoubles(g.mean()), d));
        t.put(split + ".cov", SafeTensor.ofDoubles(Ops.toDoubles(g.cov()), d, d));
    }

    /**
     * Reads statistics written by {@link #write}, refusing those of other features than {@code featuresId}.
     *
     * @throws BadInputException naming the file and what is wrong
     */
    public static ReferenceStats read(Path file, String featuresId) {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> m = f.metadata();
        if (!"ganflow-reference-stats/1".equals(m.get("format"))) {
            throw new BadInputException(file + ": not a ganflow reference-statistics file (format "
                    + m.get("format") + ")");
        }
        if (!featuresId.equals(m.get("features_id"))) {
            throw new BadInputException(file + ": statistics of the features " + m.get("features_id")
                    + ", not of " + featuresId + " (a FID against them would mix two feature spaces)");
        }
        Map<Integer, Double> floors = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("floor.")) {
                floors.put(Integer.parseInt(k.substring("floor.".length())), Double.parseDouble(v));
            }
        });
        return new ReferenceStats(featuresId, m.get("data"), gaussian(f, "test", Long.parseLong(m.get("test_count"))),
                gaussian(f, "train", Long.parseLong(m.get("train_count"))), floors);
    }

    private static Frechet.Gaussian gaussian(SafetensorsFile f, String split, long n) {
        SafeTensor mean = f.tensor(split + ".mean");
        SafeTensor cov = f.tensor(split + ".cov");
        return new Frechet.Gaussian(Scope.persistent(Ops.fromDoubles(mean.doubles(), mean.shape())),
                Scope.persistent(Ops.fromDoubles(cov.doubles(), cov.shape())), n);
    }

    /** FID of generated features against the test split's fit. */
    public double fid(Tensor fakeFeatures) {
        try (Scope s = Scope.open()) {
            return Frechet.distance(test, Frechet.fit(fakeFeatures.to(torch.ScalarType.Float)));
        }
    }
}
