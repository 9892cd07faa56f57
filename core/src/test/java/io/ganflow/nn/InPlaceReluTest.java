package io.ganflow.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * ReLU in place on a layer's fresh output ({@link Activation#applyToFresh}) against the out-of-place ReLU, through
 * what training asks of it: the output, the weights' gradient, and a gradient penalty's double backward (the
 * gradient of ‖∇ₓD‖ in the weights). All three must agree bit for bit, since the arithmetic is the same and only
 * the buffer differs.
 */
class InPlaceReluTest {
    @Test
    void inPlaceReluMatchesOutOfPlaceThroughDoubleBackward() {
        try (Scope s = Scope.open()) {
            Rng rng = new Rng(11);
            Tensor w0 = Ops.requiringGrad(rng.normal(16, 3));
            Tensor b0 = Ops.requiringGrad(rng.normal(16));
            Tensor w1 = Ops.requiringGrad(rng.normal(1, 16));
            Tensor x = rng.normal(64, 3);
            List<float[]> outPlace = run(x, w0, b0, w1, Activation.RELU::apply);
            List<float[]> inPlace = run(x, w0, b0, w1, Activation.RELU::applyToFresh);
            for (int i = 0; i < outPlace.size(); i++) {
                assertArrayEquals(outPlace.get(i), inPlace.get(i), "quantity " + i);
            }
            // the check is not vacuous: some pre-activations are negative, so ReLU cuts something
            float[] pre = Ops.toFloats(Ops.linear(x, w0, b0));
            boolean cut = false;
            for (float v : pre) {
                cut |= v < 0;
            }
            assertTrue(cut);
        }
    }

    /** D(x) = w1·relu(w0 x + b0): its output, its weight gradients, and the penalty's weight gradients. */
    private static List<float[]> run(Tensor x0, Tensor w0, Tensor b0, Tensor w1, UnaryOperator<Tensor> relu) {
        List<float[]> out = new ArrayList<>();
        Tensor d = Ops.linear(relu.apply(Ops.linear(x0, w0, b0)), w1, null);
        out.add(Ops.toFloats(d));
        for (Tensor g : Ops.grad(d.sum(), List.of(w0, b0, w1), false)) {
            out.add(Ops.toFloats(g));
        }
        Tensor x = Ops.requiringGrad(x0);
        Tensor dx = Ops.inputGrad(Ops.linear(relu.apply(Ops.linear(x, w0, b0)), w1, null), x, true);
        Tensor penalty = Ops.add(Ops.sampleNorm(dx), -1.0).square().mean();
        for (Tensor g : Ops.grad(penalty, List.of(w0, b0, w1), false)) {
            out.add(Ops.toFloats(g));
        }
        return out;
    }
}
