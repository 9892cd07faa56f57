package io.ganflow.experiment.builtin;

import io.ganflow.data.Mixture;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.metrics.ModeMetrics;
import io.ganflow.metrics.ModeReport;
import io.ganflow.metrics.Transport;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documents' three families side by side on grid25: WGAN-GP (a generator trained through a critic), rectified
 * flow (a velocity field, sampled by an ODE) and DDPM (a noise predictor, sampled by DDIM or DPM-Solver++), each
 * preset as shipped, measured against its training CPU time and against the network evaluations of sampling.
 */
final class ThreeFamilies implements Experiment {
    /** The sampler series of a family: (series, procedure, options before the NFE). */
    private record Sampler(String series, String procedure, String... options) {}

    /** A family: its name, its preset, the preset's training steps and how it samples. */
    private record Family(String name, String preset, long steps, List<Sampler> samplers) {}

    static final List<Family> FAMILIES = List.of(
            new Family("WGAN-GP", "grid25-wgan-gp", 10000, List.of(new Sampler("WGAN-GP generator", "generator"))),
            new Family("rectified flow", "grid25-rf", 12000, List.of(new Sampler("rectified flow, Euler", "ode",
                    "solver", "euler"))),
            new Family("DDPM", "grid25-ddpm", 30000, List.of(new Sampler("DDPM, DDIM η = 0", "ddim", "eta", "0",
                    "spacing", "trailing"), new Sampler("DDPM, DPM-Solver++(2M)", "dpmpp2m"))));
    static final int[] NFES = {1, 2, 4, 8, 16, 32, 64};
    static final int[] QUICK_NFES = {1, 4};
    static final int N = 2000;
    static final int QUICK_N = 500;
    static final int QUICK_STEPS = 300;
    /** Within this factor of its best W1 over the NFE grid, a sampler counts as converged. */
    static final double NEAR_BEST = 1.1;
    static final int EVALS = 10;

    @Override
    public String claim() {
        return "GANs, flows and diffusion models are one family of dynamics seen at different times: trained on the"
                + " same data at their presets' budgets, all three cover every mode; the GAN generates in one network"
                + " evaluation, while the flow and the diffusion model integrate an ODE, and the flow's straight"
                + " interpolation paths need no more steps than the diffusion model's curved ones.";
    }

    @Override
    public String source() {
        return "docs/diffusion.md (three families); docs/spec.md (the documents' unification: MonoFlow, ReFlow → WGAN,"
                + " DDPM as a score model); Liu, Gong & Liu 2022, section 3 (straight paths need fewer steps)";
    }

    @Override
    public String threshold() {
        return "Means over seeds on grid25 (25 modes), " + N + " samples against " + N + " data points, exact W1: every"
                + " family covers 25/25 modes at its best NFE; at one network evaluation the GAN's W1 is the lowest of"
                + " the three; the flow (Euler) comes within " + NEAR_BEST + "× of its best W1 at no more NFE than"
                + " DDPM's DDIM (η = 0) does.";
    }

    @Override
    public String protocol(Scale s) {
        return s == Scale.QUICK ? "grid25-wgan-gp, grid25-rf and grid25-ddpm for " + QUICK_STEPS + " steps each, sampled"
                + " at 1 and 4 NFE on " + QUICK_N + " points (end to end only)."
                : "grid25-wgan-gp (10,000 generator steps, 5 critic steps each), grid25-rf (12,000 steps) and"
                + " grid25-ddpm (30,000 steps, EMA 0.999) as shipped, each evaluated " + EVALS + " times during"
                + " training (W1 and modes against the training CPU time, evaluations excluded); then " + N + " samples"
                + " of each at NFE 1, 2, 4, …, 64: the generator (NFE 1), the flow by Euler, DDPM by DDIM at η = 0 over"
                + " trailing steps and by DPM-Solver++(2M) on Karras's σ; exact W1 against " + N + " fresh data points,"
                + " modes covered and the high-quality fraction (within 3 std of a mode).";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? (long) FAMILIES.size() * QUICK_STEPS
                : FAMILIES.stream().mapToLong(Family::steps).sum();
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.lines("w1-by-nfe", "grid25: W1 to the data against the network evaluations of sampling",
                        "NFE", "W1", true, true),
                Figure.lines("w1-by-time", "grid25: W1 during training against its CPU time (evaluations excluded)",
                        "training seconds", "W1", false, false),
                Figure.points("samples", "grid25: data and samples of each family at 4 NFE (first seed; the GAN at 1)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        int n = ctx.quick() ? QUICK_N : N;
        int[] nfes = ctx.quick() ? QUICK_NFES : NFES;
        for (Family f : FAMILIES) {
            ctx.status(f.preset());
            TrainingRun tr = train(ctx, trial, f);
            Mixture mix = tr.data().mixture().orElseThrow(() -> new IllegalStateException(f.preset()
                    + " is not on a Gaussian mixture"));
            double[][] data = Runs.data(tr, n, ctx.seed(7));
            ctx.status(f.preset() + ": sampling");
            for (Sampler s : f.samplers()) {
                for (int nfe : s.procedure().equals("generator") ? new int[] {1} : nfes) {
                    double[][] x = s.procedure().equals("generator") ? Runs.samples(tr, n, ctx.seed(8))
                            : Scores.sample(tr, s.procedure(), n, ctx.seed(8), withNfe(s.options(), nfe));
                    ModeReport m = ModeMetrics.evaluate(x, mix);
                    double w1 = Transport.exactW1(x, data);
                    trial.row("sampler", s.series(), "nfe", Integer.toString(nfe)).put("w1", w1)
                            .put("modes_covered", m.modesCovered()).put("high_quality", m.highQualityFraction())
                            .put("reverse_kl", m.reverseKl());
                    trial.point("w1-by-nfe", s.series(), nfe, w1);
                    if (nfe == (s.procedure().equals("generator") ? 1 : nfes[Math.min(1, nfes.length - 1)])
                            && !s.series().contains("DPM")) {
                        trial.cloud("samples", f.name(), x);
                    }
                }
            }
            if (f == FAMILIES.get(0)) {
                trial.cloud("samples", "data", data);
            }
        }
    }

    private static String[] withNfe(String[] options, int nfe) {
        String[] out = java.util.Arrays.copyOf(options, options.length + 2);
        out[options.length] = "nfe";
        out[options.length + 1] = Integer.toString(nfe);
        return out;
    }

    /** Trains a family's preset, recording W1 at each evaluation against the training seconds so far. */
    private static TrainingRun train(Context ctx, Trial trial, Family f) {
        TrainingRun tr = Runs.build(ctx, trial, f.preset(), f.name(), "eval", List.of(), ctx.quick()
                ? new String[] {"train.steps", Integer.toString(QUICK_STEPS), "train.eval_every", "0"}
                : new String[] {"train.steps", Long.toString(f.steps()), "train.eval_every",
                        Long.toString(f.steps() / EVALS)});
        List<double[]> curve = new ArrayList<>();
        tr.addListener(new Listener() {
            long start;
            long lastStep;
            long inEval;

            @Override
            public void onStart(long startStep, long totalSteps) {
                start = System.nanoTime();
                lastStep = start;
            }

            @Override
            public void onStep(long step) {
                lastStep = System.nanoTime();
            }

            @Override
            public void onEval(long step, Map<String, Double> metrics) {
                long now = System.nanoTime();
                double seconds = (lastStep - start - inEval) / 1e9;
                inEval += now - lastStep;
                lastStep = now;
                Double w1 = metrics.get("w1");
                if (w1 != null && Double.isFinite(w1)) {
                    curve.add(new double[] {seconds, w1});
                    // one line per seed: the seeds' evaluations fall at different seconds, so they cannot be averaged
                    trial.point("w1-by-time", f.name() + ", seed " + trial.seed(), seconds, w1);
                }
            }
        });
        Runs.Done d = Runs.run(tr);
        double trainSeconds = curve.isEmpty() ? d.result().seconds() : curve.get(curve.size() - 1)[0];
        trial.row("sampler", f.name() + " (training)", "nfe", "-").put("train_seconds", trainSeconds)
                .put("w1", d.get("w1")).put("modes_covered", d.get("modes_covered"));
        return tr;
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        int[] nfes = scale == Scale.QUICK ? QUICK_NFES : NFES;
        Verdict.Builder v = Verdict.builder();
        double gan = t.get("sampler", "WGAN-GP generator", "nfe", "1").mean("w1");
        double rf1 = t.get("sampler", "rectified flow, Euler", "nfe", "1").mean("w1");
        double dd1 = t.get("sampler", "DDPM, DDIM η = 0", "nfe", "1").mean("w1");
        boolean allModes = t.get("sampler", "WGAN-GP generator", "nfe", "1").mean("modes_covered") >= 25;
        StringBuilder h = new StringBuilder();
        int[] converged = new int[2];
        String[] series = {"rectified flow, Euler", "DDPM, DDIM η = 0", "DDPM, DPM-Solver++(2M)"};
        double[] best = new double[series.length];
        for (int k = 0; k < series.length; k++) {
            double modes = 0;
            best[k] = Double.POSITIVE_INFINITY;
            for (int nfe : nfes) {
                ResultTable.Condition c = t.get("sampler", series[k], "nfe", Integer.toString(nfe));
                if (c.mean("w1") < best[k]) {
                    best[k] = c.mean("w1");
                    modes = c.mean("modes_covered");
                }
            }
            allModes &= series[k].contains("DPM") || modes >= 25;
            if (k < 2) {
                converged[k] = nfes[nfes.length - 1];
                for (int nfe : nfes) {
                    if (t.get("sampler", series[k], "nfe", Integer.toString(nfe)).mean("w1") <= NEAR_BEST * best[k]) {
                        converged[k] = nfe;
                        break;
                    }
                }
            }
        }
        v.number("w1_gan", gan).number("w1_rf_nfe1", rf1).number("w1_ddim_nfe1", dd1).number("w1_rf_best", best[0])
                .number("w1_ddim_best", best[1]).number("w1_dpmpp2m_best", best[2]).number("nfe_rf", converged[0])
                .number("nfe_ddim", converged[1]);
        v.check(allModes, "every family covers 25/25 modes at its best NFE");
        v.check(gan < rf1 && gan < dd1, "at one network evaluation the GAN's W1 is the lowest");
        v.check(converged[0] <= converged[1], "the flow converges in no more NFE than DDIM");
        h.append("W1 at NFE 1: GAN ").append(Toys.num(gan)).append(", flow ").append(Toys.num(rf1)).append(", DDIM ")
                .append(Toys.num(dd1)).append("; best W1: flow ").append(Toys.num(best[0])).append(" (within ")
                .append(NEAR_BEST).append("× at NFE ").append(converged[0]).append("), DDIM ").append(Toys.num(best[1]))
                .append(" (NFE ").append(converged[1]).append("), DPM-Solver++(2M) ").append(Toys.num(best[2]));
        return v.build(h.toString());
    }
}
