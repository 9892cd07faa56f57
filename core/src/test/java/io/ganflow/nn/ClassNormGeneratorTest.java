package io.ganflow.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Conditional batch norm in the DCGAN generator, h ← BN(h)·(1 + Γ_y) + B_y, on cases with known outputs: at
 * initialisation (Γ = B = 0) it is the plain generator for every class; a class whose gains are all −1 zeroes every
 * feature map, so its image is tanh of the output layer's bias alone; the other classes are untouched.
 */
class ClassNormGeneratorTest {
    private static DcganGenerator plain() {
        return new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(7)), 6, new long[] {1, 8, 8}, 8, Set.of());
    }

    private static Tensor param(Module m, String name) {
        return m.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void classGainsAndShiftsModulateEachBatchNorm() {
        try (Scope s = Scope.open()) {
            DcganGenerator g = plain();
            ClassNormGenerator c = new ClassNormGenerator(g, 3);
            Tensor z = new Rng(8).normal(6, 6);
            Tensor y = Ops.fromLongs(new long[] {0, 1, 2, 0, 1, 2});
            Tensor base = g.forward(z);
            assertArrayEquals(Ops.toFloats(base), Ops.toFloats(c.forward(z, y)), "at initialisation, the plain net");
            // class 2: every gain -1, so BN(h)·0 + 0 = 0 at every norm, and the image is tanh(out.bias)
            Ops.noGrad(() -> {
                for (Parameter p : c.parameters()) {
                    if (p.name().endsWith(".gain")) {
                        p.value().narrow(0, 2, 1).fill_(Ops.s(-1));
                    }
                }
                return null;
            });
            float[] out = Ops.toFloats(c.forward(z, y));
            float[] was = Ops.toFloats(base);
            double bias = Ops.item(param(g, "out.bias"));
            for (int i = 0; i < 6; i++) {
                for (int p = 0; p < 64; p++) {
                    int k = i * 64 + p;
                    if (i % 3 == 2) {
                        assertEquals(Math.tanh(bias), out[k], 1e-6, "class 2, pixel " + p);
                    }
                }
            }
            // the batch statistics are the whole batch's, so rows of classes 0 and 1 keep their values only through
            // their own gains (0): they equal the plain net's rows
            for (int k = 0; k < 6 * 64; k++) {
                if ((k / 64) % 3 != 2) {
                    assertEquals(was[k], out[k], 1e-6, "element " + k);
                }
            }
            assertTrue(c.parameters().size() == g.parameters().size() + 2 * 1, c.parameters().toString());
        }
    }
}
