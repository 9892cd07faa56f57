package io.ganflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ganflow.BadInputException;
import io.ganflow.config.Setup;
import io.ganflow.cli.report.EvalGrids;
import io.ganflow.cli.report.Report;
import io.ganflow.run.TrainedRun;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Alarms;
import io.ganflow.train.RunDirectory;
import io.ganflow.train.TrainResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One training session of the command line: a {@link TrainingRun} with a progress bar, the mode-collapse
 * alarm and Ctrl-C handling, then plots and report.html.
 */
public final class Session {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the session produced. */
    public record Outcome(RunDirectory run, TrainResult result, Map<String, Object> summary, boolean alarmStop) {}

    private final PrintStream out;
    private final PrintStream err;
    private final PrintStream warnings;
    private final boolean terminal;
    private final boolean plots;
    private Worker worker;

    /** This process's place in a data-parallel job: where to meet, its rank, the group size, the timeout. */
    public record Worker(io.ganflow.train.dist.Rendezvous rendezvous, int rank, int world, java.time.Duration timeout) {}

    /**
     * @param err progress output (a null stream for --quiet)
     * @param warnings warnings that change the result; printed even with --quiet
     */
    public Session(PrintStream out, PrintStream err, PrintStream warnings, boolean terminal, boolean plots) {
        this.out = out;
        this.err = err;
        this.warnings = warnings;
        this.terminal = terminal;
        this.plots = plots;
    }

    /** Makes the session one worker of a data-parallel job (see docs/scaling.md). */
    public Session worker(Worker w) {
        this.worker = w;
        return this;
    }

    /** A fresh run; without an output directory it goes to runs/&lt;preset&gt;-&lt;time&gt;. */
    public Outcome train(TrainingRun.Builder builder, Path outDir) {
        if (worker != null && worker.rank() != 0) {
            builder.evaluation(false);
        }
        TrainingRun tr = builder.build();
        // Everything is validated and loaded: only now does the run directory get its name.
        tr.outputDir(outDir != null ? outDir : defaultOut(tr.preset()));
        return execute(tr);
    }

    /**
     * Continues a run from its newest intact checkpoint, optionally to a new step count. A run that stopped
     * before its first checkpoint restarts from step 0 with its config.yaml.
     */
    public Outcome resume(Path dir, Long steps, Integer threads, String commandLine) {
        RunDirectory rd = RunDirectory.open(dir);
        TrainedRun.Resume resume;
        if (rd.latestIntactCheckpoint(msg -> warnings.println("ganflow: warning: " + msg)).isPresent()) {
            resume = TrainedRun.open(dir, msg -> { }).resume();
        } else if (!rd.checkpoints().isEmpty()) {
            // Checkpoints exist but none is intact: never train over them from scratch.
            throw new BadInputException("--resume " + dir + ": no intact checkpoint in " + rd.checkpointDir()
                    + "; every checkpoint failed its checksum (start afresh with --out NEW_DIR)");
        } else {
            warnings.println("ganflow: warning: " + dir + " has no intact checkpoint; restarting it from step 0 with"
                    + " its config.yaml");
            resume = TrainedRun.restart(dir);
        }
        if (worker != null) {
            resume.rank(worker.rank());
        }
        TrainingRun tr = resume.steps(steps).threads(threads).commandLine(commandLine).build();
        if (worker == null || worker.rank() == 0) {
            out.println("resuming " + rd.root() + " at step " + tr.startStep() + " of " + tr.spec().steps());
        }
        return execute(tr);
    }

    private Outcome execute(TrainingRun tr) {
        if (worker == null) {
            return executeOne(tr);
        }
        // Everything is loaded: only now join the group, so rank 0 cannot write before every rank has read.
        try (io.ganflow.train.dist.DataParallel dp = io.ganflow.train.dist.DataParallel.join(worker.rendezvous(),
                worker.rank(), worker.world(), worker.timeout())) {
            tr.distributed(dp);
            if (dp.rank() != 0) {
                TrainResult result;
                try (Interrupts ignored = Interrupts.install(tr::requestStop, err)) {
                    result = tr.train();
                }
                return new Outcome(null, result, tr.summary(), false);
            }
            return executeOne(tr);
        }
    }

    private Outcome executeOne(TrainingRun tr) {
        String preset = tr.preset();
        Alarms alarms = new Alarms(tr.config().getInt("alarm.collapse_evals"),
                "stop".equals(tr.config().getString("alarm.on_collapse")), tr::requestStop,
                msg -> warnings.println("\nganflow: warning: " + msg));
        tr.addListener(new ProgressListener(err, terminal, preset)).addListener(alarms);
        TrainResult result;
        Optional<EvalGrids> grids = plots ? EvalGrids.attach(tr) : Optional.empty();   // image data: grids/
        TensorBoardOutput.attachPictures(tr, plots, grids);
        try (Interrupts ignored = Interrupts.install(tr::requestStop, err)) {
            result = tr.train();
        }
        RunDirectory run = tr.run().orElseThrow();
        run.lock(); // again, for the pictures and the report; released when the command ends
        Map<String, Object> summary = tr.summary();
        if (plots) {
            try {
                Report.write(run, tr.config(), preset, tr.method(), tr.data(),
                        tr.evaluator().orElseGet(() -> Setup.evaluator(tr.config(), tr.data())), summary);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        boolean alarmStop = result.interrupted() && alarms.raised();
        if (alarmStop) {
            out.println("stopped by the mode-collapse alarm at step " + result.steps() + "; checkpoint saved in "
                    + run.checkpointDir());
        } else if (result.interrupted()) {
            out.println("interrupted at step " + result.steps() + " of " + result.totalSteps() + "; checkpoint saved."
                    + " Continue with: ganflow train --resume " + run.root());
        } else {
            out.println(oneLine(preset, summary, run));
            if (summary.get("features_id") instanceof String id) {
                out.println("image metrics on the features " + id);
            }
            tr.group().filter(g -> g.world() > 1).ifPresent(g -> out.println(String.format(Locale.ROOT,
                    "data-parallel: %d processes, %d rows each per batch; rank 0 spent %.1f s of %.1f s in"
                            + " communication (%d collectives)", g.world(), tr.spec().batch() / g.world(),
                    g.communicationSeconds(), result.seconds(), g.collectives())));
        }
        return new Outcome(run, result, summary, alarmStop);
    }

    static String oneLine(String preset, Map<String, Object> s, RunDirectory run) {
        StringBuilder b = new StringBuilder();
        b.append(preset).append(": ").append(s.get("steps")).append(" steps in ")
                .append(ProgressListener.duration(((Number) s.get("seconds")).doubleValue()));
        if (s.containsKey("modes_covered")) {
            b.append(" | modes ").append(s.get("modes_covered")).append('/').append(s.get("modes_total"));
            if (s.containsKey("high_quality_fraction")) {
                b.append(String.format(Locale.ROOT, " | high quality %.3f", num(s.get("high_quality_fraction"))));
            }
            double rkl = num(s.get("reverse_kl_modes"));
            // no sample of high quality: the histogram over modes is empty, and its KL is not defined
            b.append(Double.isFinite(rkl) ? String.format(Locale.ROOT, " | reverse KL %.4f", rkl)
                    : " | reverse KL n/a (no sample on a mode)");
        }
        if (s.containsKey("fid")) {
            b.append(String.format(Locale.ROOT, " | FID %.4g", num(s.get("fid"))));
            if (s.containsKey("fid_floor")) {
                b.append(String.format(Locale.ROOT, " (floor %.4g)", num(s.get("fid_floor"))));
            }
            double m = num(s.get("image_samples"));
            if (m < io.ganflow.metrics.ImageEvaluation.COMPARABLE_SAMPLES) {
                b.append(String.format(Locale.ROOT, " [%d images: not comparable, < %d]", Math.round(m),
                        io.ganflow.metrics.ImageEvaluation.COMPARABLE_SAMPLES));
            }
        }
        if (s.containsKey("classes_covered") && !s.containsKey("modes_covered")) {
            b.append(" | classes ").append(s.get("classes_covered")).append('/').append(s.get("classes_total"));
        }
        // a conditional run: how often the class asked for is the class drawn
        if (s.containsKey("class_accuracy")) {
            b.append(String.format(Locale.ROOT, " | class accuracy %.3f", num(s.get("class_accuracy"))));
        }
        if (s.containsKey("class_hit_fraction")) {
            b.append(String.format(Locale.ROOT, " | class hits %.3f", num(s.get("class_hit_fraction"))));
        }
        if (s.containsKey("w1")) {
            b.append(String.format(Locale.ROOT, " | W1 %.4f", num(s.get("w1"))));
        }
        b.append(" | ").append(run.root());
        return b.toString();
    }

    private static double num(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
    }

    static Path defaultOut(String preset) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = Path.of("runs", preset + "-" + stamp);
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("runs", preset + "-" + stamp + "-" + i);
        }
        return p;
    }
}
