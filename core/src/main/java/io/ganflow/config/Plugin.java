package io.ganflow.config;

/**
 * A set of user additions found through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.ganflow.config.Plugin} of a jar on the class path, and ganflow calls
 * {@link #register} once, before the first config is validated. Registering directly on {@link Registries}
 * works as well. A plug-in may add single entries (a data set, a net, a method) or a whole {@link Family} with its
 * own config keys ({@link Registries#family}).
 */
public interface Plugin {
    void register(Registries registries);
}
