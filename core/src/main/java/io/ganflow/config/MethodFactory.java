package io.ganflow.config;

import io.ganflow.data.Dataset;
import io.ganflow.train.Method;

/** Makes a training method with freshly initialised weights (seeded from train.seed). Chosen with {@code method}. */
@FunctionalInterface
public interface MethodFactory {
    Method create(Config config, Dataset data);
}
