package io.ganflow.experiment;

import io.ganflow.Registry;

/**
 * Experiments found through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.ganflow.experiment.ExperimentPlugin} of a jar on the class path, and
 * {@link Experiments#registry()} calls {@link #register} once, when it is first asked. The built-in experiments
 * come the same way ({@code io.ganflow.experiment.builtin.BuiltInExperiments}), so this package never names them.
 */
public interface ExperimentPlugin {
    void register(Registry<Experiment> experiments);
}
