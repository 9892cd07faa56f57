package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;

/**
 * Class coverage of generated samples as a classifier labels them: how many of the K classes are predicted
 * at least {@code minCount} times, and KL(q ‖ uniform) = Σ_c q_c log(K q_c) in nats, q the histogram of
 * predicted labels over all samples (0 for perfect balance, log K when every sample gets one class: the
 * "only draws ones" detector). Default minCount 1.
 */
public final class ClassCoverage {
    public static final int DEFAULT_MIN_COUNT = 1;

    private ClassCoverage() {}

    /**
     * @param covered classes predicted at least {@code minCount} times
     * @param classes K
     * @param klToUniform KL(q ‖ uniform) of the predicted-label histogram, nats
     * @param counts predictions per class
     * @param samples n
     * @param minCount predictions needed for a class to count as covered
     */
    public record Report(int covered, int classes, double klToUniform, int[] counts, int samples, int minCount) {}

    public static Report of(int[] labels, int classes) {
        return of(labels, classes, DEFAULT_MIN_COUNT);
    }

    /** Coverage of predicted labels in [0, classes). */
    public static Report of(int[] labels, int classes, int minCount) {
        if (classes < 1 || minCount < 1 || labels.length == 0) {
            throw new IllegalArgumentException("need labels, >= 1 class and minCount >= 1");
        }
        int[] counts = new int[classes];
        for (int y : labels) {
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " is outside [0, " + classes + ")");
            }
            counts[y]++;
        }
        int covered = 0;
        double kl = 0;
        for (int c : counts) {
            if (c >= minCount) {
                covered++;
            }
            if (c > 0) {
                double q = (double) c / labels.length;
                kl += q * Math.log(q * classes);
            }
        }
        return new Report(covered, classes, kl, counts, labels.length, minCount);
    }

    /** Coverage of the argmax predictions of logits (n, K) over K classes. */
    public static Report ofLogits(Tensor logits, int minCount) {
        return of(predictions(logits), (int) logits.size(1), minCount);
    }

    /** The argmax class of each row of logits (n, K). */
    public static int[] predictions(Tensor logits) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("expected logits (n, K), got " + java.util.Arrays.toString(Ops.shape(logits)));
        }
        try (Scope s = Scope.open()) {
            double[] a = Ops.toDoubles(logits.argmax(new org.bytedeco.pytorch.LongOptional(1), false));
            int[] out = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = (int) a[i];
            }
            return out;
        }
    }
}
