package io.ganflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.VelocityNet;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight export and import: PyTorch state_dict names, architecture metadata, loading with its checks, and
 * agreement with PyTorch itself (fixtures computed by tools/torch_load.py from files this test writes).
 */
class WeightsExportTest {
    static final List<String> MLP_NAMES = List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
            "6.weight", "6.bias");

    @TempDir
    Path dir;

    /** The generator of the PyTorch fixture: 5 → 32×3 leaky_relu → 3. */
    static Mlp fixtureMlp() {
        return Mlp.builder().in(5).out(3).width(32).depth(3).activation(Activation.LEAKY_RELU).build(new Rng(20240611));
    }

    /** The velocity network of the PyTorch fixture: 2-D, 24×2 silu, Fourier time embedding of dimension 8. */
    static VelocityNet fixtureVelocity() {
        return new VelocityNet(2, 24, 2, Activation.SILU, "fourier", 8, new Rng(611));
    }

    static Mlp mlp(long seed) {
        return Mlp.builder().in(5).out(3).width(32).depth(3).activation(Activation.LEAKY_RELU).build(new Rng(seed));
    }

    static float[] forward(Module m, Tensor x) {
        try (Scope s = Scope.open()) {
            return Ops.noGrad(() -> Ops.toFloats(m.forward(x)));
        }
    }

    static float[] param(Module m, String name) {
        for (Parameter p : m.parameters()) {
            if (p.name().equals(name)) {
                return Ops.toFloats(p.value());
            }
        }
        throw new IllegalArgumentException(name);
    }

    static SafetensorsFile saved(Path file, Map<String, SafeTensor> tensors) throws IOException {
        Safetensors.write(file, tensors, Map.of());
        return Safetensors.read(file);
    }

    @Test
    void mlpUsesSequentialNamesAndMetadata() {
        Mlp m = mlp(1);
        Map<String, SafeTensor> sd = WeightsExport.stateDict(m, "");
        assertEquals(MLP_NAMES, new ArrayList<>(sd.keySet()));
        assertArrayEquals(new long[] {32, 5}, sd.get("0.weight").shape(), "nn.Linear layout (out, in)");
        assertArrayEquals(new long[] {32}, sd.get("2.bias").shape());
        assertArrayEquals(new long[] {3, 32}, sd.get("6.weight").shape());
        for (int i = 0; i <= 3; i++) {
            assertArrayEquals(param(m, "layer" + i + ".weight"), sd.get(2 * i + ".weight").floats());
            assertArrayEquals(param(m, "layer" + i + ".bias"), sd.get(2 * i + ".bias").floats());
            assertEquals(Dtype.F32, sd.get(2 * i + ".weight").dtype());
        }
        assertEquals("generator.4.bias", new ArrayList<>(WeightsExport.stateDict(m, "generator.").keySet()).get(5));

        Map<String, String> arch = new TreeMap<>(WeightsExport.architecture(m));
        assertTrue(arch.remove("layout").startsWith("nn.Sequential: Linear at 2i and activation at 2i+1"));
        assertEquals(Map.of("format", "pt", "producer", "ganflow", "kind", "mlp", "in", "5", "out", "3", "width", "32",
                "depth", "3", "activation", "leaky_relu", "leaky_relu_slope", "0.2", "dtype", "F32"), arch);
    }

    @Test
    void loadRestoresTheForwardPassExactly() throws IOException {
        Mlp a = mlp(1);
        Mlp b = mlp(2);
        Tensor x = new Rng(3).normal(17, 5);
        Path f = dir.resolve("g.safetensors");
        WeightsExport.save(f, a);
        WeightsExport.load(b, Safetensors.read(f), "");
        assertArrayEquals(forward(a, x), forward(b, x));

        // two networks in one file under prefixes; each loads its own and ignores the other's
        Mlp c = mlp(4);
        Mlp critic = Mlp.builder().in(3).out(1).width(8).depth(1).build(new Rng(5));
        Mlp critic2 = Mlp.builder().in(3).out(1).width(8).depth(1).build(new Rng(6));
        Map<String, SafeTensor> both = new LinkedHashMap<>(WeightsExport.stateDict(a, "generator."));
        both.putAll(WeightsExport.stateDict(critic, "critic."));
        SafetensorsFile file = saved(dir.resolve("both.safetensors"), both);
        WeightsExport.load(c, file, "generator.");
        WeightsExport.load(critic2, file, "critic.");
        assertArrayEquals(forward(a, x), forward(c, x));
        Tensor y = new Rng(7).normal(9, 3);
        assertArrayEquals(forward(critic, y), forward(critic2, y));
    }

    @Test
    void loadNamesTheOffendingTensorAndChangesNothing() throws IOException {
        Mlp target = mlp(2);
        float[] before = param(target, "layer0.weight");
        Map<String, SafeTensor> good = WeightsExport.stateDict(mlp(1), "");

        Map<String, SafeTensor> missing = new LinkedHashMap<>(good);
        missing.remove("4.bias");
        Path f1 = dir.resolve("missing.safetensors");
        String m1 = assertThrows(BadInputException.class,
                () -> WeightsExport.load(target, saved(f1, missing), "")).getMessage();
        assertTrue(m1.startsWith(f1 + ": missing tensor '4.bias' for Mlp(5 -> 32x3 leaky_relu -> 3); expected"
                + " 0.weight, 0.bias, 2.weight"), m1);

        Map<String, SafeTensor> extra = new LinkedHashMap<>(good);
        extra.put("8.weight", SafeTensor.ofFloats(new float[] {1f}, 1, 1));
        Path f2 = dir.resolve("extra.safetensors");
        String m2 = assertThrows(BadInputException.class,
                () -> WeightsExport.load(target, saved(f2, extra), "")).getMessage();
        assertTrue(m2.startsWith(f2 + ": unexpected tensor '8.weight' for Mlp(5 -> 32x3 leaky_relu -> 3)"), m2);

        Mlp narrow = Mlp.builder().in(5).out(3).width(16).depth(3).activation(Activation.LEAKY_RELU).build(new Rng(1));
        Path f3 = dir.resolve("narrow.safetensors");
        WeightsExport.save(f3, narrow);
        assertEquals(f3 + ": tensor '0.weight' has shape [16, 5] but Mlp(5 -> 32x3 leaky_relu -> 3) expects [32, 5]",
                assertThrows(BadInputException.class,
                        () -> WeightsExport.load(target, Safetensors.read(f3), "")).getMessage());

        Map<String, SafeTensor> ints = new LinkedHashMap<>(good);
        ints.put("6.bias", SafeTensor.ofLongs(new long[] {1, 2, 3}, 3));
        Path f4 = dir.resolve("ints.safetensors");
        assertEquals(f4 + ": tensor '6.bias' has dtype I64, expected a floating-point dtype",
                assertThrows(BadInputException.class,
                        () -> WeightsExport.load(target, saved(f4, ints), "")).getMessage());

        assertArrayEquals(before, param(target, "layer0.weight"), "a failed load copies nothing");
    }

    /** Spectral norm layers export W/σ(W): a plain MLP with those weights computes the same function. */
    @Test
    void spectralNormLayersExportTheirEffectiveWeight() throws IOException {
        Mlp sn = Mlp.builder().in(5).out(3).width(32).depth(3).activation(Activation.LEAKY_RELU)
                .spectralNorm(Set.of(0, 3)).build(new Rng(8));
        float[] u = Ops.toFloats(sn.buffers().get(0).value());
        Map<String, SafeTensor> sd = WeightsExport.stateDict(sn, "");
        assertArrayEquals(u, Ops.toFloats(sn.buffers().get(0).value()), "export does not advance the power iteration");
        assertArrayEquals(Ops.noGrad(() -> Ops.toFloats(sn.effectiveWeight(0))), sd.get("0.weight").floats());
        assertArrayEquals(Ops.noGrad(() -> Ops.toFloats(sn.effectiveWeight(3))), sd.get("6.weight").floats());
        assertArrayEquals(param(sn, "layer1.weight"), sd.get("2.weight").floats(), "layer 1 is not normalised");
        assertEquals("0,3", WeightsExport.architecture(sn).get("spectral_norm"));

        Mlp plain = mlp(9);
        WeightsExport.load(plain, saved(dir.resolve("sn.safetensors"), sd), "");
        Tensor x = new Rng(10).normal(33, 5);
        float[] want = forward(sn, x);
        float[] got = forward(plain, x);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-6, "output " + i);
        }
    }

    @Test
    void doublePrecisionNetworksExportF64() throws IOException {
        Mlp a = Mlp.builder().in(2).out(2).width(8).depth(2).activation(Activation.TANH).doublePrecision(true)
                .build(new Rng(11));
        Mlp b = Mlp.builder().in(2).out(2).width(8).depth(2).activation(Activation.TANH).doublePrecision(true)
                .build(new Rng(12));
        Map<String, SafeTensor> sd = WeightsExport.stateDict(a, "");
        assertEquals(Dtype.F64, sd.get("0.weight").dtype());
        assertEquals("F64", WeightsExport.architecture(a).get("dtype"));
        WeightsExport.load(b, saved(dir.resolve("d.safetensors"), sd), "");
        for (Parameter p : a.parameters()) {
            assertArrayEquals(Ops.toDoubles(p.value()), Ops.toDoubles(b.parameters().get(a.parameters().indexOf(p))
                    .value()), p.name());
        }
    }

    @Test
    void refusesLayersWithoutAnNnSequentialEquivalent() {
        Mlp mbd = Mlp.builder().in(2).out(1).width(8).depth(2).minibatchDiscrimination(4, 3).build(new Rng(13));
        Mlp vbn = Mlp.builder().in(2).out(1).width(8).depth(2).virtualBatchNorm(16).build(new Rng(14));
        for (Mlp m : List.of(mbd, vbn)) {
            String msg = assertThrows(BadInputException.class, () -> WeightsExport.stateDict(m, "")).getMessage();
            assertTrue(msg.contains("has no nn.Sequential equivalent"), msg);
        }
    }

    @Test
    void velocityNetExportsItsTimeEmbedding() throws IOException {
        VelocityNet a = fixtureVelocity();
        VelocityNet b = new VelocityNet(2, 24, 2, Activation.SILU, "fourier", 8, new Rng(612));
        Map<String, SafeTensor> sd = WeightsExport.stateDict(a, "");
        assertEquals(List.of("mlp.0.weight", "mlp.0.bias", "mlp.2.weight", "mlp.2.bias", "mlp.4.weight", "mlp.4.bias",
                "time.freqs"), new ArrayList<>(sd.keySet()));
        assertArrayEquals(new long[] {24, 10}, sd.get("mlp.0.weight").shape(), "input [x (2), e(t) (8)]");
        assertArrayEquals(new long[] {1, 4}, sd.get("time.freqs").shape());
        Map<String, String> arch = WeightsExport.architecture(a);
        assertEquals("velocity", arch.get("kind"));
        assertEquals("2", arch.get("dim"));
        assertEquals("fourier", arch.get("embedding"));
        assertEquals("8", arch.get("embed_dim"));
        assertEquals("10", arch.get("in"));

        Path f = dir.resolve("v.safetensors");
        WeightsExport.save(f, a);
        WeightsExport.load(b, Safetensors.read(f), "");
        Tensor xt = Ops.cat(List.of(new Rng(15).normal(21, 2), new Rng(16).uniform(21, 1)), 1);
        assertArrayEquals(forward(a, xt), forward(b, xt), "the random Fourier frequencies were loaded too");
    }

    // ---- agreement with PyTorch ------------------------------------------------------------------------

    @Test
    void mlpAgreesWithPyTorch() throws IOException {
        checkAgainstPyTorch("mlp", fixtureMlp(), new Rng(5).normal(64, 5));
    }

    @Test
    void velocityNetAgreesWithPyTorch() throws IOException {
        checkAgainstPyTorch("velocity", fixtureVelocity(),
                Ops.cat(List.of(new Rng(6).normal(64, 2), new Rng(7).uniform(64, 1)), 1));
    }

    /** The export check of {@link ExportFixtures}, in the net's own mode. */
    static void checkAgainstPyTorch(String name, Module model, Tensor input) throws IOException {
        ExportFixtures.checkAgainstPyTorch(name, model, input, false);
    }
}
