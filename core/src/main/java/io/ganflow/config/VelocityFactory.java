package io.ganflow.config;

import io.ganflow.engine.Rng;
import io.ganflow.nn.VelocityModel;

/**
 * Makes the velocity net of a flow for samples of {@code shape} (without the batch dimension), from the
 * config's {@code model.v.*} keys. Chosen with {@code model.v.kind}.
 */
@FunctionalInterface
public interface VelocityFactory {
    VelocityModel create(Config config, long[] shape, Rng rng);
}
