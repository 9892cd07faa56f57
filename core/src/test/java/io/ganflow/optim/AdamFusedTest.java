package io.ganflow.optim;

import io.ganflow.optim.OptimizerSpec;
import io.ganflow.optim.Adam;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adam's fused libtorch kernel and its element-wise form take the same steps: float32 parameters of
 * vectorised and odd sizes, 50 steps with fresh gradients, with and without weight decay, and a learning-rate
 * change half way. The two round in a different order, so they agree to float precision, not bit for bit.
 */
class AdamFusedTest {
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.01})
    void fusedMatchesElementWise(double weightDecay) {
        OptimizerSpec spec = new OptimizerSpec("adam", 1e-2, 0.5, 0.9, 1e-8, weightDecay, 0, 0.99, false, false);
        Rng rng = new Rng(7);
        long[][] shapes = {{64, 33}, {33}, {7}, {1, 1}};
        List<Parameter> a = new ArrayList<>();
        List<Parameter> b = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            Tensor p = rng.normal(shapes[i]);
            a.add(new Parameter("p" + i, leaf(p.clone())));
            b.add(new Parameter("p" + i, leaf(p.clone())));
        }
        Adam fused = new Adam(a, spec, true);
        Adam plain = new Adam(b, spec, false);
        assertTrue(fused.fused(), "the bundled libtorch has aten::_fused_adam_");
        for (int s = 1; s <= 50; s++) {
            if (s == 25) {
                fused.setLearningRate(3e-3);
                plain.setLearningRate(3e-3);
            }
            try (Scope scope = Scope.open()) {
                List<Tensor> grads = new ArrayList<>();
                for (long[] shape : shapes) {
                    grads.add(rng.normal(shape));
                }
                fused.step(grads);
                plain.step(grads);
            }
        }
        for (int i = 0; i < shapes.length; i++) {
            float[] x = Ops.toFloats(a.get(i).value());
            float[] y = Ops.toFloats(b.get(i).value());
            for (int k = 0; k < x.length; k++) {
                assertEquals(y[k], x[k], 1e-6 * (1 + Math.abs(y[k])), "parameter " + i + " element " + k);
            }
        }
        assertEquals(50, fused.steps());
    }

    private static Tensor leaf(Tensor t) {
        t.set_requires_grad(true);
        return t;
    }
}
