package io.ganflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ganflow.BadInputException;
import io.ganflow.cli.report.Report;
import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import io.ganflow.train.Alarms;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.MetricsLog;
import io.ganflow.train.Provenance;
import io.ganflow.train.RunDirectory;
import io.ganflow.train.TrainResult;
import io.ganflow.train.TrainSpec;
import io.ganflow.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One training session: builds everything from a config, creates (or reopens) the run directory, trains
 * with progress, checkpoints and Ctrl-C handling, then writes summary.json, plots and report.html.
 */
public final class Session {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the session produced. */
    public record Outcome(RunDirectory run, TrainResult result, Map<String, Object> summary, boolean alarmStop) {}

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final boolean plots;

    public Session(PrintStream out, PrintStream err, boolean terminal, boolean plots) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.plots = plots;
    }

    /** A fresh run. {@code outDir} may be null: runs/&lt;preset&gt;-&lt;timestamp&gt;. */
    public Outcome train(Config c, String preset, Path outDir, String commandLine) {
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method method = Setup.method(c, data);
        TrainSpec spec = Setup.trainSpec(c);
        Evaluator evaluator = Setup.evaluator(c, data);
        // Everything is validated and loaded: only now does a run directory appear.
        RunDirectory run = RunDirectory.create(outDir != null ? outDir : defaultOut(preset));
        Map<String, Object> provenance = Provenance.collect(spec.seed(), commandLine);
        try {
            ConfigFiles.writeResolved(c, preset, run.config());
            JSON.writeValue(run.provenance().toFile(), provenance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Trainer trainer = new Trainer(method, data, new Rng(spec.seed()), spec, evaluator, run,
                meta(c, preset, provenance));
        return execute(trainer, run, c, preset, data, method, evaluator);
    }

    /** Continues a run from its newest intact checkpoint, optionally to a new step count. */
    public Outcome resume(Path dir, Long steps, Integer threads, String commandLine) {
        RunDirectory run = RunDirectory.openForWriting(dir); // takes the writer lock, for the whole command
        Checkpoint ckpt = run.latestIntactCheckpoint(msg -> err.println("ganflow: warning: " + msg))
                .orElseThrow(() -> new BadInputException("--resume " + dir + ": no intact checkpoint in "
                        + run.checkpointDir()));
        Config.Builder b = configFromCheckpoint(ckpt).toBuilder();
        if (steps != null) {
            b.set("train.steps", Long.toString(steps), "--steps");
        }
        if (threads != null) {
            b.set("train.threads", Integer.toString(threads), "--threads");
        }
        Config c = b.build();
        String preset = String.valueOf(ckpt.meta().getOrDefault("preset", "custom"));
        if (c.getLong("train.steps") < ckpt.step()) {
            throw new BadInputException("--steps " + c.getLong("train.steps") + " is below the checkpoint's step "
                    + ckpt.step() + "; give a larger --steps to continue");
        }
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method method = Setup.method(c, data);
        TrainSpec spec = Setup.trainSpec(c);
        Evaluator evaluator = Setup.evaluator(c, data);
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = new LinkedHashMap<>((Map<String, Object>) ckpt.meta().get("provenance"));
        provenance.put("resumed_with", commandLine);
        Trainer trainer = new Trainer(method, data, new Rng(spec.seed()), spec, evaluator, run,
                meta(c, preset, provenance));
        trainer.resumeFrom(ckpt);
        try {
            ConfigFiles.writeResolved(c, preset, run.config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("resuming " + run.root() + " at step " + ckpt.step() + " of " + spec.steps());
        return execute(trainer, run, c, preset, data, method, evaluator);
    }

    /** Rebuilds the exact config a checkpoint was trained with. */
    @SuppressWarnings("unchecked")
    public static Config configFromCheckpoint(Checkpoint ckpt) {
        Object cfg = ckpt.meta().get("config");
        if (!(cfg instanceof Map)) {
            throw new BadInputException(ckpt.file() + ": checkpoint carries no config");
        }
        Config.Builder b = Config.builder();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) cfg).entrySet()) {
            b.set(e.getKey(), String.valueOf(e.getValue()), "checkpoint");
        }
        return b.build();
    }

    private static Map<String, Object> meta(Config c, String preset, Map<String, Object> provenance) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("preset", preset);
        meta.put("config", new LinkedHashMap<>(c.asText()));
        meta.put("provenance", provenance);
        return meta;
    }

    private Outcome execute(Trainer trainer, RunDirectory run, Config c, String preset, Dataset data, Method method,
            Evaluator evaluator) {
        MetricsLog log = new MetricsLog(run.metrics());
        trainer.addListener(log);
        trainer.addListener(new ProgressListener(err, terminal, preset));
        Alarms alarms = new Alarms(c.getInt("alarm.collapse_evals"), "stop".equals(c.getString("alarm.on_collapse")),
                trainer::requestStop, msg -> err.println("\nganflow: warning: " + msg));
        trainer.addListener(alarms);
        TrainResult result;
        try (Interrupts ignored = Interrupts.install(trainer, err)) {
            result = trainer.run();
        } finally {
            log.close();
        }
        Map<String, Object> summary = summary(c, preset, data, run, result);
        try {
            JSON.writeValue(run.summary().toFile(), summary);
            if (plots) {
                Report.write(run, c, preset, method, data, evaluator, summary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (result.interrupted() && alarms.raised()) {
            out.println("stopped by the mode-collapse alarm at step " + result.steps() + "; checkpoint saved in "
                    + run.checkpointDir());
        } else if (result.interrupted()) {
            out.println("interrupted at step " + result.steps() + " of " + result.totalSteps() + "; checkpoint saved."
                    + " Continue with: ganflow train --resume " + run.root());
        } else {
            out.println(oneLine(preset, summary, run));
        }
        return new Outcome(run, result, summary, result.interrupted() && alarms.raised());
    }

    static Map<String, Object> summary(Config c, String preset, Dataset data, RunDirectory run, TrainResult r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("preset", preset);
        s.put("method", c.getString("method"));
        s.put("data", data.name());
        s.put("steps", r.steps());
        s.put("total_steps", r.totalSteps());
        s.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        s.put("interrupted", r.interrupted());
        for (Map.Entry<String, Double> e : r.finalMetrics().entrySet()) {
            Double v = e.getValue();
            boolean integral = e.getKey().startsWith("modes_") || e.getKey().endsWith("_samples");
            s.put(e.getKey(), integral && Double.isFinite(v) ? (Object) Math.round(v) : MetricsLog.jsonNumber(v));
        }
        s.put("eval_samples", c.getInt("train.eval_samples"));
        Map<String, Object> last = new LinkedHashMap<>();
        r.lastStats().forEach((k, v) -> last.put(k, MetricsLog.jsonNumber(v)));
        s.put("last_step_stats", last);
        s.put("seed", c.getLong("train.seed"));
        s.put("run_dir", run.root().toString());
        return s;
    }

    static String oneLine(String preset, Map<String, Object> s, RunDirectory run) {
        StringBuilder b = new StringBuilder();
        b.append(preset).append(": ").append(s.get("steps")).append(" steps in ")
                .append(ProgressListener.duration(((Number) s.get("seconds")).doubleValue()));
        if (s.containsKey("modes_covered")) {
            b.append(" | modes ").append(s.get("modes_covered")).append('/').append(s.get("modes_total"));
            b.append(String.format(Locale.ROOT, " | high quality %.3f", num(s.get("high_quality_fraction"))));
            b.append(String.format(Locale.ROOT, " | reverse KL %.4f", num(s.get("reverse_kl_modes"))));
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
