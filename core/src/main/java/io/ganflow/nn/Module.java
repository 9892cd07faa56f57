package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.Tensor;

/** A differentiable function with named parameters and, optionally, named non-trainable buffers. */
public interface Module {
    /** Applies the module to a batch (n, in) and returns (n, out). */
    Tensor forward(Tensor x);

    /**
     * Applies the module to a batch and, for a {@link ConditionalModule}, the class of each row (int64, (n)).
     * An unconditional module refuses labels: it would ignore them silently otherwise.
     */
    default Tensor forward(Tensor x, java.util.Optional<Tensor> labels) {
        if (labels.isPresent()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " is not conditional and takes no class"
                    + " labels");
        }
        return forward(x);
    }

    /** Trainable parameters in a fixed order; names are unique within the module. */
    List<Parameter> parameters();

    /**
     * State that is not trained by gradients but must survive a checkpoint: power-iteration vectors of
     * spectral normalisation, a virtual batch norm's reference batch.
     */
    default List<Parameter> buffers() {
        return List.of();
    }

    /**
     * Switches between training mode ({@code true}, every module's initial mode) and evaluation mode. Only
     * batch normalisation depends on it: in training mode it normalises with the statistics of the batch and
     * updates its running statistics (when autograd is on); in evaluation mode it normalises with the running
     * statistics, so each output depends on its own input only. Modules without such layers ignore it;
     * composite modules pass it to every part. Sampling and evaluation of a trained generator use evaluation
     * mode ({@link #inEvalMode}); see docs/nets.md.
     */
    default void train(boolean on) {}

    /** True in training mode; modules without mode-dependent layers always report true. */
    default boolean isTraining() {
        return true;
    }

    /** Runs {@code body} with {@code module} in evaluation mode, then restores the mode it had. */
    static <R> R inEvalMode(Module module, java.util.function.Supplier<R> body) {
        boolean was = module.isTraining();
        module.train(false);
        try {
            return body.get();
        } finally {
            module.train(was);
        }
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
