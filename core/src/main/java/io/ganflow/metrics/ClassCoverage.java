package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Class coverage of generated samples as a classifier labels them: how many of the K classes are covered, and
 * KL(q ‖ uniform) = Σ_c q_c log(K q_c) in nats, q the histogram of predicted labels over all samples (0 for
 * perfect balance, log K when every sample gets one class: the "only draws ones" detector).
 *
 * <p>What "covered" means is a {@link Rule}. A class predicted once is not evidence that it was generated: an
 * imperfect classifier scatters its errors over every class, and 2,000 real Fashion-MNIST images of three classes
 * read 10 of 10 classes under that rule. The image metrics' default, {@link Rule#IMAGES}, counts a class only
 * when it receives a stated share of the uniform count in confident predictions; Stacked MNIST's 1,000 modes keep
 * the literature's one-prediction rule ({@link Rule#ANY}), since that is the protocol its published numbers use.
 */
public final class ClassCoverage {
    public static final int DEFAULT_MIN_COUNT = 1;

    /**
     * When a class counts as covered: it receives at least max(1, ⌈minShare · n / K⌉) predictions whose softmax
     * probability is at least {@code minConfidence} (n samples, K classes).
     */
    public record Rule(double minShare, double minConfidence) {
        /** One prediction of any confidence (Stacked MNIST's published protocol). */
        public static final Rule ANY = new Rule(0, 0);
        /**
         * The image metrics' default: a fifth of the uniform count n/K, in predictions of probability >= 0.9; the
         * measurement behind it is in docs/metrics.md ("Class coverage").
         */
        public static final Rule IMAGES = new Rule(0.2, 0.9);

        public Rule {
            if (!(minShare >= 0 && minShare <= 1) || !(minConfidence >= 0 && minConfidence < 1)) {
                throw new IllegalArgumentException("a coverage rule needs a share in [0, 1] and a confidence in [0, 1)");
            }
        }

        /** The predictions a class needs among n samples of K classes. */
        public int minCount(int n, int classes) {
            return Math.max(1, (int) Math.ceil(minShare * n / classes - 1e-9));
        }

        /** The rule in words, for protocols. */
        public String describe(int n, int classes) {
            return this.equals(ANY) ? "predicted at least once"
                    : "at least " + minCount(n, classes) + " predictions (" + minShare + " of the uniform count n/K)"
                            + (minConfidence > 0 ? " with softmax probability >= " + minConfidence : "");
        }
    }

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

    /** Coverage of the argmax predictions of logits (n, K) over K classes, one prediction a class. */
    public static Report ofLogits(Tensor logits, int minCount) {
        return of(predictions(logits), (int) logits.size(1), minCount);
    }

    /**
     * Coverage of the argmax predictions of logits (n, K) under a rule: the counts of confident predictions decide
     * what is covered; the KL and {@link Report#counts} use every prediction.
     */
    public static Report ofLogits(Tensor logits, Rule rule) {
        int[] labels = predictions(logits);
        int classes = (int) logits.size(1);
        Report all = of(labels, classes, 1);
        int need = rule.minCount(labels.length, classes);
        int[] confident = new int[classes];
        try (Scope s = Scope.open()) {
            double[] p = Ops.toDoubles(torch.softmax(logits.to(torch.ScalarType.Double), 1).amax(new long[] {1}, false));
            for (int i = 0; i < labels.length; i++) {
                if (p[i] >= rule.minConfidence()) {
                    confident[labels[i]]++;
                }
            }
        }
        int covered = 0;
        for (int c : confident) {
            if (c >= need) {
                covered++;
            }
        }
        return new Report(covered, classes, all.klToUniform(), all.counts(), labels.length, need);
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
