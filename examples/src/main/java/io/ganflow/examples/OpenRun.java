package io.ganflow.examples;

import io.ganflow.run.TrainedRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Opens a trained run directory (one written by {@code ganflow train} or by {@link CustomDataset}), draws
 * samples in data space and evaluates the checkpoint with the run's own protocol.
 *
 * <p>Run: {@code java io.ganflow.examples.OpenRun runs/NAME}
 */
public final class OpenRun {
    private OpenRun() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: OpenRun RUN_DIR");
            System.exit(2);
        }
        TrainedRun run = TrainedRun.open(Path.of(args[0]));
        double[][] x = run.sample(5, 0);
        System.out.printf(Locale.ROOT, "%s (%s, step %d), five samples:%n", args[0], run.preset(), run.step());
        for (double[] row : x) {
            System.out.printf(Locale.ROOT, "  %8.4f %8.4f%n", row[0], row[1]);
        }
        for (Map.Entry<String, Double> e : run.evaluate().entrySet()) {
            System.out.printf(Locale.ROOT, "  %-24s %.4f%n", e.getKey(), e.getValue());
        }
    }
}
