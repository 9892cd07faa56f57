package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.Tensor;

/** A differentiable function with named parameters and, optionally, named non-trainable buffers. */
public interface Module {
    /** Applies the module to a batch (n, in) and returns (n, out). */
    Tensor forward(Tensor x);

    /** Trainable parameters in a fixed order; names are unique within the module. */
    List<Parameter> parameters();

    /**
     * State that is not trained by gradients but must survive a checkpoint: power-iteration vectors of
     * spectral normalisation, a virtual batch norm's reference batch.
     */
    default List<Parameter> buffers() {
        return List.of();
    }

    default List<Tensor> tensors() {
        return parameters().stream().map(Parameter::value).collect(Collectors.toList());
    }

    /** Copies every parameter and buffer from a module of the same architecture (no gradient recorded). */
    default void copyFrom(Module other) {
        copy(parameters(), other.parameters());
        copy(buffers(), other.buffers());
    }

    private static void copy(List<Parameter> mine, List<Parameter> theirs) {
        if (mine.size() != theirs.size()) {
            throw new IllegalArgumentException("architectures differ: " + mine.size() + " vs " + theirs.size()
                    + " tensors");
        }
        Ops.noGrad(() -> {
            for (int i = 0; i < mine.size(); i++) {
                mine.get(i).value().copy_(theirs.get(i).value());
            }
        });
    }

    /** The number of scalar parameters. */
    default long size() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.value().numel();
        }
        return n;
    }
}
