package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Context;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import java.util.List;

/** WGAN-GP and the standard GAN with an MLP generator without batch norm, and with DCGAN nets, on MNIST. */
final class ArchitectureRobustness extends ImageExperiment {
    record Arm(String loss, String nets, String preset, String[] overrides) {}

    static final List<Arm> ARMS = List.of(new Arm("standard GAN", "MLP, no batch norm", "mnist-gan-mlp", new String[0]),
            new Arm("WGAN-GP", "MLP, no batch norm", "mnist-wgan-mlp", new String[0]),
            new Arm("standard GAN", "DCGAN", "fmnist-dcgan", new String[] {"data.name", "mnist"}),
            new Arm("WGAN-GP", "DCGAN", "fmnist-wgan-gp", new String[] {"data.name", "mnist"}));

    @Override
    public String claim() {
        return "WGAN(-GP) trains with architectures that break the standard GAN: with a generator without batch norm (an"
                + " MLP) the standard GAN fails where WGAN-GP still works, while with DCGAN nets both work.";
    }

    @Override
    public String source() {
        return "docs/images.md (Arjovsky et al. 2017 section 4.3, figures 5-6)";
    }

    @Override
    public String threshold() {
        return "Means over seeds, FID in the MNIST classifier's features: with the MLP, FID(standard GAN) ≥ 2 ×"
                + " FID(WGAN-GP); with DCGAN nets, FID(standard GAN) ≤ 2 × FID(WGAN-GP).";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "The four arms for 10 steps each, evaluated on 200 images (end to end only)."
                : "MNIST. MLP: mnist-gan-mlp (3,000 steps) and mnist-wgan-mlp (2,000 steps), the same 4 × 512 generator"
                + " without batch norm. DCGAN: fmnist-dcgan (3,000 steps, batch norm) and fmnist-wgan-gp (2,000 steps,"
                + " layer-norm critic) with data.name = mnist. FID of 2,000 generated digits against the test split.";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 40 : 10_000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.images("samples", "MNIST: 64 samples of each arm (first seed)"),
                Figure.lines("eval-fid", "FID during training", "step", "FID", false, true));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        for (Arm a : ARMS) {
            String label = a.loss() + ", " + a.nets();
            ctx.status(label);
            String[] o = ctx.quick() ? ImageRuns.concat(a.overrides(), ImageRuns.quick(10)) : a.overrides();
            Runs.Done d = ImageRuns.train(ctx, trial, a.preset(), label, List.of("fid"), o);
            ImageRuns.metrics(trial.row("loss", a.loss(), "nets", a.nets()), d);
            trial.images(ImageRuns.grid("samples", label, d.run(), 7));
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        double gm = t.get("loss", "standard GAN", "nets", "MLP, no batch norm").mean("fid");
        double wm = t.get("loss", "WGAN-GP", "nets", "MLP, no batch norm").mean("fid");
        double gd = t.get("loss", "standard GAN", "nets", "DCGAN").mean("fid");
        double wd = t.get("loss", "WGAN-GP", "nets", "DCGAN").mean("fid");
        Verdict.Builder v = Verdict.builder();
        v.number("fid_gan_mlp", gm).number("fid_wgan_mlp", wm).number("fid_gan_dcgan", gd).number("fid_wgan_dcgan", wd);
        v.check(gm >= 2 * wm, "MLP: FID(standard GAN) ≥ 2 × FID(WGAN-GP)");
        v.check(gd <= 2 * wd, "DCGAN: FID(standard GAN) ≤ 2 × FID(WGAN-GP)");
        return v.build("FID, MLP: standard GAN " + Toys.num(gm) + ", WGAN-GP " + Toys.num(wm) + "; DCGAN: standard GAN "
                + Toys.num(gd) + ", WGAN-GP " + Toys.num(wd));
    }
}
