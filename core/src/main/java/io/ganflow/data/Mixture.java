package io.ganflow.data;

/**
 * An equal-weight mixture of isotropic Gaussians: the modes that mode-coverage metrics count.
 *
 * @param centers one row per mode
 * @param std the per-coordinate standard deviation of every component
 */
public record Mixture(double[][] centers, double std) {
    public int modes() {
        return centers.length;
    }

    public int dim() {
        return centers[0].length;
    }
}
