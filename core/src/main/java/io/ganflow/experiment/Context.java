package io.ganflow.experiment;

import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import java.util.function.Consumer;

/** What one seed of an experiment runs with: its scale and seed, and the shared progress bar. */
public final class Context {
    private final Scale scale;
    private final long seed;
    private final int seedIndex;
    private final int seeds;
    private final Progress progress;
    private final Consumer<String> warnings;

    public Context(Scale scale, long seed, int seedIndex, int seeds, Progress progress, Consumer<String> warnings) {
        this.scale = scale;
        this.seed = seed;
        this.seedIndex = seedIndex;
        this.seeds = seeds;
        this.progress = progress;
        this.warnings = warnings;
    }

    public Scale scale() {
        return scale;
    }

    public boolean quick() {
        return scale == Scale.QUICK;
    }

    public long seed() {
        return seed;
    }

    /** A seed for one part of the experiment, derived from the trial's seed and a part number. */
    public long seed(int part) {
        return seed * 1000 + part;
    }

    public void advance(long units) {
        progress.advance(units);
    }

    /** Tells the bar what runs now; the seed is prefixed when there are several. */
    public void status(String text) {
        progress.status(seeds > 1 ? "seed " + (seedIndex + 1) + "/" + seeds + ": " + text : text);
    }

    public void warn(String text) {
        warnings.accept(text);
    }

    /** A training listener that advances the bar by one unit per training step. */
    public Listener stepListener() {
        return new Listener() {
            @Override
            public void onStep(long step) {
                progress.advance(1);
            }
        };
    }

    /**
     * A training run from a preset with this trial's seed, its steps advancing the bar. Further keys go on
     * with {@link TrainingRun.Builder#set}; nothing is written unless an output directory is given.
     */
    public TrainingRun.Builder training(String preset) {
        return TrainingRun.builder().preset(preset).set("train.seed", Long.toString(seed), "experiment seed")
                .set("log.tensorboard", "false", "experiment").set("alarm.collapse_evals", "0", "experiment")
                .listener(stepListener());
    }
}
