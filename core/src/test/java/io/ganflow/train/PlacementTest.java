package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mechanism that moves a run to a GPU, checked on the CPU: every state tensor of a method is re-pointed at
 * a copy in fresh memory, as {@link Placement#moveState} re-points it at a copy on the device. If any holder (a
 * module's field, an optimiser's moment list, a regulariser's running mean) kept the old memory, the copy would
 * train apart from the original; it must end bit for bit where the untouched method ends.
 */
class PlacementTest {
    @ParameterizedTest
    @ValueSource(strings = {"ring8-wgan-gp", "ring8-rf", "ring8-particle"})
    void aMethodWhoseStateWasRepointedTrainsExactlyAsTheOriginal(String preset) {
        Config c = Config.builder().setAll(Presets.get(preset).values(), "preset").set("train.steps", "25", "t")
                .set("train.eval_every", "0", "t").set("model.g.width", "32", "t").set("model.d.width", "32", "t")
                .set("model.v.width", "32", "t").set("gan.historical_averaging.weight", "0.01", "t").build();
        try (Scope s = Scope.open()) {
            Dataset data = Setup.dataset(c);
            Method original = Setup.method(c, data);
            Method moved = Setup.method(c, data);
            List<Tensor> state = Placement.stateOf(moved);
            List<Long> before = addresses(state);
            Placement.repoint(state, t -> true, Tensor::clone);
            List<Long> after = addresses(state);
            for (int i = 0; i < state.size(); i++) {
                assertNotEquals(before.get(i), after.get(i), "tensor " + i + " still holds its old memory");
            }
            assertTrue(state.size() > 4, "state tensors: " + state.size());
            for (Method m : List.of(original, moved)) {
                new Trainer(m, data, new Rng(c.getLong("train.seed")), Setup.trainSpec(c)).run();
            }
            List<Tensor> a = Placement.stateOf(original);
            List<Tensor> b = Placement.stateOf(moved);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(Ops.toFloats(a.get(i)), Ops.toFloats(b.get(i)), "state tensor " + i);
                assertEquals(a.get(i).requires_grad(), b.get(i).requires_grad(), "requires_grad of tensor " + i);
            }
        }
    }

    private static List<Long> addresses(List<Tensor> ts) {
        List<Long> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(t.data_ptr().address());
        }
        return out;
    }
}
