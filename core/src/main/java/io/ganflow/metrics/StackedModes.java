package io.ganflow.metrics;

import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.FeatureExtractor;
import org.bytedeco.pytorch.Tensor;

/**
 * Mode counting on Stacked MNIST (three MNIST digits stacked as the channels of one image: 1,000 modes), as in
 * Metz et al. (2017, unrolled GANs), VEEGAN and PacGAN (Lin et al. 2018): a pre-trained MNIST classifier
 * labels each channel; the triple (d₀, d₁, d₂) is the mode 100·d₀ + 10·d₁ + d₂ (channel 0 the hundreds); a
 * mode is covered when at least one sample lands on it; the KL is KL(q ‖ uniform over 1,000) in nats of the
 * histogram q of predicted modes. The PacGAN tables use {@value #PACGAN_SAMPLES} generated samples.
 *
 * <p>The protocol, step by step: generate {@value #PACGAN_SAMPLES} images (n, 3, 28, 28) in [-1, 1]; call
 * {@link #classify} with the digit classifier (a {@link FeatureExtractor} with logits over 10 digits that
 * takes (n, 1, 28, 28) images); pass the triples to {@link #of}.
 */
public final class StackedModes {
    public static final int MODES = 1000;
    /** Samples per evaluation in the PacGAN protocol. */
    public static final int PACGAN_SAMPLES = 26_000;

    private StackedModes() {}

    /** The mode of a digit triple: 100·d0 + 10·d1 + d2. */
    public static int mode(int d0, int d1, int d2) {
        for (int d : new int[] {d0, d1, d2}) {
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("digit " + d + " is outside 0..9");
            }
        }
        return 100 * d0 + 10 * d1 + d2;
    }

    /** Modes covered (of 1,000, at least one sample each) and KL to uniform of predicted digit triples (n, 3). */
    public static ClassCoverage.Report of(int[][] digits) {
        int[] modes = new int[digits.length];
        for (int i = 0; i < digits.length; i++) {
            if (digits[i].length != 3) {
                throw new IllegalArgumentException("row " + i + " has " + digits[i].length + " digits; expected 3");
            }
            modes[i] = mode(digits[i][0], digits[i][1], digits[i][2]);
        }
        return ClassCoverage.of(modes, MODES, 1);
    }

    /**
     * The predicted digit of each channel of images (n, 3, H, W): each channel (n, 1, H, W) goes through the
     * classifier's logits (n, 10), and the argmax is the digit.
     */
    public static int[][] classify(Tensor images, FeatureExtractor digitClassifier) {
        if (images.dim() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("Stacked MNIST images are (n, 3, H, W)");
        }
        int n = (int) images.size(0);
        int[][] out = new int[n][3];
        for (int c = 0; c < 3; c++) {
            try (Scope s = Scope.open()) {
                Tensor logits = digitClassifier.logits(images.narrow(1, c, 1)).orElseThrow(() ->
                        new IllegalArgumentException(digitClassifier.description() + " gives no logits"));
                if (logits.size(1) != 10) {
                    throw new IllegalArgumentException(digitClassifier.description() + " gives " + logits.size(1)
                            + " logits; a digit classifier gives 10");
                }
                int[] p = ClassCoverage.predictions(logits);
                for (int i = 0; i < n; i++) {
                    out[i][c] = p[i];
                }
            }
        }
        return out;
    }
}
