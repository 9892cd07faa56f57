package io.ganflow.train;

import io.ganflow.engine.Ops;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** Named scalar statistics of one step, kept on the device until {@link #toHost()} is called. */
public final class StepStats {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Records a one-element tensor (detached: recording never keeps a graph alive). */
    public StepStats put(String name, Tensor scalar) {
        if (scalar != null) {
            tensors.put(name, scalar.detach());
        }
        return this;
    }

    /** Records a value already on the host. */
    public StepStats put(String name, double value) {
        values.put(name, value);
        return this;
    }

    /** Copies every statistic to the host. This synchronises with the device. */
    public Map<String, Double> toHost() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            out.put(e.getKey(), Ops.item(e.getValue()));
        }
        out.putAll(values);
        return out;
    }
}
