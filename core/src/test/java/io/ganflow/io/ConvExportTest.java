package io.ganflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.DcganCritic;
import io.ganflow.nn.DcganGenerator;
import io.ganflow.nn.Init;
import io.ganflow.nn.LayerInit;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Norm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export of the DCGAN nets and the batch-normalised MLP under the state_dict names of an equivalent
 * nn.Sequential, and agreement with PyTorch in eval() mode (fixtures made by tools/torch_load.py from the files
 * this test writes under target/weights-fixtures/).
 */
class ConvExportTest {
    @TempDir
    Path dir;

    /** Moves the batch-norm running statistics away from (0, 1): training-mode passes with autograd on. */
    static <M extends Module> M trained(M m, long seed, long... inputShape) {
        try (Scope s = Scope.open()) {
            for (int i = 0; i < 4; i++) {
                m.forward(Ops.add(Ops.mul(new Rng(seed + i).normal(inputShape), 1.5), 0.3));
            }
        }
        return m;
    }

    static DcganGenerator fixtureGenerator() {
        DcganGenerator g = new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(2811)), 16, new long[] {1, 28, 28}, 8,
                Set.of(1));
        return trained(g, 100, 32, 16);
    }

    static DcganCritic fixtureCritic(Norm norm) {
        DcganCritic d = new DcganCritic(new LayerInit(Init.TORCH, new Rng(1611)), new long[] {3, 16, 16}, 8, norm,
                Set.of(2));
        return trained(d, 200, 16, 3, 16, 16);
    }

    static Mlp fixtureMlp() {
        Mlp m = Mlp.builder().in(6).out(5).width(16).depth(2).batchNorm(true).build(new Rng(611));
        return trained(m, 300, 32, 6);
    }

    static float[] eval(Module m, Tensor x) {
        return Module.inEvalMode(m, () -> WeightsExportTest.forward(m, x));
    }

    @Test
    void dcganGeneratorUsesSequentialNames() {
        DcganGenerator g = fixtureGenerator();
        Map<String, SafeTensor> sd = WeightsExport.stateDict(g, "");
        assertEquals(List.of("0.weight", "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked",
                "4.weight", "5.weight", "5.bias", "5.running_mean", "5.running_var", "5.num_batches_tracked", "7.weight",
                "7.bias"), new ArrayList<>(sd.keySet()));
        assertArrayEquals(new long[] {16 * 49, 16}, sd.get("0.weight").shape(), "c = 8·2 channels at 7 × 7");
        assertArrayEquals(new long[] {16, 8, 4, 4}, sd.get("4.weight").shape(), "ConvTranspose2d (in, out, k, k)");
        assertEquals(Dtype.I64, sd.get("2.num_batches_tracked").dtype());
        assertArrayEquals(new long[] {}, sd.get("2.num_batches_tracked").shape());
        Map<String, String> arch = WeightsExport.architecture(g);
        assertEquals("dcgan", arch.get("kind"));
        assertEquals("g", arch.get("role"));
        assertEquals("2", arch.get("halvings"));
        assertEquals("7", arch.get("base_h"));
        assertEquals("16", arch.get("z_dim"));
        assertEquals("up1", arch.get("spectral_norm"));
        assertTrue(arch.get("layout").startsWith("nn.Sequential: Linear(z_dim, c*base_h*base_w, bias=False) at 0"));
    }

    @Test
    void dcganCriticNamesFollowItsNorm() {
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "3.weight", "3.bias", "3.running_mean", "3.running_var",
                "3.num_batches_tracked", "6.weight", "6.bias"),
                new ArrayList<>(WeightsExport.stateDict(fixtureCritic(Norm.BATCH), "").keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias", "6.weight", "6.bias"),
                new ArrayList<>(WeightsExport.stateDict(fixtureCritic(Norm.LAYER), "").keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "5.weight", "5.bias"),
                new ArrayList<>(WeightsExport.stateDict(fixtureCritic(Norm.NONE), "").keySet()));
    }

    @Test
    void loadRestoresWeightsAndRunningStatistics() throws IOException {
        DcganGenerator a = fixtureGenerator();
        DcganGenerator b = new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(5)), 16, new long[] {1, 28, 28}, 8,
                Set.of());
        Path f = dir.resolve("g.safetensors");
        WeightsExport.save(f, a);
        WeightsExport.load(b, Safetensors.read(f), "");
        Tensor z = new Rng(6).normal(7, 16);
        float[] want = eval(a, z);
        float[] got = eval(b, z);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-6, "the exported W/σ in a plain layer: output " + i);
        }
        // a PyTorch state_dict without the batch counters loads too
        Map<String, SafeTensor> noCount = new LinkedHashMap<>(WeightsExport.stateDict(a, ""));
        noCount.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        Path f2 = dir.resolve("nocount.safetensors");
        Safetensors.write(f2, noCount, Map.of());
        DcganGenerator c = new DcganGenerator(new LayerInit(Init.NORMAL, new Rng(7)), 16, new long[] {1, 28, 28}, 8,
                Set.of());
        WeightsExport.load(c, Safetensors.read(f2), "");
        assertArrayEquals(got, eval(c, z));
    }

    @Test
    void dcganGeneratorAgreesWithPyTorch() throws IOException {
        check("dcgan_g", fixtureGenerator(), new Rng(7).normal(8, 16));
    }

    @Test
    void dcganCriticAgreesWithPyTorch() throws IOException {
        check("dcgan_d", fixtureCritic(Norm.BATCH), new Rng(8).normal(8, 3, 16, 16));
        check("dcgan_d_layer", fixtureCritic(Norm.LAYER), new Rng(9).normal(8, 3, 16, 16));
    }

    @Test
    void mlpWithBatchNormAgreesWithPyTorch() throws IOException {
        Mlp m = fixtureMlp();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "3.weight", "3.bias", "4.weight", "4.bias", "4.running_mean", "4.running_var",
                "4.num_batches_tracked", "6.weight", "6.bias"), new ArrayList<>(WeightsExport.stateDict(m, "").keySet()));
        check("mlp_bn", m, new Rng(10).normal(16, 6));
    }

    /** The export check in evaluation mode (batch norm uses its running statistics, as PyTorch's eval()). */
    static void check(String name, Module model, Tensor input) throws IOException {
        ExportFixtures.checkAgainstPyTorch(name, model, input, true);
        assertTrue(model.isTraining(), "the mode is restored");
    }
}
