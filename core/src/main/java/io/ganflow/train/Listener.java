package io.ganflow.train;

import java.nio.file.Path;
import java.util.Map;

/** Reacts to training events: progress bars, metric files, plots and alarms are listeners. */
public interface Listener {
    /** Before the first step; {@code startStep} is 0 for a fresh run, the checkpoint's step on resume. */
    default void onStart(long startStep, long totalSteps) {}

    /** On logging steps, with the step's statistics copied to the host. */
    default void onLog(long step, Map<String, Double> stats) {}

    /** After an evaluation. */
    default void onEval(long step, Map<String, Double> metrics) {}

    /** After a checkpoint was written. */
    default void onCheckpoint(long step, Path file) {}

    /** After the last step, or when the run stops early. */
    default void onEnd(TrainResult result) {}
}
