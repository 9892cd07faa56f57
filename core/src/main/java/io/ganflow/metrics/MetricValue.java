package io.ganflow.metrics;

/**
 * A number and the protocol that produced it: sample sizes, k, bandwidths, regularisation, split.
 *
 * @param value the metric
 * @param protocol how it was computed, in words a reader can reproduce
 */
public record MetricValue(double value, String protocol) {}
