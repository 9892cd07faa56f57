package io.ganflow.data.image;

/**
 * Separable resampling of one image plane with a triangle (bilinear) filter that widens with the
 * reduction factor, so downscaling averages every source pixel it covers instead of aliasing; upscaling
 * is plain bilinear interpolation. Pixel centres sit at (i + 0.5): an image is resampled as a whole, not
 * corner to corner.
 */
final class Resize {
    private Resize() {}

    /** A plane of w x h values (row-major) resampled to nw x nh. */
    static float[] plane(float[] src, int w, int h, int nw, int nh) {
        if (w == nw && h == nh) {
            return src;
        }
        float[] tmp = new float[nw * h];
        Taps tx = taps(w, nw);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < nw; x++) {
                double s = 0;
                for (int k = 0; k < tx.count[x]; k++) {
                    s += tx.weight[x][k] * src[y * w + tx.first[x] + k];
                }
                tmp[y * nw + x] = (float) s;
            }
        }
        float[] out = new float[nw * nh];
        Taps ty = taps(h, nh);
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                double s = 0;
                for (int k = 0; k < ty.count[y]; k++) {
                    s += ty.weight[y][k] * tmp[(ty.first[y] + k) * nw + x];
                }
                out[y * nw + x] = (float) s;
            }
        }
        return out;
    }

    private record Taps(int[] first, int[] count, double[][] weight) {}

    /** For each output index: the first source index, how many, and their normalised weights. */
    private static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double support = Math.max(scale, 1.0);
        int[] first = new int[out];
        int[] count = new int[out];
        double[][] weight = new double[out][];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(centre - support));
            int hi = Math.min(in, (int) Math.ceil(centre + support));
            double[] wt = new double[hi - lo];
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                double t = Math.abs((j + 0.5 - centre) / support);
                wt[j - lo] = Math.max(0, 1 - t);
                sum += wt[j - lo];
            }
            if (sum <= 0) { // cannot happen for in >= 1, kept for safety: nearest pixel
                int nearest = Math.min(in - 1, Math.max(0, (int) centre));
                first[i] = nearest;
                count[i] = 1;
                weight[i] = new double[] {1};
                continue;
            }
            for (int k = 0; k < wt.length; k++) {
                wt[k] /= sum;
            }
            first[i] = lo;
            count[i] = wt.length;
            weight[i] = wt;
        }
        return new Taps(first, count, weight);
    }
}
