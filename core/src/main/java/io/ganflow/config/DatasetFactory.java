package io.ganflow.config;

import io.ganflow.data.Dataset;

/** Makes a data set from a validated config (data.path, data.holdout, train.seed, ...). */
@FunctionalInterface
public interface DatasetFactory {
    Dataset create(Config config);
}
