package io.ganflow.experiment.builtin;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.metrics.ImageEvaluation;
import io.ganflow.metrics.MetricValue;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/** Classifier-free guidance's trade-off on Fashion-MNIST: one conditional flow sampled at several guidance scales. */
final class GuidanceTradeoff extends ImageExperiment {
    static final String PRESET = "fmnist-rf-cfg";
    static final double[] SCALES = {0, 0.5, 1, 2, 4};
    static final double[] QUICK_SCALES = {0, 1};
    /** How much a later scale's accuracy may fall below an earlier one's and still count as rising (sampling noise). */
    static final double SLACK = 0.01;

    @Override
    public String claim() {
        return "Classifier-free guidance trades diversity for fidelity to the class: as the guidance scale w grows, the"
                + " classifier's accuracy on the requested class rises, while the FID is lowest at a moderate w (Ho &"
                + " Salimans 2022, figure 4 and table 1).";
    }

    @Override
    public String source() {
        return "docs/conditional.md (Ho & Salimans 2022); the issue \"Class-conditional generation in every family\"";
    }

    @Override
    public String threshold() {
        return "Means over seeds, one trained fmnist-rf-cfg sampled at w ∈ {0, 0.5, 1, 2, 4}: the accuracy on the"
                + " requested class never falls by more than " + SLACK + " from one w to the next and is higher at w = 4"
                + " than at w = 0; the lowest FID is at w = 0.5, 1 or 2. Reported beside it: the best accuracy (the"
                + " preset's goal is ≥ 0.97).";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "fmnist-rf-cfg for 30 steps, sampled at w = 0 and 1 on 200 images (end to end only:"
                + " no verdict is expected at this scale)."
                : "fmnist-rf-cfg as shipped (the U-Net of fmnist-rf with a class embedding, labels dropped to ∅ with"
                + " probability 0.1, Adam 2e-4, batch 64, 3,000 steps), evaluated once at the end; then 2,000 images at"
                + " each w, asked for the classes in turn, by Euler with 20 steps (40 network calls at w > 0): FID,"
                + " classifier accuracy on the requested class, intra-class FID and coverage, classes covered, in the"
                + " pinned Fashion-MNIST classifier's features.";
    }

    @Override
    public int defaultSeeds(Scale scale) {
        return 1;
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 30 : 6000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("tradeoff-accuracy", "accuracy on the requested class against the guidance scale",
                        "w", "accuracy", false, false),
                Figure.lines("tradeoff-fid", "FID against the guidance scale", "w", "FID", false, false),
                Figure.images("samples", "Fashion-MNIST, one row per class (classes 0-7), by guidance scale (first"
                        + " seed)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        ctx.status(PRESET);
        TrainingRun tr = Runs.build(ctx, trial, PRESET, PRESET, "eval", List.of(), ctx.quick()
                ? ImageRuns.quick(30) : new String[] {"train.eval_every", "0"});
        Runs.run(tr);
        Method m = tr.method();
        ImageEvaluation eval = tr.evaluator().flatMap(e -> e.imageEvaluation()).orElseThrow(() ->
                new IllegalStateException("no image evaluation for " + PRESET + " (the domain classifier is missing)"));
        for (double w : ctx.quick() ? QUICK_SCALES : SCALES) {
            ctx.status(PRESET + ": sampling at w = " + w);
            Map<String, Double> got = measure(m, eval, w, ctx.seed(1));
            Trial.Row row = trial.row("guidance", Toys.num(w));
            got.forEach(row::put);
            trial.point("tradeoff-accuracy", "fmnist-rf-cfg", w, got.getOrDefault("class_accuracy", Double.NaN));
            trial.point("tradeoff-fid", "fmnist-rf-cfg", w, got.getOrDefault("fid", Double.NaN));
            try (Scope s = Scope.open()) {
                long[] rows = new long[64];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = i / 8;
                }
                Tensor x = ImageRuns.inEvalMode(m, () -> m.sample(SampleRequest.of(64, new Rng(7)).withLabels(rows)
                        .withOption("guidance", w)).x());
                trial.images(ImageRuns.grid("samples", "w = " + Toys.num(w), tr.data(), x));
            }
        }
    }

    /** The image metrics of eval.samples() images asked for the classes in turn, sampled at guidance w. */
    static Map<String, Double> measure(Method m, ImageEvaluation eval, double w, long seed) {
        int n = eval.samples();
        int k = m.classes();
        long[] asked = io.ganflow.train.Evaluator.balancedLabels(n, k);
        Map<String, Double> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            int[] next = {0};
            Tensor x = ImageRuns.inEvalMode(m, () -> ImageEvaluation.generate((c, r) -> {
                long[] l = Arrays.copyOfRange(asked, next[0], next[0] + c);
                next[0] += c;
                return Ops.toHost(m.sample(SampleRequest.of(c, r).withLabels(l).withOption("guidance", w)).x());
            }, n, new Rng(seed)));
            Map<String, MetricValue> all = new LinkedHashMap<>(eval.evaluate(x, Set.of("fid", "classes", "prdc")));
            all.putAll(eval.conditional(x, asked));
            for (String key : List.of("fid", "class_accuracy", "class_accuracy_min", "intra_fid", "intra_coverage",
                    "classes_covered", "class_kl", "precision", "recall", "coverage")) {
                MetricValue v = all.get(key);
                if (v != null) {
                    out.put(key, v.value());
                }
            }
        }
        return out;
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        double[] scales = scale == Scale.QUICK ? QUICK_SCALES : SCALES;
        Verdict.Builder v = Verdict.builder();
        double[] acc = new double[scales.length];
        double[] fid = new double[scales.length];
        int best = 0;
        boolean rising = true;
        for (int i = 0; i < scales.length; i++) {
            ResultTable.Condition c = t.get("guidance", Toys.num(scales[i]));
            acc[i] = c.mean("class_accuracy");
            fid[i] = c.mean("fid");
            v.number("accuracy_w" + Toys.num(scales[i]), acc[i]).number("fid_w" + Toys.num(scales[i]), fid[i]);
            best = fid[i] < fid[best] ? i : best;
            rising &= i == 0 || acc[i] >= acc[i - 1] - SLACK;
        }
        double bestAccuracy = Arrays.stream(acc).max().orElse(Double.NaN);
        v.number("best_accuracy", bestAccuracy);
        v.check(rising && acc[acc.length - 1] > acc[0], "accuracy rises with w");
        v.check(best > 0 && best < scales.length - 1, "the lowest FID at a moderate w");
        StringBuilder h = new StringBuilder("accuracy / FID by w:");
        for (int i = 0; i < scales.length; i++) {
            h.append(i == 0 ? " " : "; ").append(Toys.num(scales[i])).append(": ").append(Toys.num(acc[i])).append(" / ")
                    .append(Toys.num(fid[i]));
        }
        return v.build(h + " (best accuracy " + Toys.num(bestAccuracy) + "; goal ≥ 0.97)");
    }
}
