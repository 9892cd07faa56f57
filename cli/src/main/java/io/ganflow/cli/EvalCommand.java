package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.run.TrainedRun;
import io.ganflow.data.Dataset;
import io.ganflow.data.Mixture;
import io.ganflow.data.csv.CsvReader;
import io.ganflow.data.csv.CsvTable;
import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.MetricSuite;
import io.ganflow.metrics.MetricValue;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.CheckpointIO;
import io.ganflow.train.Method;
import io.ganflow.train.MetricsLog;
import io.ganflow.train.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ganflow eval}: every sample metric, each with its protocol, for a run or for two CSV files. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained run against held-out data, or a generated CSV against a real one.",
            "Prints a table and writes JSON; every number carries the protocol that produced it."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "DIR", description = "a run directory (newest intact checkpoint)")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a specific checkpoint instead")
    Path checkpoint;

    @Option(names = "--real", paramLabel = "A.csv", description = "real samples (with --fake)")
    Path real;

    @Option(names = "--fake", paramLabel = "B.csv", description = "generated samples (with --real)")
    Path fake;

    @Option(names = "--modes", paramLabel = "DATASET", description = "with --real/--fake: count modes of ring8 or grid25")
    String modes;

    @Option(names = "--n", paramLabel = "N", defaultValue = "2000",
            description = "samples per side for --run (default 2000, at most 5000 for the exact metrics)")
    int n;

    @Option(names = "--metrics", paramLabel = "LIST", defaultValue = "all",
            description = "comma-separated: modes, w1, w2, sinkhorn, sliced, mmd, knn_kl, prdc, frechet (default all)")
    String metrics;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the generated and reference draws (default 0)")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.json", description = "where to write the JSON (default: <run>/eval.json,"
            + " or eval.json)")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> names = MetricSuite.parse(metrics);
        boolean fromRun = run != null || checkpoint != null;
        if (fromRun == (real != null || fake != null)) {
            throw new BadInputException("give either --run DIR (or --checkpoint FILE), or both --real A.csv and --fake B.csv");
        }
        double[][] realRows;
        double[][] fakeRows;
        Mixture mixture = null;
        String source;
        if (fromRun) {
            if (n < 10 || n > 100_000) {
                throw new BadInputException("--n " + n + " is out of range (allowed: 10 to 100000)");
            }
            TrainedRun tr = checkpoint != null ? TrainedRun.openCheckpoint(checkpoint) : TrainedRun.open(run);
            Checkpoint ckpt = tr.checkpoint();
            Dataset data = tr.data();
            Method method = tr.method();
            data.evaluatesOnTrainingData().ifPresent(w -> System.err.println("ganflow: warning: " + w));
            try (Scope s = Scope.open()) {
                fakeRows = Ops.toRows(data.standardizer().toData(method.sample(n, Rng.derived(seed, "eval/generated"))));
                int m = Math.min(n, data.referenceSize());
                realRows = Ops.toRows(data.standardizer().toData(data.reference(m, Rng.derived(seed, "eval/reference"))));
            }
            mixture = data.mixture().orElse(null);
            source = ckpt.file() + " (step " + ckpt.step() + "), held-out " + data.name();
            if (out == null && run != null) {
                out = run.resolve("eval.json");
            }
        } else {
            if (real == null || fake == null) {
                throw new BadInputException("--real and --fake go together");
            }
            CsvTable a = CsvReader.read(real);
            CsvTable b = CsvReader.read(fake);
            if (a.columns() != b.columns()) {
                throw new BadInputException("--fake " + fake + " has " + b.columns() + " columns, --real " + real + " has "
                        + a.columns());
            }
            realRows = a.rows();
            fakeRows = b.rows();
            if (modes != null) {
                mixture = switch (modes) {
                    case "ring8" -> GaussianMixture.ring8().mixture().orElseThrow();
                    case "grid25" -> GaussianMixture.grid25().mixture().orElseThrow();
                    default -> throw new BadInputException("--modes " + modes + " is not allowed; allowed: ring8, grid25");
                };
            }
            source = real + " vs " + fake;
        }
        if (realRows.length < 10 || fakeRows.length < 10) {
            throw new BadInputException("need at least 10 samples per side, got " + realRows.length + " real and "
                    + fakeRows.length + " generated");
        }
        MetricSuite.Options o = new MetricSuite.Options(0.05, 200, 5, 3, 5, new double[0], seed);
        Map<String, MetricValue> result = MetricSuite.compute(realRows, fakeRows, mixture, names, o);
        print(System.out, source, result);
        Path file = out != null ? out : Path.of("eval.json");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source);
        json.put("real_samples", realRows.length);
        json.put("generated_samples", fakeRows.length);
        Map<String, Object> ms = new LinkedHashMap<>();
        result.forEach((k, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", MetricsLog.jsonNumber(v.value()));
            e.put("protocol", v.protocol());
            ms.put(k, e);
        });
        json.put("metrics", ms);
        try {
            Session.JSON.writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw CliFiles.cannotWrite("--out", file, e);
        }
        System.out.println("wrote " + file);
        return Main.OK;
    }

    static void print(PrintStream out, String source, Map<String, MetricValue> result) {
        out.println("evaluation of " + source);
        for (Map.Entry<String, MetricValue> e : result.entrySet()) {
            out.printf(Locale.ROOT, "  %-22s %12.6g   %s%n", e.getKey(), e.getValue().value(), e.getValue().protocol());
        }
    }
}
