package io.ganflow.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.NetSpec;
import io.ganflow.config.Registries;
import io.ganflow.config.Setup;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The registered conv nets at 8, 28 and 32 px: shapes, gradients, names, parameter counts, refused settings. */
class ConvNetsTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    static Config config(String... kv) {
        Config.Builder b = Config.builder();
        for (int i = 0; i < kv.length; i += 2) {
            b.set(kv[i], kv[i + 1], "test");
        }
        return b.build();
    }

    static Module generator(Config c, long[] image) {
        return Setup.net(c, new NetSpec("g", new long[] {c.getInt("model.z_dim")}, image), new Rng(1));
    }

    static Module critic(Config c, long[] image) {
        return Setup.net(c, new NetSpec("d", image, new long[] {1}), new Rng(2));
    }

    static void assertUniqueNames(Module m) {
        Set<String> seen = new HashSet<>();
        for (Parameter p : m.parameters()) {
            assertTrue(seen.add(p.name()), "duplicate " + p.name());
        }
        for (Parameter p : m.buffers()) {
            assertTrue(seen.add(p.name()), "duplicate " + p.name());
        }
    }

    /** Every parameter gets a gradient from a scalar of the output. */
    static void assertEveryParameterLearns(Module m, Tensor out) {
        List<Tensor> ps = new ArrayList<>(m.tensors());
        List<Tensor> g = Ops.grad(out.square().mean(), ps, false);
        for (int i = 0; i < ps.size(); i++) {
            assertTrue(Ops.item(g.get(i).abs().sum()) > 0, m.parameters().get(i).name() + " gets no gradient");
        }
    }

    static long[] image(long c, long px) {
        return new long[] {c, px, px};
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 28, 32})
    void generatorsMapLatentsToImagesInMinusOneOne(int px) {
        long[] img = image(px == 32 ? 3 : 1, px);
        for (String kind : List.of("dcgan", "resnet", "mlp")) {
            Config c = config("model.g.kind", kind, "model.g.width", "8", "model.g.depth", "2", "model.g.bn", "true",
                    "model.z_dim", "16");
            Module g = generator(c, img);
            assertUniqueNames(g);
            Tensor y = g.forward(new Rng(3).normal(5, 16));
            assertArrayEquals(new long[] {5, img[0], px, px}, Ops.shape(y), kind + " " + px + " px");
            if (!kind.equals("mlp")) { // the MLP's output layer is linear
                assertTrue(Ops.item(y.abs().max()) <= 1, kind + " output in [-1, 1]");
                assertEveryParameterLearns(g, y);
            }
            assertTrue(g.buffers().stream().anyMatch(b -> b.name().endsWith("running_mean")), kind + " has batch norm");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 28, 32})
    void criticsMapImagesToOneScore(int px) {
        long[] img = image(px == 32 ? 3 : 1, px);
        for (String kind : List.of("dcgan", "resnet")) {
            for (String norm : List.of("batch", "layer", "none")) {
                Config c = config("model.d.kind", kind, "model.d.width", "8", "model.d.norm", norm);
                Module d = critic(c, img);
                assertUniqueNames(d);
                Tensor x = new Rng(4).normal(6, img[0], px, px);
                Tensor y = d.forward(x);
                assertArrayEquals(new long[] {6, 1}, Ops.shape(y), kind + " " + norm + " " + px + " px");
                assertEveryParameterLearns(d, y);
                boolean normalised = kind.equals("resnet") || px > 8; // the 8 px DCGAN critic has one conv only
                assertEquals(norm.equals("batch") && normalised,
                        d.buffers().stream().anyMatch(b -> b.name().endsWith("running_var")), kind + " " + px);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 28, 32})
    void unetVelocityKeepsTheImageShape(int px) {
        long[] img = image(px == 32 ? 3 : 1, px);
        Config c = config("model.v.kind", "unet", "model.v.width", "8", "model.v.time_dim", "8");
        VelocityModel v = Registries.VELOCITY_NETS.get("unet").create(c, img, new Rng(5));
        assertUniqueNames(v);
        Tensor x = new Rng(6).normal(3, img[0], px, px);
        Tensor t = new Rng(7).uniform(3, 1);
        Tensor y = v.velocity(x, t);
        assertArrayEquals(Ops.shape(x), Ops.shape(y));
        assertEveryParameterLearns(v, y);
        // the flat form [x, t] gives the same numbers
        Tensor flat = v.forward(Ops.cat(List.of(x.reshape(3, -1), t), 1));
        assertArrayEquals(Ops.toFloats(y), Ops.toFloats(flat), 1e-6f);
        // the time embedding matters
        Tensor y2 = v.velocity(x, 0.9);
        assertTrue(Ops.item(y2.sub(v.velocity(x, 0.1)).abs().max()) > 0);
    }

    /** DCGAN at 28 px (z 100, width 64, grey images): the sizes of docs/nets.md. */
    @Test
    void dcgan28pxWidth64Has759681GeneratorAnd138689CriticParameters() {
        Config c = config("model.g.kind", "dcgan", "model.d.kind", "dcgan", "model.g.width", "64", "model.d.width", "64",
                "model.z_dim", "100", "model.d.norm", "batch");
        long[] img = image(1, 28);
        Module g = generator(c, img);
        Module d = critic(c, img);
        // fc 100·128·49, bn0 2·128, up1 128·64·16, bn1 2·64, out 64·16 + 1
        assertEquals(100L * 128 * 49 + 256 + 128L * 64 * 16 + 128 + 64 * 16 + 1, g.size());
        assertEquals(759_681L, g.size());
        // conv0 16·64 + 64, conv1 64·128·16 (no bias), norm1 2·128, fc 128·49 + 1
        assertEquals(138_689L, d.size());
        assertEquals(List.of("fc.weight", "bn0.weight", "bn0.bias", "up1.weight", "bn1.weight", "bn1.bias", "out.weight",
                "out.bias"), g.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("bn0.running_mean", "bn0.running_var", "bn1.running_mean", "bn1.running_var"),
                g.buffers().stream().map(Parameter::name).toList());
        Module dl = critic(config("model.d.kind", "dcgan", "model.d.width", "64", "model.d.norm", "layer"), img);
        assertEquals(138_689L + 128, dl.size(), "layer norm: conv1 keeps its bias; per-channel scale and shift");
        System.out.println("dcgan 28 px, z 100, width 64: G " + g.size() + ", D (batch) " + d.size() + ", D (layer) "
                + dl.size());
    }

    /** Sizes reported in docs/nets.md (printed; the 32 px DCGAN and the ResNets are checked by formula). */
    @Test
    void parameterCountsOfTheDocumentedConfigurations() {
        long[] cifar = image(3, 32);
        Module g32 = generator(config("model.g.kind", "dcgan", "model.g.width", "64", "model.z_dim", "100"), cifar);
        // fc 100·256·16, bn 512, up1 256·128·16, bn 256, up2 128·64·16, bn 128, out 64·3·16 + 3
        assertEquals(100L * 256 * 16 + 512 + 256L * 128 * 16 + 256 + 128L * 64 * 16 + 128 + 64 * 3 * 16 + 3, g32.size());
        Module d32 = critic(config("model.d.kind", "dcgan", "model.d.width", "64", "model.d.norm", "batch"), cifar);
        // conv0 3·64·16 + 64, conv1 64·128·16, bn 256, conv2 128·256·16, bn 512, fc 256·16 + 1
        assertEquals(3L * 64 * 16 + 64 + 64L * 128 * 16 + 256 + 128L * 256 * 16 + 512 + 256 * 16 + 1, d32.size());
        Module rg = generator(config("model.g.kind", "resnet", "model.g.width", "128", "model.z_dim", "128"), cifar);
        long conv3 = 128L * 128 * 9 + 128;
        long upBlock = 2 * 256 + 2 * conv3 + 128L * 128 + 128;
        assertEquals(128L * 128 * 16 + 128 * 16 + 3 * upBlock + 256 + 128L * 3 * 9 + 3, rg.size());
        Module rd = critic(config("model.d.kind", "resnet", "model.d.width", "128", "model.d.norm", "none"), cifar);
        long first = 3L * 128 * 9 + 128 + conv3 + 3 * 128 + 128;
        assertEquals(first + (2 * conv3 + 128L * 128 + 128) + 2 * (2 * conv3) + 128 + 1, rd.size());
        Module mlp = generator(config("model.g.width", "256", "model.g.depth", "3", "model.z_dim", "100", "model.g.bn",
                "true"), image(1, 28));
        assertEquals(100L * 256 + 256 + 2 * (256L * 256 + 256) + 256L * 784 + 784 + 3 * 512, mlp.size());
        VelocityModel u = Registries.VELOCITY_NETS.get("unet").create(config("model.v.width", "32", "model.v.time_dim",
                "32"), image(1, 28), new Rng(1));
        for (Map.Entry<String, Module> e : Map.of("dcgan G 32px", g32, "dcgan D 32px batch", d32, "resnet G 32px w128",
                rg, "resnet D 32px w128 none", rd, "mlp G 28px bn", mlp, "unet 28px w32 E32", (Module) u).entrySet()) {
            System.out.println(e.getKey() + ": " + e.getValue().size() + " parameters");
        }
    }

    @Test
    void refusedSettingsNameTheirKeys() {
        long[] img = image(1, 28);
        BadInputException gp = assertThrows(BadInputException.class, () -> critic(config("model.d.kind", "dcgan",
                "model.d.norm", "batch", "gan.gp.weight", "10"), img));
        assertTrue(gp.getMessage().startsWith("model.d.norm=batch cannot be combined with gan.gp.weight=10"),
                gp.getMessage());
        assertThrows(BadInputException.class, () -> critic(config("model.d.kind", "resnet", "model.d.norm", "batch",
                "gan.r1.weight", "1"), img));
        BadInputException sn = assertThrows(BadInputException.class, () -> critic(config("model.d.kind", "resnet",
                "model.d.spectral_norm", "0,1"), img));
        assertTrue(sn.getMessage().contains("allowed: none, all"), sn.getMessage());
        BadInputException flat = assertThrows(BadInputException.class, () -> critic(config("model.d.kind", "dcgan"),
                new long[] {2}));
        assertTrue(flat.getMessage().contains("[C, H, W]"), flat.getMessage());
        BadInputException odd = assertThrows(BadInputException.class, () -> generator(config("model.g.kind", "dcgan"),
                image(1, 7)));
        assertTrue(odd.getMessage().startsWith("model.g.kind=dcgan: "), odd.getMessage());
        assertThrows(BadInputException.class, () -> generator(config("model.g.bn", "true", "model.g.vbn", "8"), img));
        BadInputException idx = assertThrows(BadInputException.class, () -> critic(config("model.d.kind", "dcgan",
                "model.d.spectral_norm", "3"), img));
        assertTrue(idx.getMessage().contains("from 0 to 2"), idx.getMessage());
    }

    @Test
    void spectralNormLayersAreChosenByIndex() {
        long[] img = image(1, 28);
        Module d = critic(config("model.d.kind", "dcgan", "model.d.spectral_norm", "0,2", "model.d.width", "8"), img);
        assertEquals(List.of("conv0.sn_u", "fc.sn_u"), d.buffers().stream().map(Parameter::name).toList());
        Module g = generator(config("model.g.kind", "resnet", "model.g.spectral_norm", "all", "model.g.width", "8"), img);
        assertEquals(2 + 2 * 3, g.buffers().stream().filter(b -> b.name().endsWith("sn_u")).count(),
                "every weight layer: fc, out, and conv1, conv2, shortcut of each of the 2 blocks");
    }
}
