package io.ganflow.metrics;

/**
 * Mode statistics of a sample against a Gaussian mixture with known centres.
 *
 * @param modesCovered modes that received at least {@code minCount} high-quality samples
 * @param modesTotal the number of mixture components
 * @param highQualityFraction the fraction of samples within {@code sigmas}·std of their nearest centre
 * @param reverseKl KL(q‖u) in nats between the histogram q of high-quality samples over modes and the
 *     uniform u; 0 is perfect balance, log K is total collapse; NaN when no sample is high quality
 * @param counts high-quality samples per mode
 * @param samples the sample size
 * @param sigmas the quality radius in standard deviations
 * @param minCount high-quality samples needed for a mode to count as covered
 */
public record ModeReport(int modesCovered, int modesTotal, double highQualityFraction, double reverseKl, int[] counts,
        int samples, double sigmas, int minCount) {}
