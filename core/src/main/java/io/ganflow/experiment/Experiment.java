package io.ganflow.experiment;

import java.util.List;

/**
 * A claim of the documents as a runnable experiment: what is claimed and where, the threshold it is judged
 * against (stated before anything runs), a protocol at two {@link Scale}s, and a verdict from the measured
 * numbers. Register one with {@code Experiments.registry().register(name, oneLineClaim, experiment)} or an {@link ExperimentPlugin}; run it with
 * {@link ExperimentRunner} or {@code ganflow experiment run NAME}.
 *
 * <p>{@link #run} measures one seed into a {@link Trial}; the runner repeats it over the seeds, aggregates the
 * rows (mean ± std), fills the {@link #figures}, and asks {@link #judge} for the verdict on the means.
 */
public interface Experiment {
    /** The claim, as the documents make it, in a sentence or two. */
    String claim();

    /** Where the documents make it (a document and section). */
    String source();

    /** The threshold the verdict applies, in words, fixed before the experiment runs. */
    String threshold();

    /** What runs at this scale: data, models, steps, what is measured. */
    String protocol(Scale scale);

    /** Seeds when --seeds is not given. */
    default int defaultSeeds(Scale scale) {
        return scale == Scale.QUICK ? 1 : 3;
    }

    /** Whether the experiment needs an installed image data set (Fashion-MNIST or MNIST). */
    default boolean usesImages() {
        return false;
    }

    /** Progress units (training steps, critic updates) of one seed at this scale; only for the bar. */
    long units(Scale scale);

    /** The figures it draws; {@link Trial#point} and friends fill them by name. */
    List<Figure> figures();

    /** Measures one seed. */
    void run(Context ctx, Trial trial);

    /** The verdict on the seeds' means, against {@link #threshold()}. */
    Verdict judge(ResultTable table, Scale scale);
}
