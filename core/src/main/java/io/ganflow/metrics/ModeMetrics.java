package io.ganflow.metrics;

import io.ganflow.data.Mixture;

/**
 * Mode coverage on mixtures, following the protocol of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et
 * al. 2018): each sample is assigned to its nearest centre; it is high quality when it lies within 3
 * standard deviations of that centre; a mode is covered when at least one high-quality sample lands on
 * it; the reverse KL compares the histogram of high-quality samples over modes with the uniform one. The
 * published toy results use 2,500 samples.
 */
public final class ModeMetrics {
    public static final double DEFAULT_SIGMAS = 3.0;
    public static final int DEFAULT_MIN_COUNT = 1;

    private ModeMetrics() {}

    public static ModeReport evaluate(double[][] samples, Mixture mixture) {
        return evaluate(samples, mixture, DEFAULT_SIGMAS, DEFAULT_MIN_COUNT);
    }

    public static ModeReport evaluate(double[][] samples, Mixture mixture, double sigmas, int minCount) {
        double[][] centers = mixture.centers();
        int k = centers.length;
        int[] counts = new int[k];
        double radius2 = Math.pow(sigmas * mixture.std(), 2);
        int hq = 0;
        for (double[] x : samples) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int m = 0; m < k; m++) {
                double s = 0;
                for (int j = 0; j < x.length; j++) {
                    double t = x[j] - centers[m][j];
                    s += t * t;
                }
                if (s < bestD) {
                    bestD = s;
                    best = m;
                }
            }
            if (bestD <= radius2) {
                counts[best]++;
                hq++;
            }
        }
        int covered = 0;
        for (int c : counts) {
            if (c >= minCount) {
                covered++;
            }
        }
        double rkl = Double.NaN;
        if (hq > 0) {
            rkl = 0;
            for (int c : counts) {
                if (c > 0) {
                    double q = (double) c / hq;
                    rkl += q * Math.log(q * k);
                }
            }
        }
        double frac = samples.length == 0 ? 0 : (double) hq / samples.length;
        return new ModeReport(covered, k, frac, rkl, counts, samples.length, sigmas, minCount);
    }
}
