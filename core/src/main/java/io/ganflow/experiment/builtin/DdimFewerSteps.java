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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/**
 * DDIM's few-step claim on Fashion-MNIST: one trained fmnist-ddpm sampled by DDIM at η = 0 (deterministic) and at
 * η = 1 (the ancestral chain on the same sub-sequence of steps) at 10, 20, 50 and 100 steps.
 */
final class DdimFewerSteps extends ImageExperiment {
    static final String PRESET = "fmnist-ddpm";
    static final int[] STEPS = {10, 20, 50, 100};
    static final int[] QUICK_STEPS = {2, 5};
    static final double[] ETAS = {0, 1};
    /**
     * Images per sampler setting at full scale: the eight settings cost 180,000 network calls on single images, about
     * 20 minutes of one core here (7 ms a call beside another job).
     */
    static final int IMAGES = 500;
    static final int QUICK_IMAGES = 200;

    @Override
    public String claim() {
        return "DDIM's deterministic sampler (η = 0) keeps a DDPM's quality with few steps, where the ancestral"
                + " sampler (η = 1) degrades: the gap is largest at 10 steps and closes by 100 (Song, Meng & Ermon 2021,"
                + " table 1, CIFAR-10: FID 13.36 against 41.07 at 10 steps, 4.16 against 5.78 at 100).";
    }

    @Override
    public String source() {
        return "docs/diffusion.md (DDIM); the issue \"Diffusion and score models\"";
    }

    @Override
    public String threshold() {
        return "Means over seeds, FID in the pinned Fashion-MNIST classifier's features: η = 0 has the lower FID at 10"
                + " and at 20 steps; the ratio FID(η = 1)/FID(η = 0) is smaller at 100 steps than at 10; each sampler's"
                + " FID at 100 steps is below its FID at 10.";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "fmnist-ddpm for 30 steps, sampled at 2 and 5 steps with η = 0 and 1 on " + QUICK_IMAGES
                + " images (end to end only: no verdict is expected at this scale)."
                : "fmnist-ddpm as shipped (the U-Net of fmnist-rf predicting ε, linear β 1e-4 to 0.02, T = 1,000,"
                + " Adam 2e-4, batch 64, 3,000 steps, EMA 0.999), evaluated once at the end with its own sampler;"
                + " then " + IMAGES + " images from the EMA net by DDIM over 10, 20, 50 and 100 trailing steps at η = 0"
                + " and at η = 1, the same starting noise for every setting: FID, KID, classes covered (the FID of "
                + IMAGES + " images sits above that of 2,000; compare within the table).";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 30 : 3000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("fid-by-steps", "FID against the number of sampling steps (network evaluations)",
                        "steps", "FID", true, true),
                Figure.images("samples", "Fashion-MNIST, the same starting noise, by sampler and steps (first seed)"));
    }

    static String series(double eta) {
        return eta == 0 ? "DDIM (η = 0)" : "ancestral (η = 1)";
    }

    @Override
    public void run(Context ctx, Trial trial) {
        ctx.status(PRESET);
        TrainingRun tr = Runs.build(ctx, trial, PRESET, PRESET, "eval", List.of(), ctx.quick()
                ? ImageRuns.quick(30) : new String[] {"train.eval_every", "0"});
        Runs.Done d = Runs.run(tr);
        Double own = d.metrics().get("fid");
        if (own != null) {
            trial.note(PRESET + "'s own evaluation at its last step (DDIM η = 0, 20 trailing steps, "
                    + d.metrics().getOrDefault("image_samples", Double.NaN).intValue() + " images): FID "
                    + Toys.num(own));
        }
        Method m = tr.method();
        ImageEvaluation eval = tr.evaluator().flatMap(e -> e.imageEvaluation()).orElseThrow(() ->
                new IllegalStateException("no image evaluation for " + PRESET + " (the domain classifier is missing)"));
        int n = ctx.quick() ? QUICK_IMAGES : IMAGES;
        for (double eta : ETAS) {
            for (int steps : ctx.quick() ? QUICK_STEPS : STEPS) {
                ctx.status(PRESET + ": " + series(eta) + ", " + steps + " steps");
                long start = System.nanoTime();
                Map<String, Double> got = measure(m, eval, n, eta, steps, ctx.seed(1), trial, tr);
                Trial.Row row = trial.row("sampler", series(eta), "steps", Integer.toString(steps));
                got.forEach(row::put);
                row.put("seconds", (System.nanoTime() - start) / 1e9);
                trial.point("fid-by-steps", series(eta), steps, got.getOrDefault("fid", Double.NaN));
            }
        }
    }

    /** FID, KID and classes of n images by DDIM at η over the given steps; the first 8 go to the sample figure. */
    static Map<String, Double> measure(Method m, ImageEvaluation eval, int n, double eta, int steps, long seed,
            Trial trial, TrainingRun tr) {
        Map<String, Double> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            Tensor x = ImageRuns.inEvalMode(m, () -> ImageEvaluation.generate((c, r) -> Ops.toHost(m.sample(
                    SampleRequest.of(c, r).withProcedure("ddim").withOption("nfe", steps).withOption("eta", eta)
                            .withOption("spacing", "trailing")).x()), n, new Rng(seed)));
            Map<String, MetricValue> all = eval.evaluate(x, Set.of("fid", "kid", "classes"));
            for (String key : List.of("fid", "kid", "classes_covered", "class_kl")) {
                MetricValue v = all.get(key);
                if (v != null) {
                    out.put(key, v.value());
                }
            }
            trial.images(ImageRuns.grid("samples", series(eta) + ", " + steps + " steps", tr.data(), x.narrow(0, 0,
                    Math.min(16, n))));
        }
        return out;
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        int[] steps = scale == Scale.QUICK ? QUICK_STEPS : STEPS;
        Verdict.Builder v = Verdict.builder();
        double[][] fid = new double[ETAS.length][steps.length];
        for (int e = 0; e < ETAS.length; e++) {
            for (int i = 0; i < steps.length; i++) {
                fid[e][i] = t.get("sampler", series(ETAS[e]), "steps", Integer.toString(steps[i])).mean("fid");
                v.number("fid_eta" + (int) ETAS[e] + "_" + steps[i], fid[e][i]);
            }
        }
        int last = steps.length - 1;
        boolean fewer = true;
        for (int i = 0; i < Math.min(2, steps.length); i++) {
            fewer &= fid[0][i] < fid[1][i];
        }
        double gapFirst = fid[1][0] / fid[0][0];
        double gapLast = fid[1][last] / fid[0][last];
        v.number("ratio_first", gapFirst).number("ratio_last", gapLast);
        v.check(fewer, "η = 0 has the lower FID at " + steps[0] + " and " + steps[Math.min(1, last)] + " steps");
        v.check(gapLast < gapFirst, "the ratio FID(η = 1)/FID(η = 0) is smaller at " + steps[last] + " steps than at "
                + steps[0]);
        v.check(fid[0][last] < fid[0][0] && fid[1][last] < fid[1][0], "both samplers improve from " + steps[0] + " to "
                + steps[last] + " steps");
        StringBuilder h = new StringBuilder("FID η = 0 / η = 1 by steps:");
        for (int i = 0; i < steps.length; i++) {
            h.append(i == 0 ? " " : "; ").append(steps[i]).append(": ").append(Toys.num(fid[0][i])).append(" / ")
                    .append(Toys.num(fid[1][i]));
        }
        return v.build(h + " (CIFAR-10, paper: 13.36 / 41.07 at 10, 4.16 / 5.78 at 100)");
    }
}
