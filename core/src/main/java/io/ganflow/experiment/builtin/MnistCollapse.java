package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/** A standard GAN that collapses on MNIST, against WGAN-GP with the same nets. */
final class MnistCollapse extends ImageExperiment {
    static final String GAN = "standard GAN (mnist-gan-mlp)";
    static final String WGAN = "WGAN-GP (mnist-wgan-mlp)";
    static final double COLLAPSED_KL = 1.0;
    static final double BALANCED_KL = 0.2;

    @Override
    public String claim() {
        return "A plain GAN on MNIST collapses onto one or a few digits, where WGAN-GP with the same generator and critic"
                + " keeps drawing all ten.";
    }

    @Override
    public String source() {
        return "docs/images.md (the documents' architecture claim: Arjovsky et al. 2017 section 4.3)";
    }

    @Override
    public String threshold() {
        return "Means over seeds, on the MNIST domain classifier's predictions of the generated digits: the standard GAN"
                + " has class KL to uniform ≥ " + COLLAPSED_KL + " nats (fewer than about e^(ln 10 − 1) ≈ 3.7 effective"
                + " classes) or covers fewer than 10 classes; WGAN-GP covers 10/10 in every seed with class KL ≤ "
                + BALANCED_KL + " nats.";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "mnist-gan-mlp and mnist-wgan-mlp for 20 steps each, evaluated once on 200 images"
                + " (end to end only: no verdict is expected at this scale)."
                : "The presets as shipped: the same MLP generator (4 × 512 ReLU, no batch norm) and MLP critic; the"
                + " standard GAN with the non-saturating loss for 3,000 steps (Adam 2e-4), WGAN-GP (λ 10, n_critic 5,"
                + " Adam 1e-4, betas 0.5, 0.9) for 2,000; batch 64. Classes covered (≥ 1 image) and KL(q‖uniform) of the"
                + " predicted classes of 2,000 generated digits, FID in the classifier's features against the test"
                + " split.";
    }

    @Override
    public int defaultSeeds(Scale scale) {
        return scale == Scale.QUICK ? 1 : 2;
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 40 : 5000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.images("samples", "MNIST, the same MLP nets: 64 samples of each (first seed)"),
                Figure.lines("eval-class_kl", "KL(predicted classes ‖ uniform) during training", "step", "nats", false,
                        false),
                Figure.lines("eval-fid", "FID (domain classifier) during training", "step", "FID", false, true));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        List<String> curves = List.of("class_kl", "fid");
        ctx.status(GAN);
        Runs.Done gan = ctx.quick() ? ImageRuns.train(ctx, trial, "mnist-gan-mlp", GAN, curves, ImageRuns.quick(20))
                : ImageRuns.train(ctx, trial, "mnist-gan-mlp", GAN, curves);
        ImageRuns.metrics(trial.row("model", GAN), gan);
        trial.images(ImageRuns.grid("samples", GAN, gan.run(), 7));
        ctx.status(WGAN);
        Runs.Done wgan = ctx.quick() ? ImageRuns.train(ctx, trial, "mnist-wgan-mlp", WGAN, curves, ImageRuns.quick(20))
                : ImageRuns.train(ctx, trial, "mnist-wgan-mlp", WGAN, curves);
        ImageRuns.metrics(trial.row("model", WGAN), wgan);
        trial.images(ImageRuns.grid("samples", WGAN, wgan.run(), 7));
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition g = t.get("model", GAN);
        ResultTable.Condition w = t.get("model", WGAN);
        Verdict.Builder v = Verdict.builder();
        double gk = g.mean("class_kl");
        double gc = g.mean("classes_covered");
        double wk = w.mean("class_kl");
        double wc = w.mean("classes_covered");
        v.number("gan_class_kl", gk).number("gan_classes", gc).number("gan_fid", g.mean("fid")).number("wgan_class_kl", wk)
                .number("wgan_classes", wc).number("wgan_fid", w.mean("fid"));
        v.check(gk >= COLLAPSED_KL || gc < 10, "standard GAN collapsed: class KL ≥ " + COLLAPSED_KL + " or < 10 classes");
        v.check(wc >= 10, "WGAN-GP covers 10/10 classes in every seed");
        v.check(wk <= BALANCED_KL, "WGAN-GP class KL ≤ " + BALANCED_KL);
        return v.build("standard GAN " + Toys.num(gc) + "/10 classes, class KL " + Toys.num(gk) + ", FID "
                + Toys.num(g.mean("fid")) + "; WGAN-GP " + Toys.num(wc) + "/10, class KL " + Toys.num(wk) + ", FID "
                + Toys.num(w.mean("fid")));
    }
}
