package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.BadInputException;
import io.ganflow.config.Presets;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.RunDirectory;
import io.ganflow.train.RunLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ganflow train}: the main job. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model from a preset, a YAML config and key=value overrides.",
            "Layers, later ones winning: key defaults < preset < --config file < --set < --steps/--seed/--threads.",
            "With no options it trains the default preset, ring8-wgan-gp."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--preset", paramLabel = "NAME", description = "a built-in preset (see 'ganflow presets')")
    String preset;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "a YAML file of keys (nested or dotted)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one key; repeatable (see 'ganflow keys')")
    List<String> sets = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", description = "training steps (train.steps)")
    Long steps;

    @Option(names = "--seed", paramLabel = "S", description = "seed of every random draw (train.seed)")
    Long seed;

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (train.threads); default 1, measured")
    Integer threads;

    @Option(names = "--preset-dir", paramLabel = "DIR", description = "a directory of your own presets (NAME.yaml each)")
    Path presetDir;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/<preset>-<time>)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue a run from its newest intact checkpoint")
    Path resume;

    @Option(names = "--nproc", paramLabel = "N", description = "data-parallel: train with N worker processes on this host"
            + " (train.batch is split among them; docs/scaling.md)")
    Integer nproc;

    @Option(names = "--rank", paramLabel = "R", description = "data-parallel: this process's rank, 0 .. world size - 1")
    Integer rank;

    @Option(names = "--world-size", paramLabel = "W", description = "data-parallel: the number of processes of the job")
    Integer worldSize;

    @Option(names = "--master", paramLabel = "HOST:PORT", description = "data-parallel: rank 0's host and a free port"
            + " (a c10d TCP store)")
    String master;

    @Option(names = "--rendezvous", paramLabel = "file:PATH", description = "data-parallel: meet through a store file"
            + " every process can reach, instead of --master")
    String rendezvous;

    @Option(names = "--dist-timeout", paramLabel = "SECONDS", description = "data-parallel: how long a process waits for"
            + " the others (joining, each collective) before it stops with an error; default 300")
    Integer distTimeout;

    @Option(names = "--no-plots", description = "skip the PNG plots and report.html")
    boolean noPlots;

    @Option(names = "--quiet", description = "no progress output (warnings still print)")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // The writer lock lasts as long as the command (the OS drops it if the process dies first).
        try (RunLock.Scope locks = RunLock.scope()) {
            return train();
        }
    }

    private Integer train() {
        Session.Worker worker = worker();
        if (nproc != null) {
            return Launcher.launch(spec.root().userObject().getClass().getName(), nproc,
                    spec.commandLine().getParseResult().originalArgs(), this::freshOut,
                    distTimeout == null ? 300 : distTimeout, System.err);
        }
        // --quiet silences progress, never warnings: a skipped corrupt checkpoint changes what is trained.
        java.io.PrintStream progress = quiet ? WarningsOnly.of(System.err) : System.err;
        Session session = new Session(System.out, progress, System.err, !quiet && System.console() != null, !noPlots);
        if (worker != null) {
            session.worker(worker);
        }
        String commandLine = "ganflow " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Session.Outcome outcome;
        if (resume != null) {
            if (preset != null || config != null || !sets.isEmpty() || seed != null || out != null || presetDir != null) {
                throw new BadInputException("--resume " + resume + " continues a run with its own config; only --steps,"
                        + " --threads, --no-plots, --quiet and the data-parallel flags may go with it");
            }
            outcome = session.resume(resume, steps, threads, commandLine);
        } else {
            if (presetDir != null) {
                Presets.addDirectory(presetDir);
            }
            TrainingRun.Builder b = TrainingRun.builder().commandLine(commandLine);
            if (preset != null) {
                b.preset(preset);
            }
            if (config != null) {
                b.configFile(config);
            }
            for (String kv : sets) {
                Map.Entry<String, String> e = ConfigFiles.parseSet(kv);
                b.set(e.getKey(), e.getValue(), "--set");
            }
            if (steps != null) {
                b.set("train.steps", steps.toString(), "--steps");
            }
            if (seed != null) {
                b.set("train.seed", seed.toString(), "--seed");
            }
            if (threads != null) {
                b.set("train.threads", threads.toString(), "--threads");
            }
            b.noteTo(note -> System.err.println("ganflow: note: " + note));
            outcome = session.train(b, out);
        }
        return exitCode(outcome);
    }

    private static int exitCode(Session.Outcome outcome) {
        if (outcome.alarmStop()) {
            return ExitCodes.INTERNAL;
        }
        return outcome.result().interrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    /** The data-parallel flags of a worker (--rank ...), validated; null for a single-process run or --nproc. */
    private Session.Worker worker() {
        boolean any = rank != null || worldSize != null || master != null || rendezvous != null;
        if (distTimeout != null && (distTimeout < 1 || distTimeout > 86_400)) {
            throw new BadInputException("--dist-timeout " + distTimeout + ": give seconds in [1, 86400]");
        }
        if (nproc != null) {
            if (any) {
                throw new BadInputException("--nproc " + nproc + " launches its own workers; it does not go with --rank,"
                        + " --world-size, --master or --rendezvous");
            }
            if (nproc < 1 || nproc > 64) {
                throw new BadInputException("--nproc " + nproc + ": give a number of processes in [1, 64]");
            }
            return null;
        }
        if (!any) {
            if (distTimeout != null) {
                throw new BadInputException("--dist-timeout goes with --nproc or --rank/--world-size");
            }
            return null;
        }
        if (rank == null || worldSize == null || (master == null) == (rendezvous == null)) {
            throw new BadInputException("a data-parallel worker needs --rank R, --world-size W and one of --master HOST:PORT"
                    + " or --rendezvous file:PATH");
        }
        if (worldSize < 1) {
            throw new BadInputException("--world-size " + worldSize + ": give at least 1");
        }
        if (rank < 0 || rank >= worldSize) {
            throw new BadInputException("--rank " + rank + ": give a rank in [0, " + (worldSize - 1) + "] for --world-size "
                    + worldSize);
        }
        io.ganflow.train.dist.Rendezvous r = master != null
                ? io.ganflow.train.dist.Rendezvous.parse("--master", master)
                : io.ganflow.train.dist.Rendezvous.parse("--rendezvous", rendezvous);
        if (master != null && r.isFile()) {
            throw new BadInputException("--master " + master + ": give HOST:PORT (file: goes with --rendezvous)");
        }
        if (rendezvous != null && !r.isFile()) {
            throw new BadInputException("--rendezvous " + rendezvous + ": give file:PATH (HOST:PORT goes with --master)");
        }
        return new Session.Worker(r, rank, worldSize, java.time.Duration.ofSeconds(distTimeout == null ? 300 : distTimeout));
    }

    /**
     * For --nproc: validates the config layers as the workers will (nothing is loaded) and returns the run
     * directory every worker is given: --out, or runs/&lt;preset&gt;-&lt;time&gt;; null when resuming.
     */
    private Path freshOut(int n) {
        if (resume != null) {
            return null;
        }
        if (presetDir != null) {
            Presets.addDirectory(presetDir);
        }
        TrainingRun.Builder b = TrainingRun.builder();
        if (preset != null) {
            b.preset(preset);
        }
        if (config != null) {
            b.configFile(config);
        }
        for (String kv : sets) {
            Map.Entry<String, String> e = ConfigFiles.parseSet(kv);
            b.set(e.getKey(), e.getValue(), "--set");
        }
        TrainingRun.Resolved r = b.resolveConfig();
        int batch = r.config().getInt("train.batch");
        if (batch % n != 0) {
            throw new BadInputException("train.batch " + batch + " does not split evenly over --nproc " + n
                    + " processes; give a multiple of " + n);
        }
        return out != null ? out : Session.defaultOut(r.preset());
    }
}
