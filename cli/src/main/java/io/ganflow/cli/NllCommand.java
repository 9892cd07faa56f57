package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.cli.process.ExitCodes;
import io.ganflow.data.Dataset;
import io.ganflow.diffusion.HeldOutLikelihood;
import io.ganflow.diffusion.Likelihood;
import io.ganflow.diffusion.ScoreModel;
import io.ganflow.flow.Solver;
import io.ganflow.run.TrainedRun;
import io.ganflow.train.Method;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ganflow nll}: a diffusion or score model's negative log-likelihood of fresh data through its
 * probability-flow ODE (docs/diffusion.md): nats per point beside the mixture's true entropy for the toys, bits per
 * dimension for images.
 */
@Command(name = "nll", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The exact likelihood of a diffusion or score model (ddpm, score, edm)"
                + " through its probability-flow ODE: nats per point (toys: beside the mixture's true entropy), bits"
                + " per dimension for images.")
final class NllCommand implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "DIR", required = true, description = "the run directory")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a specific checkpoint (default: newest intact)")
    Path checkpoint;

    @Option(names = "--n", paramLabel = "N", description = "points or images measured (default: points 1000, images 100)")
    Integer n;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the data draws and probes"
            + " (default 0)")
    long seed;

    @Option(names = "--solver", paramLabel = "NAME", defaultValue = "dopri5", description = "euler, heun, rk4 or dopri5"
            + " (default dopri5)")
    String solver;

    @Option(names = "--nfe", paramLabel = "N", defaultValue = "200", description = "fixed-step solvers: evaluations"
            + " (default 200)")
    int nfe;

    @Option(names = "--atol", paramLabel = "A", defaultValue = "1e-5", description = "dopri5: absolute tolerance"
            + " (default 1e-5)")
    double atol;

    @Option(names = "--rtol", paramLabel = "R", defaultValue = "1e-5", description = "dopri5: relative tolerance"
            + " (default 1e-5)")
    double rtol;

    @Option(names = "--divergence", paramLabel = "KIND", description = "exact or hutchinson (default: exact for points,"
            + " hutchinson for images)")
    String divergence;

    @Option(names = "--probes", paramLabel = "K", defaultValue = "1", description = "hutchinson: Rademacher probes per"
            + " evaluation (default 1)")
    int probes;

    @Option(names = "--out", paramLabel = "FILE.json", description = "also write the result as JSON")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Solver.NAMES.contains(solver)) {
            throw new BadInputException("--solver " + solver + " is not allowed; allowed: " + String.join(", ",
                    Solver.NAMES));
        }
        Solver s = Solver.byKey(solver);
        if (s != Solver.DOPRI5 && (nfe < s.stages() || nfe > 1_000_000)) {
            throw new BadInputException("--nfe " + nfe + " is out of range for " + solver + "; allowed: " + s.stages()
                    + " to 1000000");
        }
        if (!(atol > 0 && rtol > 0)) {
            throw new BadInputException("--atol " + atol + " / --rtol " + rtol + " is out of range; allowed: > 0");
        }
        if (probes < 1 || probes > 1000) {
            throw new BadInputException("--probes " + probes + " is out of range; allowed: 1 to 1000");
        }
        TrainedRun tr = checkpoint != null ? TrainedRun.openCheckpoint(checkpoint) : TrainedRun.open(run);
        Method m = tr.method();
        if (!(m instanceof ScoreModel sm)) {
            throw new BadInputException("--run " + run + ": method " + m.name() + " has no likelihood through a"
                    + " probability-flow ODE; allowed: ddpm, score, edm");
        }
        Dataset data = tr.data();
        boolean images = data.shape().length == 3;
        Likelihood.Divergence div;
        String kind = divergence != null ? divergence : images ? "hutchinson" : "exact";
        switch (kind) {
            case "exact" -> div = Likelihood.Divergence.EXACT;
            case "hutchinson" -> div = Likelihood.Divergence.HUTCHINSON;
            default -> throw new BadInputException("--divergence " + kind + " is not allowed; allowed: exact,"
                    + " hutchinson");
        }
        int count = n != null ? n : images ? 100 : 1000;
        if (count < 1 || count > 1_000_000) {
            throw new BadInputException("--n " + count + " is out of range; allowed: 1 to 1000000");
        }
        Solver.Options o = s == Solver.DOPRI5 ? Solver.Options.tolerances(atol, rtol)
                : Solver.Options.steps(nfe / s.stages());
        int batch = images ? 50 : 500;
        long t0 = System.nanoTime();
        HeldOutLikelihood.Report r = HeldOutLikelihood.measure(sm.denoiser(), data, count, seed, div, probes, s, o,
                batch, done -> System.err.printf(Locale.ROOT, "nll: %d/%d%n", done, count));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "nll %.4f +- %.4f nats per %s (step %d)%n", r.nll(), r.stdError(),
                images ? "image" : "point", tr.step());
        r.truth().ifPresent(t -> System.out.printf(Locale.ROOT, "true entropy estimate %.4f nats (the mixture's -log p"
                + " of the same points); gap %.4f nats%n", t, r.gap().get()));
        r.bitsPerDim().ifPresent(b -> System.out.printf(Locale.ROOT, "bits/dim %.4f%n", b));
        System.out.printf(Locale.ROOT, "protocol: %s; NFE %d per batch; %.1f s%n", r.protocol(), r.nfe(), secs);
        if (out != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("step", tr.step());
            json.put("n", r.n());
            json.put("nll", r.nll());
            json.put("std_error", r.stdError());
            r.truth().ifPresent(t -> json.put("true_entropy_estimate", t));
            r.gap().ifPresent(g -> json.put("gap", g));
            r.bitsPerDim().ifPresent(b -> json.put("bits_per_dim", b));
            json.put("nfe", r.nfe());
            json.put("protocol", r.protocol());
            try {
                Session.JSON.writeValue(out.toFile(), json);
            } catch (IOException e) {
                throw CliFiles.cannotWrite("--out", out, e);
            }
            System.out.println("wrote " + out);
        }
        return ExitCodes.OK;
    }
}
