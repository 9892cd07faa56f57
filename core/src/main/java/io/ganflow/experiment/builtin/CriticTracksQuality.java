package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Stats;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.train.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Over training on Fashion-MNIST: Spearman's correlation between the WGAN-GP critic's W estimate and FID, beside
 * the same correlation for the standard GAN's discriminator loss.
 */
final class CriticTracksQuality extends ImageExperiment {
    @Override
    public String claim() {
        return "The WGAN critic's estimate of W tracks sample quality over training (it falls as FID falls), where the"
                + " standard GAN's discriminator loss says nothing about it.";
    }

    @Override
    public String source() {
        return "docs/spec.md A4-A5 (Arjovsky et al. 2017 section 4.2, figures 3-4)";
    }

    @Override
    public String threshold() {
        return "Over the evaluations of one run per seed, means over seeds: Spearman(W estimate, FID) ≥ 0.8 for WGAN-GP,"
                + " and it exceeds |Spearman(D loss, FID)| of the standard GAN by at least 0.3.";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "fmnist-wgan-gp and fmnist-dcgan for 20 steps, evaluated every 5 on 200 images (end to"
                + " end only)."
                : "fmnist-wgan-gp (2,000 steps) and fmnist-dcgan (3,000 steps) as shipped, evaluated every 200 steps (FID of"
                + " 2,000 generated images in the domain classifier's features against the test split); the critic's W"
                + " estimate and the GAN's D loss are averaged over the logged steps since the previous evaluation.";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 40 : 5000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("tracking", "Fashion-MNIST: FID and the critics' own numbers at each evaluation", "step",
                "value", false, false));
    }

    /** Logged statistic averaged over each evaluation window, paired with that evaluation's FID. */
    static final class Tracker implements Listener {
        final String stat;
        final List<Double> window = new ArrayList<>();
        final List<double[]> pairs = new ArrayList<>(); // step, stat mean, fid

        Tracker(String stat) {
            this.stat = stat;
        }

        @Override
        public void onLog(long step, Map<String, Double> stats) {
            Double v = stats.get(stat);
            if (v != null && Double.isFinite(v)) {
                window.add(v);
            }
        }

        @Override
        public void onEval(long step, Map<String, Double> metrics) {
            Double fid = metrics.get("fid");
            if (fid != null && !window.isEmpty()) {
                pairs.add(new double[] {step, Stats.mean(window), fid});
            }
            window.clear();
        }

        double spearman() {
            if (pairs.size() < 3) {
                return Double.NaN;
            }
            return Stats.spearman(pairs.stream().mapToDouble(p -> p[1]).toArray(),
                    pairs.stream().mapToDouble(p -> p[2]).toArray());
        }
    }

    @Override
    public void run(Context ctx, Trial trial) {
        String[][] arms = {{"WGAN-GP critic: W estimate", "fmnist-wgan-gp", "w_estimate"},
            {"standard GAN: D loss", "fmnist-dcgan", "d_loss"}};
        for (String[] a : arms) {
            ctx.status(a[0]);
            Tracker tr = new Tracker(a[2]);
            io.ganflow.run.TrainingRun.Builder b = ctx.training(a[1]).set("train.checkpoint_every", "0", "experiment")
                    .listener(tr);
            if (ctx.quick()) {
                String[] q = ImageRuns.quick(20, "train.eval_every", "5", "train.log_every", "1");
                for (int i = 0; i + 1 < q.length; i += 2) {
                    b.set(q[i], q[i + 1], "experiment");
                }
            } else {
                b.set("train.eval_every", "200", "experiment").set("eval.image_samples", "2000", "experiment");
            }
            b.build().train();
            double rho = tr.spearman();
            trial.row("run", a[0]).put("spearman_with_fid", rho).put("evaluations", tr.pairs.size());
            for (double[] p : tr.pairs) {
                trial.point("tracking", a[0], p[0], p[1]);
                trial.point("tracking", "FID / 100 (" + a[1] + ")", p[0], p[2] / 100);
            }
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        double w = t.get("run", "WGAN-GP critic: W estimate").mean("spearman_with_fid");
        double d = t.get("run", "standard GAN: D loss").mean("spearman_with_fid");
        Verdict.Builder v = Verdict.builder();
        v.number("spearman_w_estimate_fid", w).number("spearman_d_loss_fid", d);
        v.check(w >= 0.8, "Spearman(W estimate, FID) ≥ 0.8");
        v.check(w - Math.abs(d) >= 0.3, "it exceeds |Spearman(D loss, FID)| by ≥ 0.3");
        return v.build("Spearman with FID: WGAN-GP's W estimate " + Toys.num(w) + ", the standard GAN's D loss " + Toys.num(d));
    }
}
