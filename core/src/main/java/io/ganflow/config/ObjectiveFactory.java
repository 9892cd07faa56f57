package io.ganflow.config;

import io.ganflow.gan.Objective;

/** Makes an adversarial objective with its arguments from the config. Chosen with {@code gan.objective}. */
@FunctionalInterface
public interface ObjectiveFactory {
    Objective create(Config config);
}
