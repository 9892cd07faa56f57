package io.ganflow.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.EmbeddedField;
import io.ganflow.nn.LabelledVelocityNet;
import io.ganflow.nn.UNet;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.StepContext;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Class-conditional generation on images (bars8c: 8×8 bars labelled by angle): every conditional net that takes
 * images steps twice with finite statistics and samples the class asked for in the image's shape; the U-Net's class
 * embedding changes its output, and the null class is a class of its own.
 */
class ConditionalImageMethodsTest {
    @BeforeAll
    static void register() {
        ImageFixtures.register();
    }

    static Stream<Arguments> methods() {
        String[] gan = {"method", "gan", "model.condition", "concat", "gan.objective", "wasserstein",
            "gan.gp.weight", "1", "model.g.kind", "dcgan", "model.d.kind", "dcgan", "model.g.width", "8",
            "model.d.width", "8", "model.d.norm", "layer"};
        String[] unet = {"model.condition", "embed", "model.v.kind", "unet", "model.v.width", "8",
            "model.v.time_dim", "16"};
        return Stream.of(
                Arguments.of("gan, dcgan, projection critic", cat(gan, "model.d.condition", "projection")),
                Arguments.of("gan, dcgan, AC-GAN critic", cat(gan, "model.d.condition", "acgan")),
                Arguments.of("gan, dcgan, class channels", cat(gan, "model.d.condition", "concat")),
                Arguments.of("gan, resnet, conditional batch norm, projection", new String[] {"method", "gan",
                    "model.condition", "concat", "gan.objective", "hinge", "model.g.kind", "resnet", "model.d.kind",
                    "resnet", "model.g.width", "8", "model.d.width", "8", "model.g.condition", "batchnorm",
                    "model.d.condition", "projection"}),
                Arguments.of("gan, dcgan, conditional batch norm", cat(gan, "model.d.condition", "projection",
                        "model.g.condition", "batchnorm")),
                Arguments.of("gan, mlp nets, concat, embedding", new String[] {"method", "gan", "model.condition",
                    "concat", "model.g.label_dim", "6", "gan.objective", "nonsaturating"}),
                Arguments.of("rf, unet, guided", cat(unet, "method", "rf", "flow.guidance", "1")),
                Arguments.of("edm, unet, guided", cat(unet, "method", "edm", "diffusion.guidance", "1")),
                Arguments.of("ddpm, unet, guided", cat(unet, "method", "ddpm", "diffusion.guidance", "1",
                        "diffusion.steps", "20", "diffusion.sample_steps", "5")));
    }

    static String[] cat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void conditionalNetsStepAndSampleOnImages(String label, String[] settings) {
        Config.Builder b = ImageMethodsStepTest.with(ImageMethodsStepTest.base().set("data.name", "bars8c", "test"),
                settings);
        Config c = b.build();
        try (Scope s = Scope.open()) {
            Dataset data = Setup.dataset(c);
            Method m = Setup.method(c, data);
            assertTrue(m.classes() == 4, label + ": " + m.classes() + " classes");
            Rng rng = new Rng(c.getLong("train.seed"));
            for (long step = 1; step <= 2; step++) {
                Map<String, Double> stats = m.step(new StepContext(step, 10, data, rng, c.getInt("train.batch"), true))
                        .toHost();
                assertFalse(stats.isEmpty());
                stats.forEach((k, v) -> assertTrue(Double.isFinite(v), label + ": " + k + " = " + v));
            }
            Tensor x = m.sample(SampleRequest.of(4, new Rng(1)).withLabels(new long[] {0, 1, 2, 3})).x();
            assertArrayEquals(new long[] {4, 1, 8, 8}, Ops.shape(x), label);
            assertTrue(Ops.allFinite(x), label);
        }
    }

    @Test
    void theUnetsClassEmbeddingChangesItsOutput() {
        try (Scope s = Scope.open()) {
            UNet u = new UNet(new io.ganflow.nn.LayerInit(io.ganflow.nn.Init.values()[0], new Rng(2)),
                    new long[] {1, 8, 8}, 8, 16);
            LabelledVelocityNet v = new LabelledVelocityNet(u, 4, new Rng(3));
            Tensor x = new Rng(4).normal(2, 1, 8, 8);
            Tensor t = Ops.fromFloats(new float[] {0.3f, 0.3f}, 2, 1);
            Tensor a = v.velocity(x, t, Optional.of(Ops.fromLongs(new long[] {0, 0})));
            Tensor b = v.velocity(x, t, Optional.of(Ops.fromLongs(new long[] {3, 3})));
            Tensor none = v.velocity(x, t);
            assertTrue(Ops.item(a.sub(b).abs().max()) > 1e-6, "classes 0 and 3 give the same field");
            assertTrue(Ops.item(a.sub(none).abs().max()) > 1e-6, "class 0 and the null class give the same field");
            // with the class's embedding set to 0 the field is the U-Net's own: the class enters only through e(t) + E_y
            EmbeddedField f = u;
            Tensor plain = f.velocity(x, t);
            Tensor viaField = f.field(x, f.embed(t));
            assertTrue(Ops.item(plain.sub(viaField).abs().max()) == 0.0, "field(x, embed(t)) is velocity(x, t)");
        }
    }
}
