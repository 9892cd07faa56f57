package io.ganflow.config;

import io.ganflow.engine.Rng;
import io.ganflow.nn.Module;

/**
 * Makes a network for a {@link NetSpec}: a generator ({@code "g"}, latent vector to a data sample) or a
 * critic ({@code "d"}, data sample to one score), from the config's {@code model.<role>.*} keys. Chosen
 * with {@code model.g.kind} and {@code model.d.kind}. The module maps a batch (n, inShape...) to
 * (n, outShape...).
 */
@FunctionalInterface
public interface NetFactory {
    /** @param rng the initialisation generator (draw every initial weight from it, so runs are reproducible) */
    Module create(Config config, NetSpec spec, Rng rng);
}
