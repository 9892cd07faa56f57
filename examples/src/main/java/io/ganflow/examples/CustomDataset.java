package io.ganflow.examples;

import io.ganflow.config.Registries;
import io.ganflow.data.TensorDataset;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.TrainResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Trains a WGAN-GP on a data set made in Java: points on a noisy spiral, held as plain arrays. The data
 * set is registered under a name, so the run's config (and a later {@code TrainedRun.open}) can name it.
 *
 * <p>Run: {@code java io.ganflow.examples.CustomDataset [steps] [outDir]}
 */
public final class CustomDataset {
    private CustomDataset() {}

    /** n points on a two-turn spiral of radius up to 2, with Gaussian noise of std 0.05, seeded. */
    public static double[][] spiral(int n, long seed) {
        Random r = new Random(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double t = 4 * Math.PI * r.nextDouble();
            double rad = 0.5 + 1.5 * t / (4 * Math.PI);
            rows[i] = new double[] {rad * Math.cos(t) + 0.05 * r.nextGaussian(), rad * Math.sin(t) + 0.05 * r.nextGaussian()};
        }
        return rows;
    }

    /** Registers the spiral (once), trains on it and returns the result. */
    public static TrainResult run(long steps, Path outDir) {
        double[][] rows = spiral(5000, 42);
        if (Registries.DATASETS.find("spiral").isEmpty()) {
            Registries.DATASETS.register("spiral", "a noisy two-turn spiral made in Java",
                    c -> TensorDataset.fromRows("spiral", rows, c.getDouble("data.holdout"), c.getLong("train.seed"),
                            c.getBool("data.standardize")));
        }
        TrainingRun.Builder b = TrainingRun.builder()
                .preset("ring8-wgan-gp")                  // the WGAN-GP settings of the default preset
                .set("data.name", "spiral")
                .set("train.steps", Long.toString(steps))
                .set("train.eval_every", "0");
        if (outDir != null) {
            b.outputDir(outDir);
        }
        return b.build().train();
    }

    public static void main(String[] args) {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 2000;
        Path out = args.length > 1 ? Path.of(args[1]) : null;
        TrainResult r = run(steps, out);
        System.out.printf(Locale.ROOT, "spiral: %d steps in %.1f s, W1 to held-out points %.4f%n", r.steps(), r.seconds(),
                r.finalMetrics().get("w1"));
    }
}
