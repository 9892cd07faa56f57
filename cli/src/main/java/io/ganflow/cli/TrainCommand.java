package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.config.Presets;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.RunDirectory;
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

    @Option(names = "--no-plots", description = "skip the PNG plots and report.html")
    boolean noPlots;

    @Option(names = "--quiet", description = "no progress output (warnings still print)")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // The writer lock lasts as long as the command (the OS drops it if the process dies first).
        try (RunDirectory.LockScope locks = RunDirectory.lockScope()) {
            return train();
        }
    }

    private Integer train() {
        // --quiet silences progress, never warnings: a skipped corrupt checkpoint changes what is trained.
        java.io.PrintStream progress = quiet ? WarningsOnly.of(System.err) : System.err;
        Session session = new Session(System.out, progress, System.err, !quiet && System.console() != null, !noPlots);
        String commandLine = "ganflow " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Session.Outcome outcome;
        if (resume != null) {
            if (preset != null || config != null || !sets.isEmpty() || seed != null || out != null || presetDir != null) {
                throw new BadInputException("--resume " + resume + " continues a run with its own config; only --steps,"
                        + " --threads, --no-plots and --quiet may go with it");
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
        if (outcome.alarmStop()) {
            return Main.INTERNAL;
        }
        return outcome.result().interrupted() ? Main.INTERRUPTED : Main.OK;
    }
}
