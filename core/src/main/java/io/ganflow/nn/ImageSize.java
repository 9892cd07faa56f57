package io.ganflow.nn;

import java.util.Arrays;

/**
 * The resolution plan of a convolutional net for images (C, H, W): the number of times H and W can both be
 * halved while staying even and at least 4 ({@code halvings}), and the size they reach ({@code baseH} ×
 * {@code baseW}). 32 px: 3 halvings to 4 × 4; 28 px: 2 to 7 × 7; 8 px: 1 to 4 × 4; 64 px: 4 to 4 × 4.
 */
public record ImageSize(long channels, long height, long width, int halvings, long baseH, long baseW) {
    /** The plan for a sample shape [C, H, W]; throws IllegalArgumentException if H or W cannot be halved once. */
    public static ImageSize of(long[] shape, String who) {
        if (shape.length != 3) {
            throw new IllegalArgumentException(who + " needs image samples of shape [C, H, W], got "
                    + Arrays.toString(shape));
        }
        long h = shape[1];
        long w = shape[2];
        int k = 0;
        while (h % 2 == 0 && w % 2 == 0 && h / 2 >= 4 && w / 2 >= 4) {
            h /= 2;
            w /= 2;
            k++;
        }
        if (k == 0) {
            throw new IllegalArgumentException(who + " needs images whose height and width are even and at least 8,"
                    + " got " + Arrays.toString(shape));
        }
        return new ImageSize(shape[0], shape[1], shape[2], k, h, w);
    }

    public long[] shape() {
        return new long[] {channels, height, width};
    }
}
