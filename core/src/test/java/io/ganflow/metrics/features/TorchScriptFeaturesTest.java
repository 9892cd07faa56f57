package io.ganflow.metrics.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.FeatureFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript modules written by PyTorch 1.13 (tools/fixtures/torchscript_fixture.py) reproduce, under
 * ganflow's libtorch, the outputs PyTorch recorded.
 */
class TorchScriptFeaturesTest {
    static JsonNode fx;
    static Tensor input;

    @BeforeAll
    static void load() {
        fx = FeatureFixtures.json("feature_net.json");
        JsonNode in = fx.get("input");
        double[] v = new double[in.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.get(i).asDouble();
        }
        input = Scope.persistent(Ops.fromDoubles(v, 4, 1, 28, 28).to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
    }

    private static void assertMatrix(JsonNode want, Tensor got, double tol) {
        assertEquals(want.size(), got.size(0));
        assertEquals(want.get(0).size(), got.size(1));
        double[] g = Ops.toDoubles(got);
        int cols = (int) got.size(1);
        double worst = 0;
        for (int i = 0; i < want.size(); i++) {
            for (int j = 0; j < cols; j++) {
                worst = Math.max(worst, Math.abs(want.get(i).get(j).asDouble() - g[i * cols + j]));
            }
        }
        assertTrue(worst <= tol, "largest difference " + worst);
    }

    @Test
    void tracedModuleReproducesFeaturesAndLogits() {
        // batch 3: the 4 images run as 3 + 1
        TorchScriptFeatures net = new TorchScriptFeatures(FeatureFixtures.file("feature_net.pt"), 3);
        try (Scope s = Scope.open()) {
            FeatureExtractor.Extracted e = net.extract(input);
            assertMatrix(fx.get("features"), e.features(), 1e-5);
            assertMatrix(fx.get("logits"), e.logits().orElseThrow(), 1e-5);
            assertMatrix(fx.get("features"), net.features(input), 1e-5);
        }
    }

    @Test
    void scriptedModuleReturningOneTensorHasNoLogits() {
        TorchScriptFeatures net = new TorchScriptFeatures(FeatureFixtures.file("features_only.pt"));
        try (Scope s = Scope.open()) {
            assertMatrix(fx.get("features_only"), net.features(input), 1e-5);
            assertTrue(net.logits(input).isEmpty());
        }
    }

    @Test
    void idIsTheSha256OfTheFile() {
        TorchScriptFeatures net = TorchScriptFeatures.parse("torchscript:" + FeatureFixtures.file("feature_net.pt"));
        assertEquals(fx.get("sha256").get("feature_net.pt").asText(), net.id());
        assertTrue(net.description().contains("feature_net.pt"), net.description());
    }

    @Test
    void moduleOutlivesTheScopeItWasLoadedIn() {
        TorchScriptFeatures net;
        try (Scope s = Scope.open()) {
            net = new TorchScriptFeatures(FeatureFixtures.file("feature_net.pt"));
        }
        System.gc();
        try (Scope s = Scope.open()) {
            assertMatrix(fx.get("features"), net.features(input), 1e-5);
        }
    }

    @Test
    void badSpecsFailNamingTheKeyAndTheFile(@TempDir Path dir) throws Exception {
        BadInputException missing = assertThrows(BadInputException.class,
                () -> TorchScriptFeatures.parse("torchscript:" + dir.resolve("nope.pt")));
        assertTrue(missing.getMessage().startsWith("eval.features=torchscript:"), missing.getMessage());
        assertTrue(missing.getMessage().contains("nope.pt") && missing.getMessage().contains("no such file"),
                missing.getMessage());

        Path junk = dir.resolve("junk.pt");
        Files.writeString(junk, "not a zip archive\n");
        BadInputException invalid = assertThrows(BadInputException.class,
                () -> TorchScriptFeatures.parse("torchscript:" + junk));
        assertTrue(invalid.getMessage().contains("junk.pt") && invalid.getMessage().contains("not a TorchScript"),
                invalid.getMessage());
        assertTrue(!invalid.getMessage().contains("\n"), "one line: " + invalid.getMessage());

        BadInputException scheme = assertThrows(BadInputException.class, () -> TorchScriptFeatures.parse("inception"));
        assertTrue(scheme.getMessage().contains("torchscript:FILE"), scheme.getMessage());
    }

    @Test
    void wrongImageShapeFailsNamingTheFile() {
        TorchScriptFeatures net = new TorchScriptFeatures(FeatureFixtures.file("feature_net.pt"));
        try (Scope s = Scope.open()) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> net.features(Ops.zeros(2, 3, 28, 28)));
            assertTrue(e.getMessage().contains("feature_net.pt") && e.getMessage().contains("[2, 3, 28, 28]"),
                    e.getMessage());
            // the interpreter's own last line, not its traceback header
            assertTrue(e.getMessage().contains("channels"), e.getMessage());
        }
    }
}
