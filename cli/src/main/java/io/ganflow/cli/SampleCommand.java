package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.CheckpointIO;
import io.ganflow.train.Method;
import io.ganflow.train.RunDirectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.ganflow.flow.FlowMethod;
import io.ganflow.flow.Solver;
import org.bytedeco.pytorch.Tensor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ganflow sample}: draws samples from a trained run into a CSV file (data space). */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a trained run and write them as CSV (in the data's units).")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "DIR", required = true, description = "the run directory")
    Path run;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000", description = "how many samples (default 1000)")
    int n;

    @Option(names = "--out", paramLabel = "FILE.csv", required = true, description = "where to write them")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the latent draws (default 0)")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a specific checkpoint (default: newest intact)")
    Path checkpoint;

    @Option(names = "--solver", paramLabel = "NAME", description = "flows: euler, heun, rk4 or dopri5 (default: the run's flow.solver)")
    String solver;

    @Option(names = "--nfe", paramLabel = "N", description = "flows, fixed-step solvers: function evaluations per sample"
            + " (steps = N / evaluations per step)")
    Integer nfe;

    @Option(names = "--atol", paramLabel = "A", description = "flows, dopri5: absolute tolerance (default: the run's flow.atol)")
    Double atol;

    @Option(names = "--rtol", paramLabel = "R", description = "flows, dopri5: relative tolerance (default: the run's flow.rtol)")
    Double rtol;

    /** The solver and its options from the flags, falling back on the run's configuration. */
    static Solver.Options solverOptions(Config c, Solver s, Integer nfe, Double atol, Double rtol) {
        if (s == Solver.DOPRI5) {
            if (nfe != null) {
                throw new BadInputException("--nfe " + nfe + " does not apply to dopri5, which is adaptive; allowed: --atol, --rtol");
            }
            double a = atol != null ? atol : c.getDouble("flow.atol");
            double r = rtol != null ? rtol : c.getDouble("flow.rtol");
            if (!(a > 0 && a < 1) || !(r > 0 && r < 1)) {
                throw new BadInputException("--atol " + a + " / --rtol " + r + " out of range; allowed: 0 < value < 1");
            }
            return Solver.Options.tolerances(a, r);
        }
        if (atol != null || rtol != null) {
            throw new BadInputException("--atol/--rtol apply only to --solver dopri5; " + s.key() + " takes --nfe");
        }
        if (nfe == null) {
            return Solver.Options.steps(c.getInt("flow.steps"));
        }
        if (nfe < s.stages() || nfe > 1_000_000) {
            throw new BadInputException("--nfe " + nfe + " is out of range for " + s.key() + "; allowed: " + s.stages()
                    + " to 1000000 (" + s.stages() + " evaluations per step)");
        }
        return Solver.Options.steps(nfe / s.stages());
    }

    @Override
    public Integer call() throws IOException {
        if (n < 1 || n > 10_000_000) {
            throw new BadInputException("--n " + n + " is out of range (allowed: 1 to 10000000)");
        }
        Checkpoint ckpt = checkpoint != null ? CheckpointIO.read(checkpoint)
                : RunDirectory.open(run).latestIntactCheckpoint(msg -> System.err.println("ganflow: warning: " + msg))
                        .orElseThrow(() -> new BadInputException("--run " + run + ": no intact checkpoint"));
        Config c = Session.configFromCheckpoint(ckpt);
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method method = Setup.method(c, data);
        method.loadState(ckpt.state());
        boolean flowFlags = solver != null || nfe != null || atol != null || rtol != null;
        FlowMethod flow = method instanceof FlowMethod ? (FlowMethod) method : null;
        if (flowFlags && flow == null) {
            throw new BadInputException("--solver/--nfe/--atol/--rtol apply only to flow runs (method rf); this run's method is "
                    + c.getString("method"));
        }
        Solver sv = null;
        Solver.Options so = null;
        if (flow != null) {
            String key = solver != null ? solver : c.getString("flow.solver");
            if (!Solver.NAMES.contains(key)) {
                throw new BadInputException("--solver " + key + " is not allowed; allowed: " + String.join(", ", Solver.NAMES));
            }
            sv = Solver.byKey(key);
            so = solverOptions(c, sv, nfe, atol, rtol);
            if (flow.isDistilled() && flowFlags) {
                System.err.println("ganflow: note: this flow is distilled to one step; the solver flags are ignored");
            }
        }
        long nfeTotal = 0;
        int nfeMax = 0;
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            int d = data.dim();
            StringBuilder header = new StringBuilder();
            for (int j = 0; j < d; j++) {
                header.append(j == 0 ? "" : ",").append("x").append(j + 1);
            }
            w.write(header.toString());
            w.newLine();
            Rng rng = new Rng(seed);
            int chunk = 10_000;
            for (int done = 0; done < n; done += chunk) {
                int m = Math.min(chunk, n - done);
                try (Scope s = Scope.open()) {
                    Tensor x;
                    if (flow != null) {
                        Solver.Result r = flow.sample(m, rng, sv, so);
                        x = r.x();
                        nfeTotal += r.nfe();
                        nfeMax = Math.max(nfeMax, r.nfe());
                    } else {
                        x = method.sample(m, rng);
                    }
                    float[] v = Ops.toFloats(data.standardizer().toData(x));
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < d; j++) {
                            b.append(j == 0 ? "" : ",").append(v[i * d + j]);
                        }
                        b.append('\n');
                    }
                    w.write(b.toString());
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw CliFiles.cannotWrite("--out", out, e);
        }
        try {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw CliFiles.cannotWrite("--out", out, e);
        }
        System.out.println("wrote " + n + " samples from step " + ckpt.step() + " to " + out);
        if (flow != null) {
            System.out.println(flow.isDistilled() ? "solver: distilled one-step generator, NFE 1"
                    : "solver: " + sv.key() + (sv == Solver.DOPRI5 ? " (atol " + so.atol() + ", rtol " + so.rtol() + ")"
                            : " (" + so.steps() + " steps)") + ", NFE " + nfeMax + " per batch of up to 10000 samples"
                            + (nfeTotal != nfeMax ? " (" + nfeTotal + " over all batches)" : ""));
        }
        return Main.OK;
    }
}
