package io.ganflow.data.image;

import java.util.Optional;

/**
 * Images in host memory as read from files: 8-bit pixels, row-major (n, C, H, W), with one label per image
 * where the files have them.
 *
 * @param count n, the number of images
 * @param channels C (1 grey, 3 RGB)
 * @param height H
 * @param width W
 * @param pixels n*C*H*W values 0..255 (read with {@code b & 0xFF})
 * @param labels n class indices &gt;= 0, or empty for unlabelled images
 */
public record ImageSet(int count, int channels, int height, int width, byte[] pixels, Optional<int[]> labels) {
    public ImageSet {
        if (count < 0 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad image set shape " + count + "x" + channels + "x" + height + "x" + width);
        }
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(count + "x" + channels + "x" + height + "x" + width + " images need "
                    + (long) count * channels * height * width + " pixel values, got " + pixels.length);
        }
        if (labels.isPresent() && labels.get().length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.get().length + " labels");
        }
        if (labels.isPresent() && java.util.Arrays.stream(labels.get()).anyMatch(l -> l < 0)) {
            throw new IllegalArgumentException("labels must be >= 0");
        }
    }

    /** Values per image, C*H*W. */
    public int imageSize() {
        return channels * height * width;
    }
}
