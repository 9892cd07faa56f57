package io.ganflow.train;

import io.ganflow.nn.StateDict;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Method}: the loop, one native-memory scope per step, the learning-rate schedule, logging
 * (the only host synchronisation), the finite check and stop requests. Everything else listens:
 * checkpoints, evaluation, metric files, alarms and progress are {@link Listener}s.
 */
public final class Trainer {
    private final Method method;
    private final Dataset data;
    private final Rng rng;
    private final TrainSpec spec;
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<String, Double> baseLr = new LinkedHashMap<>();
    private volatile boolean stopRequested;
    private long startStep;
    private double priorSeconds;
    private long t0;
    private long finalStep = -1;
    private Map<String, Double> finalMetrics = Map.of();
    private io.ganflow.train.dist.DataParallel dp;
    private boolean syncBatchNorm;
    private final io.ganflow.engine.Device device;

    /**
     * @param rng the training generator (batches, latent draws, interpolation weights); its state is part of
     *     every checkpoint
     */
    public Trainer(Method method, Dataset data, Rng rng, TrainSpec spec) {
        this.method = method;
        this.data = data;
        this.rng = rng;
        this.spec = spec;
        this.device = io.ganflow.engine.Engine.device();
        for (Map.Entry<String, Optimizer> e : method.optimizers().entrySet()) {
            baseLr.put(e.getKey(), e.getValue().learningRate());
        }
        if (device != io.ganflow.engine.Device.CPU) {
            Placement.moveState(method, device);
        }
    }

    /** The device of this run's state, batches and noise (the engine's device when the trainer was built). */
    public io.ganflow.engine.Device device() {
        return device;
    }

    /**
     * Makes this trainer one process of a data-parallel job (call before {@link #run}). Every process holds
     * the same seed; each draws its shard of every batch ({@link Rng#shard}, {@link
     * io.ganflow.train.dist.ShardedDataset}), so the batch per process is {@code train.batch / world}. At the
     * start rank 0's parameters and buffers are broadcast; every optimiser's gradients are all-reduced and
     * averaged before each update; rank 0's buffers (batch-norm running statistics, spectral-norm vectors) are
     * broadcast before each step, as PyTorch's DDP does by default; the processes agree on stopping after
     * every step; and logged statistics are averaged over the processes.
     */
    public Trainer distributed(io.ganflow.train.dist.DataParallel group) {
        if (spec.batch() % group.world() != 0) {
            throw new io.ganflow.BadInputException("train.batch " + spec.batch() + " does not split evenly over "
                    + group.world() + " processes; give a multiple of " + group.world());
        }
        if (device == io.ganflow.engine.Device.CUDA && group.world() > 1) {
            // every process would take the first GPU: one GPU per process needs a device index per rank (not done)
            throw new io.ganflow.BadInputException("train.device=cuda with " + group.world() + " processes is not"
                    + " supported yet (each would use the first GPU); allowed: train.device=cpu with several processes,"
                    + " or one process on the GPU");
        }
        this.dp = group;
        for (Optimizer o : method.optimizers().values()) {
            o.gradientHook(group.world() > 1 ? group::allReduceMean : null);
        }
        return this;
    }

    /**
     * In a data-parallel job, whether batch norm in training mode uses the global batch's statistics ({@code
     * train.sync_bn}, {@link io.ganflow.nn.BatchNorm#synchronize}) instead of each process's own rows.
     */
    public Trainer syncBatchNorm(boolean on) {
        this.syncBatchNorm = on;
        return this;
    }

    /** The data-parallel group this trainer belongs to, if any. */
    public java.util.Optional<io.ganflow.train.dist.DataParallel> group() {
        return java.util.Optional.ofNullable(dp);
    }

    /** Parameters of every optimiser, then the buffers of every network: what rank 0 broadcasts. */
    private List<org.bytedeco.pytorch.Tensor> replicatedState() {
        List<org.bytedeco.pytorch.Tensor> out = new ArrayList<>();
        java.util.Set<org.bytedeco.pytorch.Tensor> seen = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        for (Optimizer o : method.optimizers().values()) {
            for (io.ganflow.nn.Parameter p : o.parameters()) {
                if (seen.add(p.value())) {
                    out.add(p.value());
                }
            }
        }
        out.addAll(buffers());
        return out;
    }

    private List<org.bytedeco.pytorch.Tensor> buffers() {
        List<io.ganflow.nn.Module> modules = Placement.modulesOf(method);
        List<org.bytedeco.pytorch.Tensor> out = new ArrayList<>();
        java.util.Set<org.bytedeco.pytorch.Tensor> seen = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        for (io.ganflow.nn.Module m : modules) {
            for (io.ganflow.nn.Parameter b : m.buffers()) {
                if (b.value().is_floating_point() && seen.add(b.value())) {
                    out.add(b.value());
                }
            }
        }
        return out;
    }

    public Trainer addListener(Listener l) {
        listeners.add(l);
        l.onAttach(this);
        return this;
    }

    public Method method() {
        return method;
    }

    public Dataset data() {
        return data;
    }

    public TrainSpec spec() {
        return spec;
    }

    /** Asks the loop to stop after the current step, write a checkpoint and return. Thread-safe. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Restores the method, the generator and the step counter from a checkpoint. */
    public void resumeFrom(Checkpoint ckpt) {
        method.loadState(ckpt.state());
        rng.setState(ckpt.state().getBytes("trainer.rng"));
        for (Map.Entry<String, Optimizer> e : method.optimizers().entrySet()) {
            String key = "trainer.base_lr." + e.getKey();
            if (ckpt.state().hasValue(key)) {
                baseLr.put(e.getKey(), ckpt.state().getDouble(key));
            }
        }
        startStep = ckpt.step();
        priorSeconds = ckpt.state().hasValue("trainer.seconds") ? ckpt.state().getDouble("trainer.seconds") : 0;
    }

    public long startStep() {
        return startStep;
    }

    public TrainResult run() {
        t0 = System.nanoTime();
        Dataset stepData = data;
        Rng stepRng = rng;
        int batch = spec.batch();
        List<org.bytedeco.pytorch.Tensor> buffers = List.of();
        if (dp != null) {
            dp.atStep(startStep);
            dp.broadcastFromRankZero(replicatedState());
            stepData = new io.ganflow.train.dist.ShardedDataset(data, dp.rank(), dp.world());
            stepRng = rng.shard(dp.rank(), dp.world());
            batch = spec.batch() / dp.world();
            buffers = dp.world() > 1 ? buffers() : List.of();
        }
        if (device != io.ganflow.engine.Device.CPU) {
            stepData = new io.ganflow.data.DeviceDataset(stepData, device);
            stepRng = stepRng.on(device);
        }
        listeners.forEach(l -> l.onStart(startStep, spec.steps()));
        Map<String, Double> last = Map.of();
        long done = startStep;
        io.ganflow.nn.BatchNorm.Sync sync = dp != null && dp.world() > 1 && syncBatchNorm
                ? io.ganflow.nn.BatchNorm.synchronize(dp::sumInPlace) : null;
        try {
            for (long step = startStep + 1; step <= spec.steps() && !shouldStop(step); step++) {
                applySchedule(step);
                boolean log = step % spec.logEvery() == 0 || step == spec.steps() || step == 1;
                Map<String, Double> stats = null;
                try (Scope s = Scope.open(); Precision.Use p = Precision.use(spec.precision())) {
                    if (!buffers.isEmpty()) {
                        dp.broadcastFromRankZero(buffers);
                    }
                    StepStats st = method.step(new StepContext(step, spec.steps(), stepData, stepRng, batch, log));
                    if (log) {
                        stats = st.toHost();
                        double rss = residentMegabytes();
                        if (rss > 0) {
                            stats.put("rss_mb", rss);
                        }
                        if (dp != null) {
                            stats = averaged(stats);
                        }
                    }
                }
                done = step;
                if (stats != null) {
                    checkFinite(step, stats);
                    last = stats;
                    final long st = step;
                    final Map<String, Double> fs = stats;
                    listeners.forEach(l -> l.onLog(st, fs));
                }
                if (sync != null) {
                    sync.check();
                }
                final long st = step;
                listeners.forEach(l -> l.onStep(st));
            }
        } finally {
            if (sync != null) {
                sync.close();
            }
        }
        boolean interrupted = done < spec.steps();
        finalStep = done;
        final long d = done;
        listeners.forEach(l -> l.onFinish(d, interrupted));
        TrainResult result = new TrainResult(done, spec.steps(), seconds(), interrupted, last,
                interrupted ? Map.of() : finalMetrics);
        listeners.forEach(l -> l.onEnd(result));
        return result;
    }

    /**
     * Hands an evaluation to every listener (metric files, alarms, plots). The evaluation published at the
     * final step becomes {@link TrainResult#finalMetrics()}.
     */
    public void publishEval(long step, Map<String, Double> metrics) {
        if (step == finalStep) {
            finalMetrics = metrics;
        }
        listeners.forEach(l -> l.onEval(step, metrics));
    }

    /** Tells every listener that a checkpoint was written (called by {@link CheckpointListener}). */
    public void notifyCheckpoint(long step, Path file) {
        listeners.forEach(l -> l.onCheckpoint(step, file));
    }

    /** Stop requests (Ctrl-C, alarms) of any process stop every process after the same step. */
    private boolean shouldStop(long step) {
        if (dp == null) {
            return stopRequested;
        }
        dp.atStep(step);
        return dp.world() > 1 ? dp.any(stopRequested) : stopRequested;
    }

    /** Logged statistics as the mean over the processes (each computed them on its shard). */
    private Map<String, Double> averaged(Map<String, Double> stats) {
        if (dp.world() == 1) {
            return stats;
        }
        double[] v = new double[stats.size()];
        int i = 0;
        for (double x : stats.values()) {
            v[i++] = x;
        }
        double[] m = dp.mean(v);
        Map<String, Double> out = new LinkedHashMap<>();
        i = 0;
        for (String k : stats.keySet()) {
            out.put(k, m[i++]);
        }
        return out;
    }

    /** The process's resident memory in MiB (Linux /proc), or -1 where unknown. */
    static double residentMegabytes() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096.0 / (1 << 20);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Seconds trained so far, including earlier sessions of a resumed run. */
    public double seconds() {
        return priorSeconds + (t0 == 0 ? 0 : (System.nanoTime() - t0) / 1e9);
    }

    private void applySchedule(long step) {
        double f = spec.lrFactor(step);
        for (Map.Entry<String, Optimizer> e : method.optimizers().entrySet()) {
            e.getValue().setLearningRate(baseLr.get(e.getKey()) * f);
        }
    }

    private void checkFinite(long step, Map<String, Double> stats) {
        for (Map.Entry<String, Double> e : stats.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                StringBuilder notes = new StringBuilder();
                listeners.forEach(l -> notes.append(l.divergenceNote()));
                throw new DivergenceException("training diverged at step " + step + ": " + e.getKey() + " = "
                        + e.getValue() + notes);
            }
        }
    }

    /** The state a checkpoint holds: the method's, the generator's, the schedule's and the clock's. */
    public StateDict state() {
        StateDict sd = new StateDict();
        try (Scope s = Scope.open()) {
            method.saveState(sd);
        }
        sd.putValue("trainer.rng", rng.state());
        sd.putValue("trainer.seconds", seconds());
        for (Map.Entry<String, Double> e : baseLr.entrySet()) {
            sd.putValue("trainer.base_lr." + e.getKey(), e.getValue());
        }
        return sd;
    }
}
