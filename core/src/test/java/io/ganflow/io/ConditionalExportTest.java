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
import io.ganflow.nn.LabelledVelocityNet;
import io.ganflow.nn.LayerInit;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import io.ganflow.nn.ProjectionCritic;
import io.ganflow.nn.UNet;
import io.ganflow.nn.VelocityNet;
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
 * nets (ExportFixtures). The same for the U-Net (plain, on [x, t]) and for class-conditional fields (a velocity
 * MLP and a U-Net with the class table added to the time embedding) on [x, t, y], the null class included.
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

    /** [x, t] or [x, t, y]: n points of width d, times in (0, 1), and (if k > 0) the classes 0 .. k in turn (k: ∅). */
    static Tensor fieldInput(int n, int d, int k, long seed) {
        Rng r = new Rng(seed);
        Tensor xt = Ops.cat(List.of(r.normal(n, d), r.uniform(n, 1)), 1);
        if (k == 0) {
            return xt;
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % (k + 1);
        }
        return Ops.cat(List.of(xt, Ops.fromFloats(y, n, 1)), 1);
    }

    /** A conditional field run on [x, t, y]. */
    static Module onLastTwoColumns(LabelledVelocityNet v) {
        return new Module() {
            @Override
            public Tensor forward(Tensor in) {
                return v.forwardLabelled(in);
            }

            @Override
            public List<Parameter> parameters() {
                return v.parameters();
            }

            @Override
            public List<Parameter> buffers() {
                return v.buffers();
            }
        };
    }

    static UNet unet(long seed) {
        UNet u = new UNet(new LayerInit(Init.TORCH, new Rng(seed)), new long[] {1, 8, 8}, 8, 16);
        randomise(u, "norm1.weight", seed + 1); // group norms start at (1, 0): random ones show a mix-up
        randomise(u, "norm2.bias", seed + 2);
        return u;
    }

    @Test
    void unetAgreesWithPyTorch() throws IOException {
        try (Scope s = Scope.open()) {
            UNet u = unet(32);
            assertEquals("unet", WeightsExport.architecture(u).get("kind"));
            assertTrue(WeightsExport.stateDict(u, "").containsKey("down0.conv1.weight"));
            ExportFixtures.checkAgainstPyTorch("unet", u, fieldInput(6, 64, 0, 33), false);
        }
    }

    @Test
    void conditionalVelocityNetAgreesWithPyTorch() throws IOException {
        try (Scope s = Scope.open()) {
            LabelledVelocityNet v = new LabelledVelocityNet(
                    new VelocityNet(2, 24, 2, Activation.SILU, "sinusoidal", 8, new Rng(34)), 3, new Rng(35));
            Map<String, String> meta = WeightsExport.architecture(v);
            assertEquals("time_embedding", meta.get("condition"));
            assertEquals("3", meta.get("classes"));
            assertEquals("velocity", meta.get("kind"));
            Map<String, SafeTensor> sd = WeightsExport.stateDict(v, "");
            assertTrue(sd.containsKey("net.mlp.0.weight") && sd.containsKey("net.time.freqs"), sd.keySet().toString());
            assertEquals(List.of(4L, 8L), java.util.Arrays.stream(sd.get("label.embedding").shape()).boxed().toList(),
                    "three classes and the null class");
            ExportFixtures.checkAgainstPyTorch("cond_velocity", v, onLastTwoColumns(v), fieldInput(32, 2, 3, 36), false);
        }
    }

    @Test
    void conditionalUnetAgreesWithPyTorch() throws IOException {
        try (Scope s = Scope.open()) {
            LabelledVelocityNet v = new LabelledVelocityNet(unet(37), 2, new Rng(38));
            ExportFixtures.checkAgainstPyTorch("cond_unet", v, onLastTwoColumns(v), fieldInput(6, 64, 2, 39), false);
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
