package io.ganflow.experiment;

import io.ganflow.Registry;
import java.util.ServiceLoader;

/**
 * The registry of experiments ({@code ganflow experiment}): the documents' claims that ship with ganflow, then
 * every {@link ExperimentPlugin} on the class path. The configuration layer knows nothing of experiments; an
 * experiment builds its runs through it, never the other way round.
 */
public final class Experiments {
    private static final Registry<Experiment> REGISTRY = new Registry<>("experiment", "experiment");
    private static boolean loaded;

    private Experiments() {}

    /** The registry, with the built-ins and the plug-ins registered on first use. */
    public static synchronized Registry<Experiment> registry() {
        if (!loaded) {
            loaded = true;
            for (ExperimentPlugin p : ServiceLoader.load(ExperimentPlugin.class, Experiments.class.getClassLoader())) {
                p.register(REGISTRY);
            }
        }
        return REGISTRY;
    }
}
