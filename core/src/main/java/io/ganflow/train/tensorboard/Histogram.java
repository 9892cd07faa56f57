package io.ganflow.train.tensorboard;

import java.util.Arrays;
import java.util.Collection;

/**
 * The figures of a {@code HistogramProto}: count, range, sums and buckets. {@code bucketLimit[i]} is the
 * right edge of bucket {@code i} and {@code bucketLimit[i-1]} its left edge; TensorBoard draws the first
 * bucket from {@code min} and the last one up to {@code max}.
 */
public record Histogram(double min, double max, double num, double sum, double sumSquares, double[] bucketLimit,
        double[] bucket) {

    /** Default number of equal-width buckets, as TensorBoard's own summaries use. */
    public static final int BUCKETS = 30;

    /**
     * Equal-width buckets between the smallest and the largest finite value of all arrays, each holding the
     * values from its left edge up to (not including) its right edge, the last one including {@code max}.
     * Non-finite values are left out of every figure. Returns null when there is no finite value.
     */
    public static Histogram of(Collection<float[]> arrays, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be positive: " + buckets);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long n = 0;
        double sum = 0;
        double sq = 0;
        for (float[] a : arrays) {
            for (float f : a) {
                if (Float.isFinite(f)) {
                    lo = Math.min(lo, f);
                    hi = Math.max(hi, f);
                    n++;
                    sum += f;
                    sq += (double) f * f;
                }
            }
        }
        if (n == 0) {
            return null;
        }
        lo += 0.0; // -0.0 becomes 0.0, so equal values encode equally
        hi += 0.0;
        if (hi == lo) {
            return new Histogram(lo, hi, n, sum + 0.0, sq, new double[] {hi}, new double[] {n});
        }
        double width = (hi - lo) / buckets;
        double[] limit = new double[buckets];
        for (int i = 0; i < buckets; i++) {
            limit[i] = lo + (i + 1) * width;
        }
        limit[buckets - 1] = hi;
        double[] count = new double[buckets];
        for (float[] a : arrays) {
            for (float f : a) {
                if (Float.isFinite(f)) {
                    count[Math.min(buckets - 1, (int) ((f - lo) / width))]++;
                }
            }
        }
        return new Histogram(lo, hi, n, sum + 0.0, sq, limit, count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && min == h.min && max == h.max && num == h.num && sum == h.sum
                && sumSquares == h.sumSquares && Arrays.equals(bucketLimit, h.bucketLimit)
                && Arrays.equals(bucket, h.bucket);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bucketLimit) * 31 + Arrays.hashCode(bucket);
    }

    @Override
    public String toString() {
        return "Histogram[min=" + min + ", max=" + max + ", num=" + num + ", buckets=" + bucket.length + "]";
    }
}
