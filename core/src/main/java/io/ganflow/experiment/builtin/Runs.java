package io.ganflow.experiment.builtin;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Trial;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import io.ganflow.train.TrainResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** Training runs of the experiments: a preset with overrides, its evaluations recorded as figure points. */
final class Runs {
    private Runs() {}

    /** What a run gave: its final evaluation, its seconds, and the run itself (for samples). */
    record Done(TrainingRun run, TrainResult result, Map<String, Double> metrics) {
        double get(String key) {
            return metrics.getOrDefault(key, Double.NaN);
        }
    }

    /**
     * Trains {@code preset} with the overrides ("key", "value", ...), adding each evaluation's {@code curveKeys}
     * to the figure {@code figure + "-" + key} under the series {@code series}.
     */
    static Done train(Context ctx, Trial trial, String preset, String series, String figure, List<String> curveKeys,
            String... overrides) {
        return run(build(ctx, trial, preset, series, figure, curveKeys, overrides));
    }

    private static TrainingRun.Builder builder(Context ctx, Trial trial, String preset, String series, String figure,
            List<String> curveKeys, String... overrides) {
        TrainingRun.Builder b = ctx.training(preset).set("train.checkpoint_every", "0", "experiment");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            b.set(overrides[i], overrides[i + 1], "experiment");
        }
        b.listener(new Listener() {
            @Override
            public void onEval(long step, Map<String, Double> metrics) {
                for (String k : curveKeys) {
                    Double v = metrics.get(k);
                    if (v != null && Double.isFinite(v)) {
                        trial.point(figure + "-" + k, series, step, v);
                    }
                }
            }
        });
        return b;
    }

    /** {@link #train} without the training: the run as built, for a caller that adds listeners first. */
    static TrainingRun build(Context ctx, Trial trial, String preset, String series, String figure,
            List<String> curveKeys, String... overrides) {
        return builder(ctx, trial, preset, series, figure, curveKeys, overrides).build();
    }

    /** Trains a built run to its end. */
    static Done run(TrainingRun tr) {
        TrainResult r = tr.train();
        return new Done(tr, r, new LinkedHashMap<>(r.finalMetrics()));
    }

    /** n generated points in data space (2-D toys), from a fixed seed. */
    static double[][] samples(TrainingRun tr, int n, long seed) {
        try (Scope s = Scope.open()) {
            Tensor x = tr.method().sample(n, new Rng(seed));
            return Ops.toRows(tr.data().standardizer().toData(x));
        }
    }

    /** n held-out (or training) data points in data space. */
    static double[][] data(TrainingRun tr, int n, long seed) {
        try (Scope s = Scope.open()) {
            Tensor x = tr.data().sample(n, new Rng(seed));
            return Ops.toRows(tr.data().standardizer().toData(x));
        }
    }

    /** The mode metrics and W1 of a toy run as a table row. */
    static Trial.Row modeRow(Trial.Row row, Done d) {
        return row.put("modes_covered", d.get("modes_covered")).put("modes_total", d.get("modes_total"))
                .put("high_quality", d.get("high_quality_fraction")).put("reverse_kl", d.get("reverse_kl_modes"))
                .put("w1", d.get("w1")).put("seconds", d.result().seconds());
    }
}
