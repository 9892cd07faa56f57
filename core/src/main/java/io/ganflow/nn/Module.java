package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.Tensor;

/** A differentiable function with named parameters. */
public interface Module {
    /** Applies the module to a batch (n, in) and returns (n, out). */
    Tensor forward(Tensor x);

    /** Parameters in a fixed order; names are unique within the module. */
    List<Parameter> parameters();

    default List<Tensor> tensors() {
        return parameters().stream().map(Parameter::value).collect(Collectors.toList());
    }

    /** Copies every parameter value from a module of the same architecture (no gradient recorded). */
    default void copyFrom(Module other) {
        List<Parameter> mine = parameters();
        List<Parameter> theirs = other.parameters();
        if (mine.size() != theirs.size()) {
            throw new IllegalArgumentException("architectures differ: " + mine.size() + " vs " + theirs.size()
                    + " parameters");
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
