package io.ganflow.data;

import io.ganflow.engine.Rng;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A source of training samples in model space: (n, dim) float32 tensors, or (n, ...shape()) for shaped
 * samples such as images (n, C, H, W), drawn with a seeded generator.
 * Sampling is stateless apart from the generator, so a resumed run draws the same batches.
 */
public interface Dataset extends Sampler {
    String name();

    int dim();

    /** The shape of one sample without the batch dimension: {@code [dim]} for points, {@code [C, H, W]} for images. */
    default long[] shape() {
        return new long[] {dim()};
    }

    /** n training samples, shape (n, ...shape()): (n, dim) for points. */
    Tensor sample(int n, Rng rng);

    /**
     * The number of classes of a labelled data set (labels are 0..classes-1: an image's class, a mixture's
     * component, a CSV's label column); 0 when the data has no labels.
     */
    default int classes() {
        return 0;
    }

    /**
     * n training samples and, when {@code labelled}, the class of each. Unlabelled, it is {@link #sample} exactly
     * (same draws), so an unconditional run is unchanged by the seam.
     *
     * @throws io.ganflow.BadInputException when labels are asked of a data set without them
     */
    default Batch sampleBatch(int n, Rng rng, boolean labelled) {
        if (labelled) {
            throw noLabels(name());
        }
        return Batch.of(sample(n, rng));
    }

    /** The error for labels asked of a data set without them. */
    static io.ganflow.BadInputException noLabels(String name) {
        return new io.ganflow.BadInputException("data set " + name + " has no labels; a conditional model needs a"
                + " labelled one (image sets with classes, the toy mixtures)");
    }

    /**
     * Rows [from, from + len) of what {@link #sample} would return for n, leaving {@code rng} in the same state:
     * one process's shard of a data-parallel batch. Data sets whose rows cost more to make than to draw (image
     * sets gather and convert pixels) make only those rows.
     */
    default Tensor sampleRows(int n, Rng rng, long from, long len) {
        return sample(n, rng).narrow(0, from, len);
    }

    /**
     * n held-out reference samples for evaluation, never used for training. Synthetic data draws fresh
     * samples; finite data sets draw from their held-out split (at most {@link #referenceSize()} rows).
     */
    default Tensor reference(int n, Rng rng) {
        return sample(n, rng);
    }

    /** How many reference samples exist; {@code Integer.MAX_VALUE} for synthetic data. */
    default int referenceSize() {
        return Integer.MAX_VALUE;
    }

    /**
     * Why evaluation would measure the training data itself, if it would: a finite data set that holds
     * no rows out ({@code data.holdout=0}, or too few rows for the fraction to round to one). Empty when
     * evaluation uses held-out or fresh samples.
     */
    default Optional<String> evaluatesOnTrainingData() {
        return Optional.empty();
    }

    /** The mixture components when the data is an equal-weight Gaussian mixture with known modes. */
    default Optional<Mixture> mixture() {
        return Optional.empty();
    }

    /** The files this data set was read from (for provenance); empty for synthetic data. */
    default java.util.List<java.nio.file.Path> files() {
        return java.util.List.of();
    }

    /** Maps between data space (files, CSV output) and model space. Identity for synthetic data. */
    default Standardizer standardizer() {
        return Standardizer.identity(dim());
    }
}
