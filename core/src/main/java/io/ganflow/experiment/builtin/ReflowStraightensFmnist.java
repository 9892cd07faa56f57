package io.ganflow.experiment.builtin;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.flow.FlowMethod;
import io.ganflow.flow.Solver;
import io.ganflow.metrics.ImageEvaluation;
import io.ganflow.metrics.MetricValue;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/**
 * The Fashion-MNIST half of {@link ReflowStraightens}: fmnist-reflow's three stages (1-RF, 2-RF, distilled),
 * each measured at its last step by the FID of one Euler step and of the preset's 20, beside the RectifiedFlow
 * paper's CIFAR-10 one-step trend.
 */
final class ReflowStraightensFmnist extends ImageExperiment {
    static final List<String> STAGES = List.of("1-RF", "2-RF", "2-RF distilled");
    static final String PRESET = "fmnist-reflow";

    @Override
    public String claim() {
        return new ReflowStraightens().claim() + " On images: Fashion-MNIST with a U-Net velocity net.";
    }

    @Override
    public String source() {
        return new ReflowStraightens().source();
    }

    @Override
    public String threshold() {
        return "Means over seeds on Fashion-MNIST, FID in the domain classifier's features: straightness of 2-RF ≤ 1/2 of"
                + " 1-RF's; the one-Euler-step FID of 2-RF ≤ 1/2 of 1-RF's; the distilled model's one-step FID ≤ 2-RF's"
                + " one-step FID (the paper's CIFAR-10 trend: 378 → 12.2 → 4.85).";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "fmnist-reflow cut to 30 steps (10 per stage) on 64 couplings, FID on 200 images"
                + " (end to end only)."
                : "The preset fmnist-reflow as shipped: U-Net (base 32 channels), Adam 2e-4, batch 64, 6,000 steps split"
                + " evenly into 1-RF, 2-RF on 2,000 Euler-20 couplings of 1-RF, and distillation into one step. At the"
                + " last step of each stage: FID, classes and KID of 2,000 images from one Euler step and from 20"
                + " (the distilled model: one step), straightness by RK4 on 256 prior draws.";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 30 : 6000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("stages", "Fashion-MNIST: FID by stage (1 = 1-RF, 2 = 2-RF, 3 = distilled)", "stage",
                "FID", false, true), Figure.images("samples", "Fashion-MNIST: one Euler step of each stage (first seed)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        ctx.status(PRESET);
        TrainingRun tr = Runs.build(ctx, trial, PRESET, PRESET, "eval", List.of(), ctx.quick()
                ? ImageRuns.quick(30, "flow.reflow.pairs", "64")
                : new String[] {"train.eval_every", "0"});
        FlowMethod flow = (FlowMethod) tr.method();
        ImageEvaluation eval = tr.evaluator().flatMap(e -> e.imageEvaluation()).orElseThrow(() ->
                new IllegalStateException("no image evaluation for " + PRESET + " (the domain classifier is missing)"));
        long total = tr.spec().steps();
        Map<Integer, Map<String, Double>> byStage = new LinkedHashMap<>();
        tr.addListener(new Listener() {
            @Override
            public void onStep(long step) {
                int stage = flow.stageOf(step, total);
                if (step == total || flow.stageOf(step + 1, total) > stage) {
                    ctx.status(PRESET + ": measuring " + STAGES.get(stage));
                    byStage.put(stage, measure(flow, eval, tr, trial, stage, ctx.seed(stage + 1)));
                    ctx.status(PRESET);
                }
            }
        });
        Runs.Done d = Runs.run(tr);
        for (int stage = 0; stage < STAGES.size(); stage++) {
            Map<String, Double> m = byStage.getOrDefault(stage, Map.of());
            Trial.Row row = trial.row("model", STAGES.get(stage));
            m.forEach(row::put);
            double straight = stage == 2 ? 0.0 : d.get("stage" + (stage + 1) + "_straightness");
            row.put("straightness", straight);
            trial.point("stages", "one Euler step", stage + 1, m.getOrDefault("fid_1step", Double.NaN));
            if (stage < 2) {
                trial.point("stages", "20 Euler steps", stage + 1, m.getOrDefault("fid_20steps", Double.NaN));
            }
        }
    }

    /** FID (and classes) of one Euler step and of the preset's solver, in float32, at a stage's last step. */
    private static Map<String, Double> measure(FlowMethod flow, ImageEvaluation eval, TrainingRun tr, Trial trial,
            int stage, long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        int n = eval.samples();
        try (Scope s = Scope.open(); Precision.Use fp32 = Precision.use(Precision.FP32)) {
            Tensor one = ImageEvaluation.generate((k, r) -> Ops.noGrad(() -> flow.sample(k, r, Solver.EULER,
                    Solver.Options.steps(1)).x()), n, new Rng(seed));
            put(out, "1step", eval.evaluate(one, Set.of("fid", "kid", "classes")));
            trial.images(ImageRuns.grid("samples", STAGES.get(stage) + ", one Euler step", tr.data(), one));
            if (!flow.isDistilled()) {
                Tensor many = ImageEvaluation.generate((k, r) -> Ops.noGrad(() -> flow.sample(k, r)), n, new Rng(seed));
                put(out, "20steps", eval.evaluate(many, Set.of("fid", "kid", "classes")));
            }
        }
        return out;
    }

    private static void put(Map<String, Double> out, String suffix, Map<String, MetricValue> m) {
        for (String k : List.of("fid", "kid", "classes_covered")) {
            MetricValue v = m.get(k);
            if (v != null) {
                out.put(k + "_" + suffix, v.value());
            }
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition one = t.get("model", STAGES.get(0));
        ResultTable.Condition two = t.get("model", STAGES.get(1));
        ResultTable.Condition dist = t.get("model", STAGES.get(2));
        double s1 = one.mean("straightness");
        double s2 = two.mean("straightness");
        double f1 = one.mean("fid_1step");
        double f2 = two.mean("fid_1step");
        double fd = dist.mean("fid_1step");
        double m1 = one.mean("fid_20steps");
        double m2 = two.mean("fid_20steps");
        Verdict.Builder v = Verdict.builder();
        v.number("straightness_1rf", s1).number("straightness_2rf", s2).number("fid_one_step_1rf", f1)
                .number("fid_one_step_2rf", f2).number("fid_one_step_distilled", fd).number("fid_20_steps_1rf", m1)
                .number("fid_20_steps_2rf", m2);
        v.check(s2 <= s1 / 2, "straightness of 2-RF ≤ 1/2 of 1-RF's");
        v.check(f2 <= f1 / 2, "one-step FID of 2-RF ≤ 1/2 of 1-RF's");
        v.check(fd <= f2, "distilled one-step FID ≤ 2-RF's one-step FID");
        return v.build("straightness " + Toys.num(s1) + " → " + Toys.num(s2) + "; one-step FID " + Toys.num(f1)
                + " (1-RF) → " + Toys.num(f2) + " (2-RF) → " + Toys.num(fd) + " (distilled); 20 Euler steps: "
                + Toys.num(m1) + " (1-RF), " + Toys.num(m2) + " (2-RF) (CIFAR-10, paper: 378 → 12.2 → 4.85)");
    }
}
