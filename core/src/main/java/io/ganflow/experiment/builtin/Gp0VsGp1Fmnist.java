package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/**
 * The Fashion-MNIST half of {@link Gp0VsGp1}: the zero-centred penalty against WGAN-GP's one-centred one with
 * fmnist-wgan-gp's DCGAN nets. Its own experiment so that the toy half runs without the data set.
 */
final class Gp0VsGp1Fmnist extends ImageExperiment {
    static final String GP1 = "gp1 (WGAN-GP)";
    static final String GP0 = "gp0 (zero-centred)";
    static final double FID_FACTOR = 1.25;

    @Override
    public String claim() {
        return new Gp0VsGp1().claim() + " On images: Fashion-MNIST with DCGAN nets.";
    }

    @Override
    public String source() {
        return new Gp0VsGp1().source();
    }

    @Override
    public String threshold() {
        return "Means over seeds on Fashion-MNIST, in the domain classifier's features: FID(gp0) ≤ " + FID_FACTOR
                + " · FID(gp1), and gp0 covers 10/10 classes.";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "fmnist-wgan-gp with gan.gp.center 1 and 0 for 10 steps each, evaluated on 200 images"
                + " (end to end only)."
                : "The preset fmnist-wgan-gp as shipped (DCGAN nets, layer-norm critic, λ 10, n_critic 5, Adam 1e-4 with"
                + " betas 0.5, 0.9, batch 64, 2,000 steps), once with gan.gp.center 1 (λ·E(‖∇f‖ − 1)²) and once with 0"
                + " ((λ/2)·E‖∇f‖²); FID, classes and KID of 2,000 generated images against the test split, evaluated"
                + " every 500 steps.";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 20 : 4000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("eval-fid", "Fashion-MNIST: FID during training, by penalty", "step", "FID", false,
                true), Figure.images("samples", "Fashion-MNIST: 64 samples of each penalty (first seed)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        for (String[] arm : new String[][] {{GP1, "1"}, {GP0, "0"}}) {
            ctx.status(arm[0]);
            String[] o = {"gan.gp.center", arm[1]};
            Runs.Done d = ImageRuns.train(ctx, trial, "fmnist-wgan-gp", arm[0], List.of("fid"),
                    ctx.quick() ? ImageRuns.concat(o, ImageRuns.quick(10)) : o);
            ImageRuns.metrics(trial.row("penalty", arm[0]), d);
            trial.images(ImageRuns.grid("samples", arm[0], d.run(), 7));
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition one = t.get("penalty", GP1);
        ResultTable.Condition zero = t.get("penalty", GP0);
        double f1 = one.mean("fid");
        double f0 = zero.mean("fid");
        double c1 = one.mean("classes_covered");
        double c0 = zero.mean("classes_covered");
        Verdict.Builder v = Verdict.builder();
        v.number("gp1_fid", f1).number("gp0_fid", f0).number("gp1_classes", c1).number("gp0_classes", c0);
        v.check(f0 <= FID_FACTOR * f1, "FID(gp0) ≤ " + FID_FACTOR + " · FID(gp1)");
        v.check(c0 >= 10, "gp0 covers 10/10 classes");
        return v.build("FID gp0 " + Toys.num(f0) + " (" + Toys.num(c0) + "/10 classes) against gp1 " + Toys.num(f1) + " ("
                + Toys.num(c1) + "/10)");
    }
}
