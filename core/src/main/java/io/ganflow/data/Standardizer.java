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

    /** Maps an (n, d) model-space tensor back to data space. */
    public Tensor toData(Tensor z) {
        if (isIdentity()) {
            return z;
        }
        Tensor s = Ops.fromDoubles(scale, 1, scale.length).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
        Tensor m = Ops.fromDoubles(mean, 1, mean.length).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
        return z.mul(s).add(m);
    }
}
