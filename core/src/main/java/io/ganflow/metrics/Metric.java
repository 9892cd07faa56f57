package io.ganflow.metrics;

import java.util.Map;

/**
 * A sample metric: a held-out real sample and a generated one (data space) in, named numbers with their
 * protocols out. Register a new one with {@code Metrics.REGISTRY.register(name, description, metric)}; it is
 * then accepted by {@code ganflow eval --metrics} and by the {@code eval.metrics} key of training runs.
 */
@FunctionalInterface
public interface Metric {
    /** Computes the metric; keys of the result are the names written to metrics files. */
    Map<String, MetricValue> compute(MetricInput in);
}
