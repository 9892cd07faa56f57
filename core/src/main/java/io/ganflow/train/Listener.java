package io.ganflow.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reacts to training events. Checkpoints ({@link CheckpointListener}), evaluation
 * ({@link EvaluationListener}), metric files ({@link MetricsLog}), alarms ({@link Alarms}), progress bars
 * and plots are all listeners; the {@link Trainer} only runs the loop. Every method has an empty default.
 */
public interface Listener {
    /** When the listener is added; keep the trainer to read its method, state or to stop it. */
    default void onAttach(Trainer trainer) {}

    /** Before the first step; {@code startStep} is 0 for a fresh run, the checkpoint's step on resume. */
    default void onStart(long startStep, long totalSteps) {}

    /** After every step, outside the step's native-memory scope. Keep it cheap on most steps. */
    default void onStep(long step) {}

    /** On logging steps, with the step's statistics copied to the host. */
    default void onLog(long step, Map<String, Double> stats) {}

    /** After an evaluation (published by any listener through {@link Trainer#publishEval}). */
    default void onEval(long step, Map<String, Double> metrics) {}

    /** After a checkpoint was written. */
    default void onCheckpoint(long step, Path file) {}

    /**
     * After the loop, in the order the listeners were added: the final checkpoint, then the final
     * evaluation (skipped when {@code interrupted}).
     */
    default void onFinish(long step, boolean interrupted) {}

    /**
     * Appended to the message when training diverges (NaN or Inf), e.g. "; the last good checkpoint is F".
     * Empty by default.
     */
    default String divergenceNote() {
        return "";
    }

    /** Last: the result is complete. */
    default void onEnd(TrainResult result) {}
}
