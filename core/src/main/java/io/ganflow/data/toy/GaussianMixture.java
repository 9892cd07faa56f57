package io.ganflow.data.toy;

import io.ganflow.data.Batch;
import io.ganflow.data.Dataset;
import io.ganflow.data.Mixture;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/** An equal-weight mixture of isotropic Gaussians with known centres: the classic mode-collapse test. */
public final class GaussianMixture implements Dataset {
    private final String name;
    private final Mixture mixture;
    private final Tensor centers;

    public GaussianMixture(String name, double[][] centers, double std) {
        this.name = name;
        this.mixture = new Mixture(centers, std);
        this.centers = Ops.fromRows(centers);
    }

    /** 8 Gaussians evenly spaced on a circle of radius 2, std 0.02. */
    public static GaussianMixture ring8() {
        return ring("ring8", 8, 2.0, 0.02);
    }

    public static GaussianMixture ring(String name, int k, double radius, double std) {
        double[][] c = new double[k][2];
        for (int i = 0; i < k; i++) {
            double a = 2 * Math.PI * i / k;
            c[i][0] = radius * Math.cos(a);
            c[i][1] = radius * Math.sin(a);
        }
        return new GaussianMixture(name, c, std);
    }

    /** 25 Gaussians centred on {−4, −2, 0, 2, 4}², std 0.05. */
    public static GaussianMixture grid25() {
        double[][] c = new double[25][2];
        int k = 0;
        for (int i = -2; i <= 2; i++) {
            for (int j = -2; j <= 2; j++) {
                c[k][0] = 2.0 * i;
                c[k][1] = 2.0 * j;
                k++;
            }
        }
        return new GaussianMixture("grid25", c, 0.05);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dim() {
        return mixture.dim();
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return sampleBatch(n, rng, false).x();
    }

    /** The component index of each sample is its label. */
    @Override
    public int classes() {
        return mixture.modes();
    }

    @Override
    public Batch sampleBatch(int n, Rng rng, boolean labelled) {
        Tensor idx = rng.integers(mixture.modes(), n);
        Tensor noise = Ops.mul(rng.normal(n, dim()), mixture.std());
        return new Batch(centers.index_select(0, idx).add(noise), labelled ? Optional.of(idx) : Optional.empty());
    }

    @Override
    public Optional<Mixture> mixture() {
        return Optional.of(mixture);
    }
}
