package io.ganflow.train;

import io.ganflow.nn.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes checkpoints into a run directory: one at step 0 of a fresh run (so a crash in the first seconds
 * leaves a run that {@code --resume} restarts), every {@code every} steps, and after the last step, before
 * the final evaluation. Keeps the newest {@code keep}. A state holding NaN or Inf is never written.
 */
public final class CheckpointListener implements Listener {
    private final RunDirectory run;
    private final Map<String, Object> meta;
    private final int every;
    private final int keep;
    private Trainer trainer;
    private long startStep;
    private long totalSteps;

    /**
     * @param meta provenance and config stored in every checkpoint
     * @param every checkpoint interval in steps (0: only at the start and the end)
     */
    public CheckpointListener(RunDirectory run, Map<String, Object> meta, int every, int keep) {
        this.run = run;
        this.meta = Map.copyOf(meta);
        this.every = every;
        this.keep = keep;
    }

    @Override
    public void onAttach(Trainer t) {
        this.trainer = t;
    }

    @Override
    public void onStart(long start, long total) {
        this.startStep = start;
        this.totalSteps = total;
        if (start == 0 && run.checkpoints().isEmpty()) {
            write(0);
        }
    }

    @Override
    public void onStep(long step) {
        if (step < totalSteps && every > 0 && step % every == 0) {
            write(step);
        }
    }

    @Override
    public void onFinish(long step, boolean interrupted) {
        if (step > startStep || run.checkpoints().isEmpty()) {
            write(step);
        }
    }

    /** "; the last good checkpoint is FILE", or a note that there is none: for divergence messages. */
    @Override
    public String divergenceNote() {
        return lastGood(run);
    }

    static String lastGood(RunDirectory run) {
        if (run.checkpoints().isEmpty()) {
            return "; no checkpoint was written before it";
        }
        return "; the last good checkpoint is " + run.checkpoints().get(0);
    }

    private void write(long step) {
        StateDict sd = trainer.state();
        for (Map.Entry<String, float[]> e : sd.tensors().entrySet()) {
            for (float f : e.getValue()) {
                if (!Float.isFinite(f)) {
                    throw new DivergenceException("training diverged by step " + step + ": " + e.getKey()
                            + " holds " + f + "; no checkpoint was written" + lastGood(run));
                }
            }
        }
        Path file = run.checkpointFor(step);
        try {
            CheckpointIO.write(file, step, meta, sd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
        run.pruneCheckpoints(keep);
        trainer.notifyCheckpoint(step, file);
    }
}
