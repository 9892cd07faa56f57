package io.ganflow.train;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;

/**
 * What a {@link Method} needs for one step.
 *
 * @param step the 1-based index of this step
 * @param totalSteps the planned number of steps
 * @param data where real batches come from
 * @param rng the run's generator; every random draw of the step goes through it
 * @param batch the batch size
 * @param diagnostics true on logging steps: compute extra statistics (gradient norms, accuracies)
 */
public record StepContext(long step, long totalSteps, Dataset data, Rng rng, int batch, boolean diagnostics) {}
