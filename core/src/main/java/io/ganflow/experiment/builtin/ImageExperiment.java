package io.ganflow.experiment.builtin;

import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Scale;

/**
 * An experiment on image data: it needs an installed data set and its domain classifier, and by default runs
 * one seed (a seed of an image experiment costs from minutes to an hour of CPU).
 */
abstract class ImageExperiment implements Experiment {
    @Override
    public final boolean usesImages() {
        return true;
    }

    @Override
    public int defaultSeeds(Scale scale) {
        return 1;
    }
}
