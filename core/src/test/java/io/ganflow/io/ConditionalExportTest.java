package io.ganflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Activation;
import io.ganflow.nn.ClassNormGenerator;
import io.ganflow.nn.ConditionalModule;
import io.ganflow.nn.DcganGenerator;
import io.ganflow.nn.Init;
import io.ganflow.nn.LabelConcat;
import io.ganflow.nn.LabelEmbedding;
import io.ganflow.nn.LayerInit;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import io.ganflow.nn.ProjectionCritic;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Conditional generators export with their class tables, and tools/torch_load.py rebuilds them in PyTorch: the
 * one-hot and the embedding beside z on an MLP, conditional batch norm on a DCGAN generator. PyTorch's outputs on
 * [z, y] (the class in the last column) were recorded with the script and are compared to 1e-5, as for the plain
 * nets (ExportFixtures).
 */
class ConditionalExportTest {
    /** Runs a conditional net on [z, y]: the class in the last column. */
    static Module onLastColumn(ConditionalModule c) {
        return new Module() {
            @Override
            public Tensor forward(Tensor in) {
                long d = in.size(1) - 1;
                Tensor y = in.narrow(1, d, 1).reshape(in.size(0)).round().to(org.bytedeco.pytorch.global.torch.ScalarType.Long);
                return c.forward(in.narrow(1, 0, d), y);
            }

            @Override
            public List<Parameter> parameters() {
                return c.parameters();
            }

            @Override
            public List<Parameter> buffers() {
                return c.buffers();
            }

            @Override
            public void train(boolean on) {
                c.train(on);
            }

            @Override
            public boolean isTraining() {
                return c.isTraining();
            }
        };
    }

    /** [z, y]: n latents of width d and the classes 0, 1, ..., k - 1 in turn. */
    static Tensor input(int n, int d, int k, long seed) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
        }
        return Ops.cat(List.of(new Rng(seed).normal(n, d), Ops.fromFloats(y, n, 1)), 1);
    }

    static Mlp mlp(int in, long seed) {
        return Mlp.builder().in(in).out(3).width(16).depth(2).activation(Activation.LEAKY_RELU).build(new Rng(seed));
    }

    /** Random class tables, so that the comparison sees them (they start at 0 for batch norm). */
    static void randomise(Module m, String suffix, long seed) {
        Ops.noGrad(() -> {
            Rng r = new Rng(seed);
            for (Parameter p : m.parameters()) {
                if (p.name().endsWith(suffix)) {
                    p.value().copy_(Ops.mul(r.normal(Ops.shape(p.value())), 0.5));
                }
            }
            return null;
        });
    }

    @Test
    void oneHotMlpAgreesWithPyTorch() throws IOException {
        try (Scope s = Scope.open()) {
            LabelConcat c = new LabelConcat(mlp(4 + 3, 21), 3);
            ExportFixtures.checkAgainstPyTorch("cond_mlp_onehot", c, onLastColumn(c), input(32, 4, 3, 22), false);
        }
    }

    @Test
    void embeddingMlpAgreesWithPyTorch() throws IOException {
        try (Scope s = Scope.open()) {
            LabelEmbedding c = new LabelEmbedding(mlp(4 + 5, 23), 3, 5, new Rng(24));
            Map<String, String> meta = WeightsExport.architecture(c);
            assertEquals("embedding", meta.get("condition"));
            assertEquals("5", meta.get("label_dim"));
            assertTrue(WeightsExport.stateDict(c, "").containsKey("label.embedding"));
            ExportFixtures.checkAgainstPyTorch("cond_mlp_embedding", c, onLastColumn(c), input(32, 4, 3, 25), false);
        }
    }

    @Test
    void classNormDcganAgreesWithPyTorch() throws IOException {
        try (Scope s = Scope.open()) {
            DcganGenerator g = new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(26)), 6, new long[] {1, 16, 16}, 8,
                    Set.of());
            ClassNormGenerator c = new ClassNormGenerator(g, 4);
            randomise(c, ".gain", 27);
            randomise(c, ".shift", 28);
            assertEquals("batchnorm", WeightsExport.architecture(c).get("condition"));
            ExportFixtures.checkAgainstPyTorch("cond_dcgan_cbn", c, onLastColumn(c), input(16, 6, 4, 29), true);
        }
    }

    @Test
    void conditionalCriticsAreRefusedByName() {
        try (Scope s = Scope.open()) {
            ProjectionCritic p = new ProjectionCritic(mlp(2, 30), 3, 2, new Rng(31));
            String msg = assertThrows(BadInputException.class, () -> WeightsExport.architecture(p)).getMessage();
            assertTrue(msg.contains("ProjectionCritic") && msg.contains("--what generator"), msg);
        }
    }
}
