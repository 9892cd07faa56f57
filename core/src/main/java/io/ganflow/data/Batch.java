package io.ganflow.data;

import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A batch of samples (n, shape...) in model space and, where it was asked of a labelled data set, the class of
 * each sample: an int64 tensor (n) of values in 0..classes-1 on the samples' device.
 */
public record Batch(Tensor x, Optional<Tensor> labels) {
    /** Samples without labels. */
    public static Batch of(Tensor x) {
        return new Batch(x, Optional.empty());
    }
}
