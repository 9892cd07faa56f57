package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/** Reflow straightens the flow's paths, and a distilled one-step model keeps the quality (ring8). */
final class ReflowStraightens implements Experiment {
    @Override
    public String claim() {
        return "Reflow straightens the paths of a rectified flow, so one Euler step of 2-RF lands near the data where"
                + " one step of 1-RF does not, and a distilled one-step generator keeps the quality of the multi-step"
                + " flow (RectifiedFlow's CIFAR-10 trend, one-step FID 378 → 12.2 → 4.85 for 1-RF, 2-RF and 2-RF"
                + " distilled).";
    }

    @Override
    public String source() {
        return "docs/spec.md C4-C5 (Liu, Gong and Liu 2022); docs/flows.md";
    }

    @Override
    public String threshold() {
        return "Means over seeds on ring8: straightness of 2-RF ≤ 1/10 of 1-RF's; one-Euler-step W1 of 2-RF ≤ 1/5 of"
                + " 1-RF's; the distilled one-step W1 ≤ 1.5 × 2-RF's W1 with RK45. (The Fashion-MNIST half, with one-step"
                + " FID, is its own experiment, reflow-straightens-fmnist.)";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "ring8-reflow with 600 steps per stage and 1,000 couplings."
                : "The preset ring8-reflow as shipped: a 128 × 3 SiLU velocity net, 8,000 steps per stage (1-RF, 2-RF on"
                + " 10,000 RK45 couplings, distillation), Adam 1e-3, batch 256; straightness by RK4 with 100 steps and"
                + " exact W1 on 1,000 prior draws against 1,000 held-out points, per stage.";
    }

    @Override
    public int defaultSeeds(Scale scale) {
        return scale == Scale.QUICK ? 1 : 2;
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 1800 : 24_000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("stages", "ring8: straightness and one-step W1 by stage (1 = 1-RF, 2 = 2-RF, 3 ="
                + " distilled)", "stage", "value", false, true));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        ctx.status("ring8-reflow");
        Runs.Done d = ctx.quick()
                ? Runs.train(ctx, trial, "ring8-reflow", "ring8", "eval", List.of(), "train.steps", "1800",
                        "flow.reflow.pairs", "1000", "train.eval_every", "0", "train.eval_samples", "1000",
                        "train.w1_samples", "500")
                : Runs.train(ctx, trial, "ring8-reflow", "ring8", "eval", List.of(), "train.eval_every", "0");
        trial.row("model", "1-RF").put("straightness", d.get("stage1_straightness")).put("w1_rk45", d.get("stage1_w1_rk45"))
                .put("nfe_rk45", d.get("stage1_nfe_rk45")).put("w1_one_euler_step", d.get("stage1_w1_euler1"));
        trial.row("model", "2-RF").put("straightness", d.get("stage2_straightness")).put("w1_rk45", d.get("stage2_w1_rk45"))
                .put("nfe_rk45", d.get("stage2_nfe_rk45")).put("w1_one_euler_step", d.get("stage2_w1_euler1"));
        trial.row("model", "2-RF distilled").put("straightness", 0).put("w1_one_euler_step", d.get("stage3_w1_1step"))
                .put("nfe_rk45", 1);
        trial.point("stages", "straightness", 1, d.get("stage1_straightness"))
                .point("stages", "straightness", 2, d.get("stage2_straightness"))
                .point("stages", "W1 of one step", 1, d.get("stage1_w1_euler1"))
                .point("stages", "W1 of one step", 2, d.get("stage2_w1_euler1"))
                .point("stages", "W1 of one step", 3, d.get("stage3_w1_1step"));
        if (d.metrics().keySet().stream().noneMatch(k -> k.startsWith("stage3_"))) {
            trial.note("no stage-3 metrics: " + d.metrics().keySet());
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition one = t.get("model", "1-RF");
        ResultTable.Condition two = t.get("model", "2-RF");
        ResultTable.Condition dist = t.get("model", "2-RF distilled");
        Verdict.Builder v = Verdict.builder();
        double s1 = one.mean("straightness");
        double s2 = two.mean("straightness");
        double e1 = one.mean("w1_one_euler_step");
        double e2 = two.mean("w1_one_euler_step");
        double d1 = dist.mean("w1_one_euler_step");
        double r2 = two.mean("w1_rk45");
        v.number("straightness_1rf", s1).number("straightness_2rf", s2).number("w1_one_step_1rf", e1)
                .number("w1_one_step_2rf", e2).number("w1_one_step_distilled", d1).number("w1_rk45_2rf", r2);
        v.check(s2 <= s1 / 10, "straightness of 2-RF ≤ 1/10 of 1-RF's");
        v.check(e2 <= e1 / 5, "one-step W1 of 2-RF ≤ 1/5 of 1-RF's");
        v.check(d1 <= 1.5 * r2, "distilled one-step W1 ≤ 1.5 × 2-RF's RK45 W1");
        return v.build("straightness " + Toys.num(s1) + " → " + Toys.num(s2) + "; one-step W1 " + Toys.num(e1) + " (1-RF) → "
                + Toys.num(e2) + " (2-RF) → " + Toys.num(d1) + " (distilled; 2-RF with RK45: " + Toys.num(r2) + ")");
    }
}
