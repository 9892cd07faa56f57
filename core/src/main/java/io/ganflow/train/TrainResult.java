package io.ganflow.train;

import java.util.Map;

/**
 * How a training run ended.
 *
 * @param steps completed steps
 * @param totalSteps planned steps
 * @param seconds wall-clock seconds, including earlier sessions of a resumed run
 * @param interrupted true when the run was stopped before {@code totalSteps}
 * @param lastStats the last logged step statistics
 * @param finalMetrics the last evaluation (empty when interrupted)
 */
public record TrainResult(long steps, long totalSteps, double seconds, boolean interrupted, Map<String, Double> lastStats,
        Map<String, Double> finalMetrics) {}
