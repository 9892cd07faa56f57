package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.experiment.Experiments;
import io.ganflow.BadInputException;
import io.ganflow.Registry;
import io.ganflow.cli.report.ExperimentFigures;
import io.ganflow.config.Registries;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.ExperimentRunner;
import io.ganflow.experiment.Scale;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ganflow experiment list | run NAME | report}: the documents' claims as runnable experiments. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"The documents' claims as runnable experiments: each writes a folder with table.csv, table.md,"
            + " PNG figures and verdict.json (the claim, the numbers, holds / does not hold against a threshold"
            + " stated up front). Results: docs/experiments.md."},
        subcommands = {ExperimentCommand.ListCommand.class, ExperimentCommand.RunCommand.class,
            ExperimentCommand.ReportCommand.class})
final class ExperimentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Experiment find(String name) {
        Registries.loadPlugins();
        Registry<Experiment> r = Experiments.registry();
        return r.find(name).map(Registry.Entry::factory).orElseThrow(() -> new BadInputException("experiment '" + name
                + "' is not known; allowed: " + String.join(", ", r.names())));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Name every experiment and its claim.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = {"-v", "--verbose"}, description = "also the source, the threshold and the full protocol")
        boolean verbose;

        @Override
        public Integer call() {
            Registries.loadPlugins();
            for (Registry.Entry<Experiment> e : Experiments.registry().entries()) {
                Experiment x = e.factory();
                System.out.printf("%-24s %s%s%n", e.name(), e.description(), x.usesImages() ? " [images]" : "");
                if (verbose) {
                    System.out.println("    claim:     " + x.claim());
                    System.out.println("    source:    " + x.source());
                    System.out.println("    threshold: " + x.threshold());
                    System.out.println("    protocol:  " + x.protocol(Scale.FULL));
                    System.out.println("    quick:     " + x.protocol(Scale.QUICK));
                    System.out.println("    seeds:     " + x.defaultSeeds(Scale.FULL) + " (quick: " + x.defaultSeeds(Scale.QUICK)
                            + ")");
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run one experiment and write its folder (default experiments/NAME, or experiments/NAME-quick).",
                "A verdict of 'does not hold' is a result, not an error: the exit code is 0 either way."})
    static final class RunCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the experiment (see 'ganflow experiment list')")
        String name;

        @Option(names = "--quick", description = "the reduced version (seconds to a minute; CI runs it)")
        boolean quick;

        @Option(names = "--seeds", paramLabel = "N", description = "repeat over N seeds and report mean ± std")
        Integer seeds;

        @Option(names = "--first-seed", paramLabel = "S", description = "seeds S, S+1, ... (default 0)")
        long firstSeed;

        @Option(names = "--out", paramLabel = "DIR", description = "the experiment's folder (new, empty, or an earlier"
                + " experiment's, whose files are replaced)")
        Path out;

        @Option(names = "--quiet", description = "no progress output")
        boolean quiet;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Experiment e = find(name);
            Scale scale = Scale.of(quick);
            int n = seeds != null ? seeds : e.defaultSeeds(scale);
            if (n < 1 || n > 1000) {
                throw new BadInputException("--seeds " + n + " is not allowed; give 1 to 1000");
            }
            Path dir = out != null ? out : Path.of("experiments", name + (quick ? "-quick" : ""));
            ExperimentRunner.checkOutput(dir);
            String commandLine = "ganflow " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
            io.ganflow.experiment.Progress progress = quiet ? io.ganflow.experiment.Progress.NONE
                    : new ExperimentProgress(System.err, System.console() != null);
            ExperimentRunner.Outcome o = ExperimentRunner.run(name, e, scale, n, firstSeed, dir, progress,
                    new ExperimentFigures(), w -> System.err.println("ganflow: warning: " + w), commandLine);
            Object secs = o.record().get("seconds");
            System.out.println(name + (quick ? " (quick)" : "") + ": " + o.verdict().word() + " | " + o.verdict().headline()
                    + " | " + n + (n == 1 ? " seed" : " seeds") + " in "
                    + ProgressListener.duration(((Number) secs).doubleValue()) + " | " + dir);
            return ExitCodes.OK;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The results table of docs/experiments.md, generated from experiment folders: a row and a"
                + " section for every experiment, 'not measured yet' where no folder holds it.",
                "With --out FILE it replaces the part of FILE between '" + ExperimentReport.BEGIN + "' and '"
                + ExperimentReport.END + "'; without, it prints the Markdown."})
    static final class ReportCommand implements Callable<Integer> {
        @Option(names = "--in", paramLabel = "DIR", description = "the folder holding experiment folders (default"
                + " experiments)")
        Path in = Path.of("experiments");

        @Option(names = "--out", paramLabel = "FILE.md", description = "the Markdown file to update")
        Path out;

        @Override
        public Integer call() {
            Registries.loadPlugins();
            String md = ExperimentReport.markdown(in, out != null ? out.toAbsolutePath().getParent() : Path.of("")
                    .toAbsolutePath());
            if (out == null) {
                System.out.print(md);
            } else {
                ExperimentReport.replaceBlock(out, md);
                System.out.println("updated " + out + " from " + in);
            }
            return ExitCodes.OK;
        }
    }
}
