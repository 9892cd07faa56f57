package io.ganflow.config;

import io.ganflow.data.toy.GaussianMixture;

/** Registered through META-INF/services of the test class path: proves the ServiceLoader route. */
public final class TestPlugin implements Plugin {
    @Override
    public void register(Registries r) {
        r.datasets().register("plugin-ring", "ring8, registered by a ServiceLoader plug-in", c -> GaussianMixture.ring8());
    }
}
