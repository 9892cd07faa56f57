package io.ganflow.config;

import io.ganflow.Registry;
import io.ganflow.metrics.Metric;
import io.ganflow.metrics.Metrics;
import java.util.ServiceLoader;

/**
 * Every registry of named choices. The allowed values of {@code data.name}, {@code model.g.kind},
 * {@code model.d.kind}, {@code model.v.kind}, {@code method}, {@code gan.objective} and {@code eval.metrics} are the names
 * registered here, so {@code ganflow keys} and validation always agree with what exists.
 *
 * <pre>{@code
 * Registries.DATASETS.register("spiral", "my spiral", c -> TensorDataset.fromRows("spiral", rows,
 *         c.getDouble("data.holdout"), c.getLong("train.seed"), c.getBool("data.standardize")));
 * }</pre>
 */
public final class Registries {
    public static final Registry<DatasetFactory> DATASETS = new Registry<>("data set", "data.name");
    public static final Registry<NetFactory> NETS = new Registry<>("net", "model.g.kind");
    public static final Registry<VelocityFactory> VELOCITY_NETS = new Registry<>("velocity net", "model.v.kind");
    public static final Registry<MethodFactory> METHODS = new Registry<>("method", "method");
    public static final Registry<ObjectiveFactory> OBJECTIVES = new Registry<>("objective", "gan.objective");
    public static final Registry<Metric> METRICS = Metrics.REGISTRY;
    /** The model families, each with its keys and registrations ({@link Family}). */
    public static final Registry<Family> FAMILIES = new Registry<>("family", "method");

    private static final Registries INSTANCE = new Registries();
    private static boolean pluginsLoaded;

    static {
        DataSetup.registerBuiltIns(DATASETS);
        NetSetup.registerBuiltIns(NETS, VELOCITY_NETS);
        INSTANCE.family(new GanFamily());
        INSTANCE.family(new FlowFamily());
        INSTANCE.family(new DiffusionFamily());
    }

    private Registries() {}

    /** Loads the {@link Plugin}s on the class path, once. Called before the first config is built. */
    public static synchronized void loadPlugins() {
        if (pluginsLoaded) {
            return;
        }
        pluginsLoaded = true;
        for (Plugin p : ServiceLoader.load(Plugin.class)) {
            p.register(INSTANCE);
        }
    }

    /**
     * Adds a whole model family: its registrations now, its keys at the schema's next rebuild (which every
     * registration triggers).
     *
     * @throws IllegalArgumentException if a family of that name, or one of its entries, is already registered
     */
    public Registries family(Family f) {
        FAMILIES.register(f.name(), f.getClass().getName(), f);
        f.register(this);
        return this;
    }

    // Instance views, for plug-ins.
    public Registry<DatasetFactory> datasets() {
        return DATASETS;
    }

    public Registry<NetFactory> nets() {
        return NETS;
    }

    public Registry<VelocityFactory> velocityNets() {
        return VELOCITY_NETS;
    }

    public Registry<MethodFactory> methods() {
        return METHODS;
    }

    public Registry<ObjectiveFactory> objectives() {
        return OBJECTIVES;
    }

    public Registry<Metric> metrics() {
        return METRICS;
    }
}
