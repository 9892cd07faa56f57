package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Packed;
import io.ganflow.run.TrainingRun;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** PacGAN's packing: which rows form a pack, the critic's input shape, and a run with gan.pack. */
class PackingTest {
    @Test
    void consecutiveRowsFormAPackAlongTheFirstAxis() {
        try (Scope s = Scope.open()) {
            Mlp inner = Mlp.builder().in(2 * 3).out(1).width(8).depth(1).build(new Rng(1));
            Packed p = new Packed(inner, 3);
            Tensor x = new Rng(2).normal(6, 2);
            double[][] rows = Ops.toRows(x);
            double[][] packs = new double[2][6];
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < 3; j++) {
                    packs[k][2 * j] = rows[3 * k + j][0];
                    packs[k][2 * j + 1] = rows[3 * k + j][1];
                }
            }
            assertArrayEquals(Ops.toFloats(inner.forward(Ops.fromRows(packs))), Ops.toFloats(p.forward(x)),
                    "pack k holds rows 3k, 3k+1, 3k+2 side by side");
            assertThrows(IllegalArgumentException.class, () -> p.forward(new Rng(3).normal(5, 2)));

            Tensor img = new Rng(4).normal(4, 1, 3, 3);
            Tensor packed = new Packed(inner, 2).pack(img);
            assertArrayEquals(new long[] {2, 2, 3, 3}, Ops.shape(packed), "images pack along channels");
            assertArrayEquals(Ops.toFloats(img.narrow(0, 2, 1)), Ops.toFloats(packed.narrow(0, 1, 1).narrow(1, 0, 1)),
                    "the second pack's first channel is the third image");
        }
    }

    static Config ring(String pack, String batch) {
        return Config.builder().setAll(Presets.get("ring8-nsgan").values(), "preset").set("gan.pack", pack, "test")
                .set("train.batch", batch, "test").set("train.steps", "20", "test").set("train.eval_every", "0", "test")
                .set("train.eval_samples", "200", "test").set("train.w1_samples", "100", "test")
                .set("model.g.width", "16", "test").set("model.d.width", "16", "test").build();
    }

    @Test
    void aPackedRunTrainsAndABatchThatDoesNotDivideIsRefused() {
        Map<String, Double> m = TrainingRun.builder().config(ring("2", "64")).build().train().finalMetrics();
        assertTrue(Double.isFinite(m.get("w1")), m.toString());
        BadInputException e = assertThrows(BadInputException.class,
                () -> TrainingRun.builder().config(ring("3", "64")).build());
        assertTrue(e.getMessage().contains("gan.pack=3") && e.getMessage().contains("train.batch=64"), e.getMessage());
    }
}
