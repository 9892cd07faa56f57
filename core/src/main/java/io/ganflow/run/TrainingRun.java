package io.ganflow.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Preset;
import io.ganflow.config.Presets;
import io.ganflow.config.ResolvedConfig;
import io.ganflow.config.Setup;
import io.ganflow.config.YamlKeys;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Engine;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.CheckpointListener;
import io.ganflow.train.DivergenceException;
import io.ganflow.train.EvaluationListener;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Listener;
import io.ganflow.train.Method;
import io.ganflow.train.MetricsLog;
import io.ganflow.io.Provenance;
import io.ganflow.train.RunDirectory;
import io.ganflow.train.TrainResult;
import io.ganflow.train.TrainSpec;
import io.ganflow.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One training run, ready to go: a validated config, its data set and method, the trainer and its
 * listeners, and optionally a run directory. Made by {@link #builder()} (a fresh run) or by
 * {@link TrainedRun#resume} (a continued one).
 *
 * <pre>{@code
 * TrainingRun run = TrainingRun.builder().preset("ring8-wgan-gp").set("train.steps", "2000")
 *         .outputDir(Path.of("runs/mine")).build();
 * TrainResult result = run.train();
 * }</pre>
 *
 * <p>Everything is validated and loaded in {@link Builder#build()}; the run directory appears only when
 * {@link #train()} starts, so a bad input never leaves a half-made directory.
 */
public final class TrainingRun {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Config config;
    private final String preset;
    private final Dataset data;
    private final Method method;
    private final TrainSpec spec;
    private final Optional<Evaluator> evaluator;
    private Optional<Path> outputDir;
    private final List<Listener> listeners;
    private final Trainer trainer;
    private final Checkpoint resumeFrom;
    private final Map<String, Object> provenance;
    private final RunDirectory existing;
    private RunDirectory run;
    private Map<String, Object> summary = Map.of();
    private TrainResult result;
    private io.ganflow.train.tensorboard.TensorBoardListener tensorBoard;
    private io.ganflow.train.dist.DataParallel group;

    private TrainingRun(Builder b, Config config, RunDirectory existing, Checkpoint resumeFrom,
            Map<String, Object> provenance) {
        this.config = config;
        this.preset = b.presetName;
        Setup.engine(config);
        this.data = Setup.dataset(config);
        this.method = resumeFrom != null ? Setup.methodForCheckpoint(config, data) : Setup.method(config, data);
        this.spec = Setup.trainSpec(config);
        this.evaluator = b.evaluation ? Optional.of(Setup.evaluator(config, data)) : Optional.empty();
        this.outputDir = Optional.ofNullable(b.outputDir);
        this.listeners = new ArrayList<>(b.listeners);
        this.existing = existing;
        this.resumeFrom = resumeFrom;
        this.provenance = new LinkedHashMap<>(provenance);
        this.provenance.put("precision", spec.precision().word());
        Precision.Choice precision = Setup.precision(config);
        if (!precision.reason().isEmpty() && resumeFrom == null) {
            System.err.println("ganflow: train.precision=auto chose " + precision.reason());
        }
        Precision.emulationWarning(precision.precision(), Engine.device())
                .ifPresent(w -> System.err.println("ganflow: warning: " + w));
        List<Path> dataFiles = data.files();
        if (!dataFiles.isEmpty()) {
            this.provenance.put("data_files_sha256", Provenance.dataFiles(dataFiles));
        }
        this.trainer = new Trainer(method, data, new Rng(spec.seed()), spec);
        if (resumeFrom != null) {
            trainer.resumeFrom(resumeFrom);
        }
    }

    /** A builder for a fresh run. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains to {@code train.steps} (or until {@link #requestStop()}), writing the run directory if one was
     * given: config.yaml, provenance.json, metrics.jsonl, checkpoints and summary.json.
     *
     * @throws DivergenceException when a loss or weight becomes NaN or Inf (the last good checkpoint is named)
     */
    public TrainResult train() {
        List<Listener> own = new ArrayList<>();
        MetricsLog log = null;
        if (writesFiles()) {
            run = existing != null ? existing : RunDirectory.create(outputDir.get());
            try {
                ResolvedConfig.write(config, preset, run.config());
                JSON.writeValue(run.provenance().toFile(), provenance);
            } catch (IOException e) {
                run.close();
                if (io.ganflow.StorageException.isStorageProblem(e)) {
                    throw io.ganflow.StorageException.writing(run.provenance(), e);
                }
                throw new UncheckedIOException(e);
            }
            log = new MetricsLog(run.metrics());
            own.add(log);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("preset", preset);
            meta.put("config", new LinkedHashMap<>(config.asText()));
            meta.put("provenance", provenance);
            own.add(new CheckpointListener(run, meta, spec.checkpointEvery(), spec.keepCheckpoints()));
        }
        if (isRankZero()) {
            evaluator.ifPresent(ev -> own.add(new EvaluationListener(ev, spec.evalEvery())));
        }
        tensorBoard().ifPresent(own::add);
        // The user's listeners first, so they have started before the step-0 checkpoint is announced; the
        // run's own ones then finish in order: the final checkpoint, then the final evaluation.
        listeners.forEach(trainer::addListener);
        own.forEach(trainer::addListener);
        TrainResult result;
        try {
            result = trainer.run();
        } catch (RuntimeException | Error e) {
            if (run != null) {
                run.close();
            }
            throw e;
        } finally {
            if (log != null) {
                log.close();
            }
            if (tensorBoard != null) {
                tensorBoard.close();
            }
        }
        this.result = result;
        summary = summary(result);
        if (run != null) {
            try {
                JSON.writeValue(run.summary().toFile(), summary);
            } catch (IOException e) {
                if (io.ganflow.StorageException.isStorageProblem(e)) {
                    throw io.ganflow.StorageException.writing(run.summary(), e);
                }
                throw new UncheckedIOException(e);
            } finally {
                // The writer lock (taken by RunDirectory.create or openForWriting) ends with the training; a
                // caller that writes more into the directory takes it again with run().get().lock().
                run.close();
            }
        }
        return result;
    }

    /**
     * Makes this run process {@code dp.rank()} of a data-parallel job; call before {@link #train()}. Every
     * process trains on its shard of each batch with gradients averaged over the group (see {@link
     * Trainer#distributed}); rank 0 alone writes the run directory (checkpoints, metrics, summary) and
     * evaluates, the others write nothing.
     *
     * @throws BadInputException when train.batch does not split evenly over the processes
     */
    public TrainingRun distributed(io.ganflow.train.dist.DataParallel dp) {
        trainer.distributed(dp).syncBatchNorm(config.getBool("train.sync_bn"));
        this.group = dp;
        return this;
    }

    /** The data-parallel group of this run, if it is one process of a job. */
    public Optional<io.ganflow.train.dist.DataParallel> group() {
        return Optional.ofNullable(group);
    }

    /** True for a single-process run and for rank 0 of a data-parallel job: the process that writes and evaluates. */
    public boolean isRankZero() {
        return group == null || group.rank() == 0;
    }

    /** Adds a listener; call before {@link #train()}. */
    public TrainingRun addListener(Listener l) {
        listeners.add(java.util.Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** Sets (or replaces) the run directory of a fresh run; call before {@link #train()}. */
    public TrainingRun outputDir(Path dir) {
        if (existing != null) {
            throw new IllegalStateException("a resumed run trains in its own directory " + existing.root());
        }
        this.outputDir = Optional.of(dir);
        return this;
    }

    /**
     * The TensorBoard listener of a run that writes a directory with {@code log.tensorboard=true} (the
     * default): every logged statistic and evaluation as scalars, histograms every
     * {@code log.tensorboard.histograms_every} steps. Add a picture source to it before {@link #train()}.
     */
    public Optional<io.ganflow.train.tensorboard.TensorBoardListener> tensorBoard() {
        if (tensorBoard == null && config.getBool("log.tensorboard") && writesFiles()) {
            tensorBoard = new io.ganflow.train.tensorboard.TensorBoardListener(directory().get()).histograms(
                    config.getInt("log.tensorboard.histograms_every"),
                    io.ganflow.train.tensorboard.TensorBoardListener.weightsOf(method));
        }
        return Optional.ofNullable(tensorBoard);
    }

    /** The directory the run writes (once {@link #train()} starts), if any. */
    public Optional<Path> directory() {
        return existing != null ? Optional.of(existing.root()) : outputDir;
    }

    /** Whether a run directory will be written. */
    public boolean writesFiles() {
        return isRankZero() && (existing != null || outputDir.isPresent());
    }

    /** Asks a running {@link #train()} to stop after the current step and write a checkpoint. Thread-safe. */
    public void requestStop() {
        trainer.requestStop();
    }

    private Map<String, Object> summary(TrainResult r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("preset", preset);
        s.put("method", config.getString("method"));
        s.put("data", data.name());
        s.put("steps", r.steps());
        s.put("total_steps", r.totalSteps());
        s.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        s.put("interrupted", r.interrupted());
        for (Map.Entry<String, Double> e : r.finalMetrics().entrySet()) {
            Double v = e.getValue();
            boolean integral = e.getKey().startsWith("modes_") || e.getKey().startsWith("classes_")
                    || e.getKey().endsWith("_samples");
            s.put(e.getKey(), integral && Double.isFinite(v) ? (Object) Math.round(v) : MetricsLog.jsonNumber(v));
        }
        s.put("eval_samples", config.getInt("train.eval_samples"));
        // the image metrics name the extractor whose features they were computed on
        evaluator.flatMap(Evaluator::imageEvaluation).flatMap(ie -> ie.featuresIdIfLoaded().map(id -> ie))
                .ifPresent(ie -> {
                    s.put("features_id", ie.extractor().id());
                    s.put("features", ie.extractor().description());
                });
        Map<String, Object> last = new LinkedHashMap<>();
        r.lastStats().forEach((k, v) -> last.put(k, MetricsLog.jsonNumber(v)));
        s.put("last_step_stats", last);
        s.put("seed", config.getLong("train.seed"));
        run().ifPresent(d -> s.put("run_dir", d.root().toString()));
        return s;
    }

    public Config config() {
        return config;
    }

    /** The preset the config started from, or "custom". */
    public String preset() {
        return preset;
    }

    public Dataset data() {
        return data;
    }

    public Method method() {
        return method;
    }

    public TrainSpec spec() {
        return spec;
    }

    public Optional<Evaluator> evaluator() {
        return evaluator;
    }

    /** The run directory, once {@link #train()} has made or reopened it. */
    public Optional<RunDirectory> run() {
        return Optional.ofNullable(run);
    }

    /** The step training starts from: 0, or the checkpoint's step when resuming. */
    public long startStep() {
        return trainer.startStep();
    }

    /** The result of {@link #train()}; throws before it has run. */
    public TrainResult result() {
        if (result == null) {
            throw new IllegalStateException("train() has not run");
        }
        return result;
    }

    /** summary.json's content after {@link #train()}: steps, seconds, the final evaluation, the seed. */
    public Map<String, Object> summary() {
        return summary;
    }

    public Map<String, Object> provenance() {
        return provenance;
    }

    /** Builds a {@link TrainingRun}. Layers, later ones winning: key defaults, preset, config file, {@link #set}. */
    public static final class Builder {
        private String presetName;
        private Path configFile;
        private Config baseConfig;
        private final Map<String, String[]> sets = new LinkedHashMap<>();
        private final List<Listener> listeners = new ArrayList<>();
        private boolean evaluation = true;
        private Path outputDir;
        private String commandLine = "";
        private java.util.function.Consumer<String> notes = n -> { };

        Builder() {}

        /** Where notes about the resolution go, e.g. that a config file without a preset starts from the default. */
        public Builder noteTo(java.util.function.Consumer<String> sink) {
            this.notes = java.util.Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Starts from a preset (built-in or added with {@link Presets#addDirectory}). */
        public Builder preset(String name) {
            this.presetName = name;
            return this;
        }

        /** A YAML config file (keys nested or dotted; may say {@code preset: NAME}). */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** A complete config; {@link #set} still applies on top. */
        public Builder config(Config c) {
            this.baseConfig = c;
            return this;
        }

        /** Sets one key; {@code source} names where the value came from in config.yaml. */
        public Builder set(String key, String value, String source) {
            sets.put(key, new String[] {value, source});
            return this;
        }

        public Builder set(String key, String value) {
            return set(key, value, "code");
        }

        public Builder listener(Listener l) {
            listeners.add(java.util.Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** Turns the periodic and final evaluation off (on by default). */
        public Builder evaluation(boolean on) {
            this.evaluation = on;
            return this;
        }

        /** Where the run directory goes; without it the run writes no files. It must not exist or be empty. */
        public Builder outputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        /** Recorded in provenance.json. */
        public Builder commandLine(String line) {
            this.commandLine = line == null ? "" : line;
            return this;
        }

        /**
         * Resolves and validates the config, loads the data and builds the method. Nothing is written.
         *
         * @throws BadInputException naming the key or file on any bad input
         */
        public TrainingRun build() {
            Resolved r = resolveConfig();
            r.note().ifPresent(notes);
            Setup.engine(r.config()); // first: provenance records the threads and device in force
            return new TrainingRun(this, r.config(), null, null, provenance(r.config(), commandLine, null));
        }

        /**
         * Resolves and validates the config layers only (nothing is loaded or built): the config, the preset it
         * started from, and a note when a config file names no preset and the default preset filled in.
         */
        public Resolved resolveConfig() {
            String note = null;
            Config c = resolve();
            if (defaultFilledIn != null) {
                note = defaultFilledIn;
            }
            return new Resolved(c, presetName, Optional.ofNullable(note));
        }

        TrainingRun resume(Config c, String preset, RunDirectory dir, Checkpoint ckpt, Map<String, Object> provenance) {
            this.presetName = preset;
            return new TrainingRun(this, c, dir, ckpt, provenance);
        }

        private String defaultFilledIn;

        private Config resolve() {
            Map<String, String> fileValues = Map.of();
            defaultFilledIn = null;
            if (configFile != null) {
                fileValues = new LinkedHashMap<>(YamlKeys.readFile(configFile, "--config " + configFile));
                String p = fileValues.remove("preset");
                if (p != null) {
                    if (presetName != null && !presetName.equals(p)) {
                        throw new BadInputException("--preset " + presetName + " conflicts with 'preset: " + p + "' in "
                                + configFile + "; give one of them");
                    }
                    presetName = p;
                }
            }
            Config.Builder b = baseConfig != null ? baseConfig.toBuilder() : Config.builder();
            if (baseConfig == null) {
                String source = null;
                if (presetName == null) {
                    // Like plain `ganflow train`: a config file that names no preset starts from the default
                    // one, not from the bare key defaults (a WGAN without penalty or clipping).
                    presetName = Presets.DEFAULT;
                    if (configFile != null) {
                        source = "preset " + Presets.DEFAULT + ResolvedConfig.DEFAULT_MARK;
                        // A file that sets every key (a run's config.yaml) does not depend on the preset: no note.
                        if (!fileValues.keySet().containsAll(Config.defaults().asText().keySet())) {
                            defaultFilledIn = "--config " + configFile + " names no 'preset:'; keys it does not set come"
                                    + " from the default preset, " + Presets.DEFAULT + " (add 'preset: NAME' to choose another)";
                        }
                    }
                }
                Preset p = Presets.get(presetName);
                b.setAll(p.values(), source != null ? source : "preset " + p.name());
            } else if (presetName == null) {
                presetName = "custom";
            }
            b.setAll(fileValues, configFile == null ? "" : configFile.toString());
            for (Map.Entry<String, String[]> e : sets.entrySet()) {
                b.set(e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
            return b.build();
        }
    }

    /** A resolved config, the preset it started from, and a note for the user, if any. */
    public record Resolved(Config config, String preset, Optional<String> note) {}

    /** provenance.json: versions, commit, seed, machine, command, and the SHA-256 of every data file read. */
    static Map<String, Object> provenance(Config c, String commandLine, Map<String, Object> earlier) {
        Map<String, Object> p = earlier != null ? new LinkedHashMap<>(earlier)
                : Provenance.collect(c.getLong("train.seed"), commandLine);
        List<Path> weights = new ArrayList<>();
        for (String key : List.of("model.g.init_from", "model.d.init_from")) {
            String v = c.getString(key);
            if (!v.isBlank() && Files.isRegularFile(Path.of(v))) {
                weights.add(Path.of(v));
            }
        }
        if (!weights.isEmpty()) {
            p.put("init_files_sha256", Provenance.dataFiles(weights));
        }
        return p;
    }
}
