package io.ganflow.run;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.ResolvedConfig;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.io.WeightsExport;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.CheckpointIO;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Tensor;

/**
 * A trained run, reopened from its directory or one checkpoint: the exact config it was trained with, its
 * data set and its method with the checkpoint's weights loaded. Every command that opens a run (sample,
 * eval, export, resume) goes through here.
 *
 * <pre>{@code
 * TrainedRun r = TrainedRun.open(Path.of("runs/mine"));
 * double[][] x = r.sample(1000, 0);          // data space
 * Map<String, Double> m = r.evaluate();      // modes, W1, ... as during training
 * }</pre>
 */
public final class TrainedRun {
    private final Optional<RunDirectory> dir;
    private final Checkpoint checkpoint;
    private final Config config;
    private final String preset;
    private final Dataset data;
    private final Method method;

    private TrainedRun(Optional<RunDirectory> dir, Checkpoint ckpt) {
        this.dir = dir;
        this.checkpoint = ckpt;
        this.config = ResolvedConfig.fromCheckpointMeta(ckpt.meta(), ckpt.file());
        this.preset = String.valueOf(ckpt.meta().getOrDefault("preset", "custom"));
        Setup.engineForTrainedRun(config);
        this.data = Setup.dataset(config);
        this.method = Setup.methodForCheckpoint(config, data);
        method.loadState(ckpt.state());
        if (io.ganflow.engine.Engine.device() != io.ganflow.engine.Device.CPU) {
            io.ganflow.train.Placement.moveState(method, io.ganflow.engine.Engine.device());
        }
    }

    /** Opens the newest intact checkpoint of a run directory; skipped corrupt ones are reported on stderr. */
    public static TrainedRun open(Path runDir) {
        return open(runDir, msg -> System.err.println("ganflow: warning: " + msg));
    }

    /**
     * Opens the newest intact checkpoint of a run directory.
     *
     * @param warnings receives one line per corrupt checkpoint skipped
     * @throws BadInputException when the directory holds no intact checkpoint
     */
    public static TrainedRun open(Path runDir, Consumer<String> warnings) {
        RunDirectory run = RunDirectory.open(runDir);
        Checkpoint ckpt = run.latestIntactCheckpoint(warnings)
                .orElseThrow(() -> new BadInputException(runDir + ": no intact checkpoint in " + run.checkpointDir()));
        return new TrainedRun(Optional.of(run), ckpt);
    }

    /** Opens one checkpoint file (its run directory, if any, is not used). */
    public static TrainedRun openCheckpoint(Path file) {
        return new TrainedRun(Optional.empty(), CheckpointIO.read(file));
    }

    public Config config() {
        return config;
    }

    /** The preset the run started from, or "custom". */
    public String preset() {
        return preset;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public long step() {
        return checkpoint.step();
    }

    public Dataset data() {
        return data;
    }

    /** The method with the checkpoint's weights. */
    public Method method() {
        return method;
    }

    public Optional<RunDirectory> directory() {
        return dir;
    }

    /** n samples in model space (the method's own sampler), drawn with {@code rng}. Call inside a {@link Scope}. */
    public Tensor sampleModel(int n, Rng rng) {
        return method.sample(n, rng);
    }

    /**
     * n samples in data space (CSV units; pixel values 0..255 for images, each image flattened to one row
     * of C*H*W values), drawn from the latent seed {@code seed}.
     */
    public double[][] sample(int n, long seed) {
        try (Scope s = Scope.open()) {
            Tensor x = data.standardizer().toData(method.sample(n, new Rng(seed)));
            return Ops.toRows(x.dim() > 2 ? x.reshape(n, -1) : x);
        }
    }

    /**
     * n samples in data space (as {@link #sample(int, long)}) of the given classes, one per sample, from a
     * conditional run ("draw me a 7": {@code sampleClasses(new long[] {7, 7, 7}, seed)}).
     *
     * @throws BadInputException when the run is not conditional or a class is not one of its classes
     */
    public double[][] sampleClasses(long[] classes, long seed) {
        try (Scope s = Scope.open()) {
            Tensor x = data.standardizer().toData(method.sample(io.ganflow.train.SampleRequest.of(classes.length,
                    new Rng(seed)).withLabels(classes)).x());
            return Ops.toRows(x.dim() > 2 ? x.reshape(classes.length, -1) : x);
        }
    }

    /** The number of classes of a conditional run; 0 for an unconditional one. */
    public int classes() {
        return method.classes();
    }

    /** The networks this run can export: "generator", "critic", "velocity", "velocity_distilled". */
    public java.util.Set<String> networks() {
        return method.networks().keySet();
    }

    /** How the method reads an exported field net, in words (empty for a generator, a critic or "all"). */
    private static String reads(String what) {
        return switch (what) {
            case "velocity", "velocity_distilled" -> "the velocity v(x, t) of the flow, t in [0, 1] from the prior"
                    + " (t = 0) to the data (t = 1), in the model space of ganflow.data_mean / data_scale";
            case "eps" -> "the noise prediction eps(x_t, t / T) of DDPM, T the config's diffusion.steps; docs/diffusion.md";
            case "denoiser" -> "the raw net F of the denoiser D(x, t) = c_skip x + c_out F(c_in x, t_net) of the config's"
                    + " diffusion target and process (t_net = t, or 1/4 ln sigma under EDM); docs/diffusion.md";
            default -> "";
        };
    }

    /**
     * Writes weights as safetensors with PyTorch state_dict names (see {@link WeightsExport}).
     *
     * @param what a network of {@link #networks()}, or "all" (each network's names then start with
     *     "generator.", "critic.", ...)
     * @return the metadata written: the architecture, the run's config, step and checkpoint SHA-256
     */
    public Map<String, String> export(Path file, String what) throws java.io.IOException {
        Map<String, io.ganflow.nn.Module> nets = method.networks();
        if (nets.isEmpty()) {
            throw new BadInputException("method " + config.getString("method") + " has no exportable network");
        }
        if (!what.equals("all") && !nets.containsKey(what)) {
            throw new BadInputException("--what " + what + " is not allowed for this run; allowed: "
                    + String.join(", ", nets.keySet()) + ", all");
        }
        Map<String, SafeTensor> tensors = new java.util.TreeMap<>();
        Map<String, String> meta = new java.util.TreeMap<>();
        if (what.equals("all")) {
            for (Map.Entry<String, io.ganflow.nn.Module> e : nets.entrySet()) {
                tensors.putAll(WeightsExport.stateDict(e.getValue(), e.getKey() + "."));
                WeightsExport.architecture(e.getValue()).forEach((k, v) -> meta.put(e.getKey() + "." + k, v));
            }
        } else {
            tensors.putAll(WeightsExport.stateDict(nets.get(what), ""));
            meta.putAll(WeightsExport.architecture(nets.get(what)));
        }
        meta.put("ganflow.what", what);
        String reads = reads(what);
        if (!reads.isEmpty()) {
            meta.put("ganflow.reads", reads);
        }
        meta.put("ganflow.method", config.getString("method"));
        meta.put("ganflow.preset", preset);
        meta.put("ganflow.step", Long.toString(checkpoint.step()));
        meta.put("ganflow.checkpoint", checkpoint.file().getFileName().toString());
        meta.put("ganflow.checkpoint_sha256", sha256(checkpoint.file()));
        meta.put("ganflow.version", io.ganflow.Version.ganflow());
        meta.put("ganflow.commit", io.ganflow.io.Provenance.gitCommit());
        if (config.getString("method").equals("gan") || nets.containsKey("generator")) {
            meta.put("ganflow.z_dim", Integer.toString(config.getInt("model.z_dim")));
        }
        io.ganflow.data.Standardizer st = data.standardizer();
        if (!st.isIdentity()) {
            meta.put("ganflow.data_mean", java.util.Arrays.toString(st.mean()));
            meta.put("ganflow.data_scale", java.util.Arrays.toString(st.scale()));
        }
        try {
            meta.put("ganflow.config", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(config.asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Safetensors.write(file, tensors, meta);
        return meta;
    }

    private static String sha256(Path f) {
        return io.ganflow.io.Provenance.dataFiles(java.util.List.of(f)).values().iterator().next();
    }

    /** The run's evaluator, with its configured protocol (train.eval_samples, train.w1_samples, eval.metrics). */
    public Evaluator evaluator() {
        return Setup.evaluator(config, data);
    }

    /** The same figures as the run's final evaluation, recomputed from the checkpoint. */
    public Map<String, Double> evaluate() {
        return evaluator().evaluate(method);
    }

    /**
     * Continues the run from this checkpoint, in its directory. Set a new step count, threads or listeners
     * on the returned {@link Resume}, then {@link Resume#build()}.
     */
    public Resume resume() {
        RunDirectory run = dir.orElseThrow(() -> new BadInputException(checkpoint.file()
                + ": resuming needs the run directory; open the run with TrainedRun.open(dir)"));
        return new Resume(config, preset, run, checkpoint);
    }

    /**
     * Restarts a run whose directory has a config.yaml but no intact checkpoint (it stopped before its
     * first checkpoint), from step 0 with the same config, in the same directory.
     */
    public static Resume restart(Path runDir) {
        RunDirectory run = RunDirectory.open(runDir);
        if (!Files.isRegularFile(run.config())) {
            throw new BadInputException(runDir + ": no intact checkpoint and no config.yaml; start a new run with"
                    + " ganflow train --out DIR");
        }
        Config c = ResolvedConfig.read(run.config(), "config.yaml");
        // metrics.jsonl of the failed start is deleted by build(), once the writer lock is held
        return new Resume(c, ResolvedConfig.presetOf(run.config()), run, null);
    }

    /** Options of a resumed (or restarted) run. */
    public static final class Resume {
        private final Config config;
        private final String preset;
        private final RunDirectory run;
        private final Checkpoint checkpoint;
        private final TrainingRun.Builder builder = TrainingRun.builder();
        private Long steps;
        private Integer threads;
        private String commandLine = "";
        private int rank;

        Resume(Config config, String preset, RunDirectory run, Checkpoint checkpoint) {
            this.config = config;
            this.preset = preset;
            this.run = run;
            this.checkpoint = checkpoint;
        }

        /** A new train.steps (null: the run's own). */
        public Resume steps(Long s) {
            this.steps = s;
            return this;
        }

        /** A new train.threads (null: unchanged). */
        public Resume threads(Integer t) {
            this.threads = t;
            return this;
        }

        public Resume listener(io.ganflow.train.Listener l) {
            builder.listener(l);
            return this;
        }

        public Resume commandLine(String line) {
            this.commandLine = line;
            return this;
        }

        /**
         * The data-parallel rank of this process (0 by default). Rank 0 continues the run in its directory;
         * another rank restores the same checkpoint into a run that writes nothing (rank 0 writes for the job).
         */
        public Resume rank(int r) {
            this.rank = r;
            return this;
        }

        /** The step training continues from (0 for a restart). */
        public long fromStep() {
            return checkpoint == null ? 0 : checkpoint.step();
        }

        /** Validates the new step count and builds the run, restored to the checkpoint. */
        public TrainingRun build() {
            Config.Builder b = config.toBuilder();
            if (steps != null) {
                b.set("train.steps", Long.toString(steps), "--steps");
            }
            if (threads != null) {
                b.set("train.threads", Integer.toString(threads), "--threads");
            }
            Config c = b.build();
            if (c.getLong("train.steps") < fromStep()) {
                throw new BadInputException("--steps " + c.getLong("train.steps") + " is below the checkpoint's step "
                        + fromStep() + "; give a larger --steps to continue");
            }
            Map<String, Object> p = null;
            if (checkpoint != null && checkpoint.meta().get("provenance") instanceof Map<?, ?> m) {
                p = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    p.put(String.valueOf(e.getKey()), e.getValue());
                }
                p.put("resumed_with", commandLine);
            }
            Setup.engine(c); // provenance records the threads and device in force
            if (rank != 0) {
                return builder.resume(c, preset, null, checkpoint, TrainingRun.provenance(c, commandLine, p));
            }
            // The writer lock first, so a second writer of this run fails at once (exit 2, naming our PID).
            RunDirectory locked = RunDirectory.openForWriting(run.root());
            try {
                if (checkpoint == null) {
                    Files.deleteIfExists(locked.metrics()); // a restart from step 0
                }
                return builder.resume(c, preset, locked, checkpoint, TrainingRun.provenance(c, commandLine, p));
            } catch (java.io.IOException e) {
                locked.close();
                throw new java.io.UncheckedIOException(e);
            } catch (RuntimeException e) {
                locked.close();
                throw e;
            }
        }
    }
}
