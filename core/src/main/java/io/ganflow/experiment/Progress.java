package io.ganflow.experiment;

/**
 * One progress bar over a whole experiment, every seed and condition included. The runner calls
 * {@link #start} with the total of {@link Experiment#units} over the seeds; the experiment advances it through
 * {@link Context#advance} and the training listener of {@link Context#stepListener()}.
 */
public interface Progress {
    Progress NONE = new Progress() {};

    default void start(String task, long totalUnits) {}

    default void advance(long units) {}

    /** A short note about what runs now ("seed 2/3: theta = 1.5"). */
    default void status(String text) {}

    default void end() {}
}
