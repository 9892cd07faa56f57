package io.ganflow.nn;

import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A net that takes the class of each sample beside the sample: a conditional generator, critic, velocity or
 * score net. How the label enters (concatenation, projection, conditional batch norm, an embedding added to the
 * time embedding) is the net's own; the callers only hand the labels through
 * {@link Module#forward(Tensor, Optional)}. Called without labels it refuses, as an unconditional net refuses
 * them.
 */
public interface ConditionalModule extends Module {
    /** The number of classes (labels 0..classes-1). */
    int classes();

    /** The output for a batch x and its labels (int64, (n), on x's device). */
    Tensor forward(Tensor x, Tensor labels);

    @Override
    default Tensor forward(Tensor x, Optional<Tensor> labels) {
        return forward(x, labels.orElseThrow(() -> new IllegalArgumentException(getClass().getSimpleName()
                + " is conditional: it needs the class of each sample")));
    }

    @Override
    default Tensor forward(Tensor x) {
        return forward(x, Optional.empty());
    }
}
