package io.ganflow.train;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.train.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Method}: the loop, one native-memory scope per step, the learning-rate schedule, logging
 * (the only host synchronisation), evaluation, checkpoints and stop requests. Everything else listens.
 */
public final class Trainer {
    private final Method method;
    private final Dataset data;
    private final Rng rng;
    private final TrainSpec spec;
    private final Evaluator evaluator;
    private final RunDirectory run;
    private final Map<String, Object> checkpointMeta;
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<String, Double> baseLr = new LinkedHashMap<>();
    private volatile boolean stopRequested;
    private long startStep;
    private double priorSeconds;

    /**
     * @param run where checkpoints go; null for a run without files (tests, library use)
     * @param checkpointMeta provenance and config stored in every checkpoint
     */
    public Trainer(Method method, Dataset data, Rng rng, TrainSpec spec, Evaluator evaluator, RunDirectory run,
            Map<String, Object> checkpointMeta) {
        this.method = method;
        this.data = data;
        this.rng = rng;
        this.spec = spec;
        this.evaluator = evaluator;
        this.run = run;
        this.checkpointMeta = checkpointMeta == null ? Map.of() : checkpointMeta;
        for (Map.Entry<String, Optimizer> e : method.optimizers().entrySet()) {
            baseLr.put(e.getKey(), e.getValue().learningRate());
        }
    }

    public Trainer addListener(Listener l) {
        listeners.add(l);
        return this;
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
        long t0 = System.nanoTime();
        listeners.forEach(l -> l.onStart(startStep, spec.steps()));
        Map<String, Double> last = Map.of();
        long done = startStep;
        for (long step = startStep + 1; step <= spec.steps() && !stopRequested; step++) {
            applySchedule(step);
            boolean log = step % spec.logEvery() == 0 || step == spec.steps() || step == 1;
            Map<String, Double> stats = null;
            try (Scope s = Scope.open()) {
                StepStats st = method.step(new StepContext(step, spec.steps(), data, rng, spec.batch(), log));
                if (log) {
                    stats = st.toHost();
                    double rss = residentMegabytes();
                    if (rss > 0) {
                        stats.put("rss_mb", rss);
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
            if (step < spec.steps() && spec.evalEvery() > 0 && step % spec.evalEvery() == 0) {
                evaluate(step);
            }
            if (step < spec.steps() && spec.checkpointEvery() > 0 && step % spec.checkpointEvery() == 0) {
                checkpoint(step, seconds(t0));
            }
        }
        boolean interrupted = done < spec.steps();
        Map<String, Double> finalMetrics = interrupted ? Map.of() : evaluate(done);
        if (done > startStep || run != null && run.checkpoints().isEmpty()) {
            checkpoint(done, seconds(t0));
        }
        TrainResult result = new TrainResult(done, spec.steps(), seconds(t0), interrupted, last, finalMetrics);
        listeners.forEach(l -> l.onEnd(result));
        return result;
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

    private double seconds(long t0) {
        return priorSeconds + (System.nanoTime() - t0) / 1e9;
    }

    private void applySchedule(long step) {
        double f = spec.lrFactor(step);
        for (Map.Entry<String, Optimizer> e : method.optimizers().entrySet()) {
            e.getValue().setLearningRate(baseLr.get(e.getKey()) * f);
        }
    }

    private Map<String, Double> evaluate(long step) {
        if (evaluator == null) {
            return Map.of();
        }
        Map<String, Double> m = evaluator.evaluate(method);
        listeners.forEach(l -> l.onEval(step, m));
        return m;
    }

    private void checkFinite(long step, Map<String, Double> stats) {
        for (Map.Entry<String, Double> e : stats.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new DivergenceException("training diverged at step " + step + ": " + e.getKey() + " = "
                        + e.getValue() + lastGoodCheckpoint());
            }
        }
    }

    private String lastGoodCheckpoint() {
        if (run == null || run.checkpoints().isEmpty()) {
            return "; no checkpoint was written before it";
        }
        return "; the last good checkpoint is " + run.checkpoints().get(0);
    }

    /** The state a checkpoint holds: the method's, the generator's, the schedule's and the clock's. */
    public StateDict state(double seconds) {
        StateDict sd = new StateDict();
        try (Scope s = Scope.open()) {
            method.saveState(sd);
        }
        sd.putValue("trainer.rng", rng.state());
        sd.putValue("trainer.seconds", seconds);
        for (Map.Entry<String, Double> e : baseLr.entrySet()) {
            sd.putValue("trainer.base_lr." + e.getKey(), e.getValue());
        }
        return sd;
    }

    private void checkpoint(long step, double seconds) {
        if (run == null) {
            return;
        }
        StateDict sd = state(seconds);
        for (Map.Entry<String, float[]> e : sd.tensors().entrySet()) {
            for (float f : e.getValue()) {
                if (!Float.isFinite(f)) {
                    throw new DivergenceException("training diverged by step " + step + ": " + e.getKey()
                            + " holds " + f + "; no checkpoint was written" + lastGoodCheckpoint());
                }
            }
        }
        Path file = run.checkpointFor(step);
        try {
            CheckpointIO.write(file, step, checkpointMeta, sd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
        run.pruneCheckpoints(spec.keepCheckpoints());
        listeners.forEach(l -> l.onCheckpoint(step, file));
    }
}
