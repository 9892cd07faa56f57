package io.ganflow.train;

import io.ganflow.engine.Precision;

/**
 * The loop's settings.
 *
 * @param steps total iterations (for GANs: generator updates)
 * @param batch batch size
 * @param seed the run's seed
 * @param logEvery copy statistics to the host every this many steps
 * @param evalEvery evaluate every this many steps (0: only at the end)
 * @param evalSamples generated samples per evaluation
 * @param w1Samples points per side for the exact W1
 * @param checkpointEvery checkpoint every this many steps (0: only at the end)
 * @param keepCheckpoints how many of the newest checkpoints to keep
 * @param lrSchedule "constant" or "linear" (decay every learning rate linearly to 0 at the last step)
 * @param precision the precision of each training step's products ({@link Precision}); sampling and evaluation
 *     run in float32
 */
public record TrainSpec(long steps, int batch, long seed, int logEvery, int evalEvery, int evalSamples, int w1Samples,
        int checkpointEvery, int keepCheckpoints, String lrSchedule, Precision precision) {

    /** The loop's settings in float32. */
    public TrainSpec(long steps, int batch, long seed, int logEvery, int evalEvery, int evalSamples, int w1Samples,
            int checkpointEvery, int keepCheckpoints, String lrSchedule) {
        this(steps, batch, seed, logEvery, evalEvery, evalSamples, w1Samples, checkpointEvery, keepCheckpoints,
                lrSchedule, Precision.FP32);
    }

    /** The learning-rate multiplier at a 1-based step. */
    public double lrFactor(long step) {
        if ("linear".equals(lrSchedule)) {
            return 1.0 - (double) (step - 1) / steps;
        }
        return 1.0;
    }
}
