package io.ganflow.config;

import io.ganflow.engine.Rng;
import io.ganflow.nn.Module;

/**
 * Makes a network for a role: {@code "g"} (generator, latent to data) or {@code "d"} (critic, data to one
 * output), from the config's {@code model.<role>.*} keys. Chosen with {@code model.g.kind} and
 * {@code model.d.kind}.
 */
@FunctionalInterface
public interface NetFactory {
    /**
     * @param role "g" or "d"
     * @param in input width
     * @param out output width
     * @param rng the initialisation generator (draw every initial weight from it, so runs are reproducible)
     */
    Module create(Config config, String role, int in, int out, Rng rng);
}
