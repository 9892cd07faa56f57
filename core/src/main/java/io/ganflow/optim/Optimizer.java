package io.ganflow.optim;

import io.ganflow.nn.Parameter;
import io.ganflow.nn.StateDict;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Updates parameters in place from explicit gradients. Gradients are passed in (computed with
 * {@code Ops.grad}) rather than read from {@code .grad()}, so no stale gradient can leak between the
 * critic's and the generator's updates. All state is created at construction, outside any step scope.
 */
public interface Optimizer {
    /** One update; {@code grads.get(i)} belongs to {@code parameters().get(i)}. */
    void step(List<Tensor> grads);

    List<Parameter> parameters();

    /**
     * Has every later {@link #step} pass its gradients through {@code hook} first, and update with what it
     * returns (same order and shapes). Data-parallel training all-reduces the gradients here, so every
     * gradient an optimiser sees, including the critic's with its penalty's double backward, is averaged
     * over the processes. {@code null} removes the hook.
     */
    void gradientHook(java.util.function.UnaryOperator<List<Tensor>> hook);

    double learningRate();

    void setLearningRate(double lr);

    /** Number of steps taken so far. */
    long steps();

    /**
     * Every per-parameter state tensor (moments, momentum buffers), for moving the state to another device in
     * place. Empty where the optimiser keeps none.
     */
    default List<Tensor> stateTensors() {
        return List.of();
    }

    void saveState(StateDict into, String prefix);

    void loadState(StateDict from, String prefix);
}
