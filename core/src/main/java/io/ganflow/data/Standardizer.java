package io.ganflow.data;

import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;

/** Per-column affine map z = (x − mean)/scale between data space and model space. */
public record Standardizer(double[] mean, double[] scale) {

    public static Standardizer identity(int dim) {
        double[] m = new double[dim];
        double[] s = new double[dim];
        java.util.Arrays.fill(s, 1.0);
        return new Standardizer(m, s);
    }

    /** Mean and (population) standard deviation of each column; constant columns get scale 1. */
    public static Standardizer fit(double[][] rows) {
        int d = rows[0].length;
        double[] m = new double[d];
        double[] s = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                m[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= rows.length;
        }
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                s[j] += (r[j] - m[j]) * (r[j] - m[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            s[j] = Math.sqrt(s[j] / rows.length);
            if (!(s[j] > 1e-12)) {
                s[j] = 1.0;
            }
        }
        return new Standardizer(m, s);
    }

    public boolean isIdentity() {
        for (int j = 0; j < mean.length; j++) {
            if (mean[j] != 0 || scale[j] != 1) {
                return false;
            }
        }
        return true;
    }

    public double[] toModel(double[] x) {
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            z[j] = (x[j] - mean[j]) / scale[j];
        }
        return z;
    }

    public double[] toData(double[] z) {
        double[] x = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            x[j] = z[j] * scale[j] + mean[j];
        }
        return x;
    }

    /**
     * Maps a model-space batch back to data space: (n, d), or (n, ...) shaped samples such as images
     * (n, C, H, W) whose C*H*W values line up with the d columns. One mean and scale for every value (an
     * image's pixel = (x + 1) * 127.5) applies to any shape.
     */
    public Tensor toData(Tensor z) {
        if (isIdentity()) {
            return z;
        }
        if (isUniform()) {
            return z.mul(Ops.s(scale[0])).add(Ops.s(mean[0]));
        }
        long[] shape = Ops.shape(z);
        long per = 1;
        for (int i = 1; i < shape.length; i++) {
            per *= shape[i];
        }
        if (shape.length < 2 || per != mean.length) {
            throw new IllegalArgumentException("a standardizer of " + mean.length + " columns cannot map samples of shape "
                    + java.util.Arrays.toString(java.util.Arrays.copyOfRange(shape, Math.min(1, shape.length), shape.length)));
        }
        long[] one = shape.clone();
        one[0] = 1;
        // on z's device: a flow measures its stages with device samples
        io.ganflow.engine.Device d = io.ganflow.engine.Device.of(z);
        Tensor s = Ops.onDevice(Ops.fromDoubles(scale, one).to(org.bytedeco.pytorch.global.torch.ScalarType.Float), d);
        Tensor m = Ops.onDevice(Ops.fromDoubles(mean, one).to(org.bytedeco.pytorch.global.torch.ScalarType.Float), d);
        return z.mul(s).add(m);
    }

    /** True when every column has the same mean and the same scale. */
    public boolean isUniform() {
        for (int j = 1; j < mean.length; j++) {
            if (mean[j] != mean[0] || scale[j] != scale[0]) {
                return false;
            }
        }
        return mean.length > 0;
    }
}
