package io.ganflow.experiment.builtin;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Trial;
import io.ganflow.nn.Module;
import io.ganflow.run.TrainingRun;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** Helpers of the image experiments: quick settings, sample grids, the image metrics as table values. */
final class ImageRuns {
    /** Image metrics copied into the table when present. */
    static final List<String> KEYS = List.of("fid", "fid_floor", "classes_covered", "class_kl", "modes_covered",
            "reverse_kl_modes", "kid", "precision", "recall", "coverage", "class_accuracy", "class_accuracy_min",
            "intra_fid", "intra_coverage");

    private ImageRuns() {}

    /** Overrides that make an image run end to end in seconds: a few steps, one small evaluation. */
    static String[] quick(int steps, String... more) {
        List<String> s = new ArrayList<>(List.of("train.steps", Integer.toString(steps), "train.eval_every", "0",
                "train.eval_samples", "200", "train.w1_samples", "100", "eval.image_samples", "200",
                "eval.stacked_samples", "500", "train.log_every", "5"));
        s.addAll(List.of(more));
        return s.toArray(String[]::new);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The image metrics of a finished run, into a row. */
    static Trial.Row metrics(Trial.Row row, Runs.Done d) {
        for (String k : KEYS) {
            Double v = d.metrics().get(k);
            if (v != null) {
                row.put(k, v);
            }
        }
        return row.put("seconds", d.result().seconds());
    }

    /** 64 generated images of a run (fixed latents) as an image figure entry. */
    static Trial.Images grid(String figure, String title, TrainingRun tr, long seed) {
        return inEvalMode(tr.method(), () -> gridOf(figure, title, tr, seed));
    }

    /** Runs {@code body} with the method's networks in evaluation mode, then restores each one's mode. */
    static <T> T inEvalMode(io.ganflow.train.Method method, java.util.function.Supplier<T> body) {
        Map<Module, Boolean> was = new IdentityHashMap<>();
        for (Module m : method.networks().values()) {
            was.putIfAbsent(m, m.isTraining());
        }
        try {
            was.keySet().forEach(m -> m.train(false));
            return body.get();
        } finally {
            was.forEach(Module::train);
        }
    }

    private static Trial.Images gridOf(String figure, String title, TrainingRun tr, long seed) {
        try (Scope s = Scope.open()) {
            int k = tr.method().classes();
            if (k > 0) {
                // a conditional generator draws one row of 8 per class asked for: classes 0, 1, ... in turn
                long[] rows = new long[64];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = (i / 8) % k;
                }
                return grid(figure, title, tr.data(), tr.method().sample(io.ganflow.train.SampleRequest.of(64,
                        new Rng(seed)).withLabels(rows)).x());
            }
            return grid(figure, title, tr.data(), tr.method().sample(64, new Rng(seed)));
        }
    }

    /** Generated images in model space (the first 64 rows of {@code x}) as an image figure entry. */
    static Trial.Images grid(String figure, String title, Dataset data, Tensor x) {
        long[] shape = data.shape();
        if (shape.length != 3) {
            throw new IllegalStateException("not an image data set: " + data.name());
        }
        int n = (int) Math.min(64, x.size(0));
        try (Scope s = Scope.open()) {
            float[] v = Ops.toFloats(data.standardizer().toData(x.narrow(0, 0, n)));
            byte[] b = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = (byte) (v[i] > 0 ? Math.min(255, Math.round(v[i])) : 0);
            }
            return new Trial.Images(figure, title, n, (int) shape[0], (int) shape[1], (int) shape[2], b);
        }
    }

    /** Runs with a context's training settings, for image presets. */
    static Runs.Done train(Context ctx, Trial trial, String preset, String series, List<String> curveKeys,
            String... overrides) {
        return Runs.train(ctx, trial, preset, series, "eval", curveKeys, overrides);
    }
}
