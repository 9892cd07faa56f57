package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The Fashion-MNIST half of {@link MonoflowH}: every h of the MonoFlow family with fmnist-dcgan's nets and
 * optimiser. h = logsig is the non-saturating loss, the reference the others are judged against.
 */
final class MonoflowHFmnist extends ImageExperiment {
    static final String REFERENCE = "logsig";
    static final double FID_FACTOR = 2.0;
    static final int STEPS = 2000;

    @Override
    public String claim() {
        return new MonoflowH().claim() + " On images: Fashion-MNIST with DCGAN nets.";
    }

    @Override
    public String source() {
        return new MonoflowH().source();
    }

    @Override
    public String threshold() {
        return "For every h (means over seeds), in the domain classifier's features: 10/10 classes covered, and FID ≤ "
                + FID_FACTOR + " × FID of h = logsig (−E log σ(D), the non-saturating loss, the DCGAN baseline).";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "fmnist-dcgan with gan.objective monoflow and each h for 10 steps, evaluated on 200"
                + " images (end to end only)."
                : "The preset fmnist-dcgan (DCGAN nets with batch norm, Adam 2e-4 with β1 0.5, batch 64) with gan.objective"
                + " = monoflow and gan.monoflow.h ∈ {logit, log_sigmoid, softplus, arcsinh, exp}, " + STEPS + " steps each;"
                + " FID, classes and KID of 2,000 generated images against the test split, evaluated every 1,000 steps.";
    }

    @Override
    public long units(Scale s) {
        return (s == Scale.QUICK ? 10L : STEPS) * MonoflowH.HS.size();
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("eval-fid", "Fashion-MNIST: FID during training, by h", "step", "FID", false, true),
                Figure.images("samples", "Fashion-MNIST: 64 samples of each h (first seed)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        for (String h : MonoflowH.HS) {
            ctx.status("h = " + h);
            String[] o = {"gan.objective", "monoflow", "gan.monoflow.h", h.equals("logsig") ? "log_sigmoid" : h};
            Runs.Done d = ImageRuns.train(ctx, trial, "fmnist-dcgan", h, List.of("fid"), ctx.quick()
                    ? ImageRuns.concat(o, ImageRuns.quick(10))
                    : ImageRuns.concat(o, "train.steps", Integer.toString(STEPS)));
            ImageRuns.metrics(trial.row("h", h), d);
            trial.images(ImageRuns.grid("samples", "h = " + h, d.run(), 7));
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        double ref = t.get("h", REFERENCE).mean("fid");
        Verdict.Builder v = Verdict.builder();
        List<String> parts = new ArrayList<>();
        for (String h : MonoflowH.HS) {
            ResultTable.Condition c = t.get("h", h);
            double fid = c.mean("fid");
            double classes = c.mean("classes_covered");
            v.number(h + "_fid", fid).number(h + "_classes", classes);
            v.check(classes >= 10, h + ": 10/10 classes");
            v.check(fid <= FID_FACTOR * ref, h + ": FID ≤ " + FID_FACTOR + " × FID(" + REFERENCE + ")");
            parts.add(h + " FID " + Toys.num(fid) + " (" + Toys.num(classes) + "/10)");
        }
        return v.build(String.join("; ", parts));
    }
}
