package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/**
 * The MNIST MLP GAN that collapses (mnist-gan-mlp), made conditional with the same nets and budget: the generator
 * takes the class, the critic takes it by concatenation, projection or AC-GAN's auxiliary classifier.
 */
final class ConditioningCuresCollapse extends ImageExperiment {
    static final String UNCONDITIONAL = "unconditional (mnist-gan-mlp)";
    static final String CONCAT = "conditional, concatenating critic (mnist-cgan-mlp)";
    static final String PROJECTION = "conditional, projection critic";
    static final String ACGAN = "conditional, AC-GAN critic";
    static final double ACCURACY = 0.9;

    @Override
    public String claim() {
        return "The MNIST MLP GAN that covers a few classes unconditionally covers all ten when it is asked for each"
                + " class, drawing the class asked for (conditioning is the standard cure for the documents' GAN that"
                + " \"only draws 1\").";
    }

    @Override
    public String source() {
        return "docs/conditional.md (Mirza & Osindero 2014; Miyato & Koyama 2018; Odena et al. 2017); the issue"
                + " \"Class-conditional generation in every family\"";
    }

    @Override
    public String threshold() {
        return "Means over seeds, on the MNIST domain classifier's predictions: the unconditional GAN collapsed (fewer"
                + " than 10 classes or class KL ≥ " + MnistCollapse.COLLAPSED_KL + " nats); the conditional GAN of"
                + " mnist-cgan-mlp (concatenating critic), asked for the classes in turn, covers 10/10 classes in every"
                + " seed with classifier accuracy on the requested class ≥ " + ACCURACY + ". The projection and AC-GAN"
                + " critics are reported beside it, not judged.";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "The four runs for 20 steps each, evaluated once on 200 images (end to end only: no"
                + " verdict is expected at this scale)."
                : "The presets as shipped: mnist-gan-mlp (MLP generator 4 × 512 ReLU without batch norm, MLP critic"
                + " 3 × 512 LeakyReLU, non-saturating loss, Adam 2e-4, batch 64, 3,000 steps) and mnist-cgan-mlp, the"
                + " same nets and budget with the class as a learned 100-wide embedding beside z and a one-hot beside"
                + " the critic's input; then mnist-cgan-mlp with the projection critic (features 512) and with AC-GAN's"
                + " auxiliary classifier (weight 1). 2,000 images per evaluation, the conditional runs asked for the"
                + " classes in turn: classes covered, class KL, FID, classifier accuracy on the requested class and"
                + " intra-class FID, in the domain classifier's features against the test split.";
    }

    @Override
    public int defaultSeeds(Scale scale) {
        return scale == Scale.QUICK ? 1 : 3;
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 80 : 12_000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.images("samples", "MNIST, the same MLP nets: 64 samples of each (first seed; the"
                        + " conditional runs one row per class asked for, classes 0-7)"),
                Figure.lines("eval-class_accuracy", "classifier accuracy on the requested class during training", "step",
                        "accuracy", false, false),
                Figure.lines("eval-class_kl", "KL(predicted classes ‖ uniform) during training", "step", "nats", false,
                        false));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        List<String> curves = List.of("class_kl", "class_accuracy", "fid");
        ProjectionVsAcganVsConcat.arm(ctx, trial, UNCONDITIONAL, "mnist-gan-mlp", curves);
        ProjectionVsAcganVsConcat.arm(ctx, trial, CONCAT, "mnist-cgan-mlp", curves);
        ProjectionVsAcganVsConcat.arm(ctx, trial, PROJECTION, "mnist-cgan-mlp", curves, "model.d.condition", "projection");
        ProjectionVsAcganVsConcat.arm(ctx, trial, ACGAN, "mnist-cgan-mlp", curves, "model.d.condition", "acgan");
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition u = t.get("model", UNCONDITIONAL);
        ResultTable.Condition c = t.get("model", CONCAT);
        Verdict.Builder v = Verdict.builder();
        double uk = u.mean("class_kl");
        double uc = u.mean("classes_covered");
        double cc = c.mean("classes_covered");
        double ca = c.mean("class_accuracy");
        v.number("unconditional_classes", uc).number("unconditional_class_kl", uk)
                .number("conditional_classes", cc).number("conditional_accuracy", ca)
                .number("conditional_intra_fid", c.mean("intra_fid"))
                .number("projection_accuracy", t.get("model", PROJECTION).mean("class_accuracy"))
                .number("acgan_accuracy", t.get("model", ACGAN).mean("class_accuracy"));
        v.check(uc < 10 || uk >= MnistCollapse.COLLAPSED_KL, "the unconditional GAN collapsed: < 10 classes or class"
                + " KL ≥ " + MnistCollapse.COLLAPSED_KL);
        v.check(cc >= 10, "the conditional GAN covers 10/10 classes in every seed");
        v.check(ca >= ACCURACY, "the conditional GAN's accuracy on the requested class ≥ " + ACCURACY);
        return v.build("unconditional " + Toys.num(uc) + "/10 classes (class KL " + Toys.num(uk) + "); conditional"
                + " (concat) " + Toys.num(cc) + "/10, accuracy " + Toys.num(ca) + "; projection accuracy "
                + Toys.num(t.get("model", PROJECTION).mean("class_accuracy")) + "; AC-GAN accuracy "
                + Toys.num(t.get("model", ACGAN).mean("class_accuracy")));
    }
}
