package io.ganflow.train;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * What {@link Method#sample(SampleRequest)} returns: the samples in model space, the network evaluations each
 * sample cost (NFE), the intermediate states when the request kept them (with their times), and a line saying
 * how they were drawn, without the NFE ("rk4 (25 steps)").
 */
public record Samples(Tensor x, int nfe, List<Double> times, List<Tensor> path, String description) {
    public Samples {
        times = List.copyOf(times);
        path = List.copyOf(path);
    }

    /** A single forward pass of a generator. */
    public static Samples oneStep(Tensor x) {
        return new Samples(x, 1, List.of(), List.of(), "one-step generator");
    }
}
