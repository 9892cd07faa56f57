package io.ganflow.metrics.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Reshaped;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** A ganflow classifier split into body and head, as a feature extractor. */
class ModuleFeaturesTest {
    @Test
    void batchedFeaturesAndLogitsEqualTheModulesOwnOutputs() {
        Module body = new Reshaped(Mlp.builder().in(784).out(16).width(32).depth(2).build(new Rng(1)), new long[] {16});
        Module head = Mlp.builder().in(16).out(10).width(16).depth(1).build(new Rng(2));
        ModuleFeatures fx = ModuleFeatures.of("toy-classifier", body, head);
        assertTrue(fx.id().startsWith("toy-classifier:sha256:"), fx.id());
        assertEquals(fx.id(), ModuleFeatures.of("toy-classifier", body, head).id());
        ModuleFeatures small = new ModuleFeatures(fx.id(), body::forward, head::forward, 7); // 50 = 7 x 7 + 1
        try (Scope s = Scope.open()) {
            Tensor x = new Rng(3).uniform(50, 1, 28, 28).mul(Ops.s(2)).sub(Ops.s(1));
            Tensor f = body.forward(x);
            Tensor l = head.forward(f);
            FeatureExtractor.Extracted e = small.extract(x);
            assertEquals(0, Ops.item(e.features().sub(f).abs().max()), 1e-6);
            assertEquals(0, Ops.item(e.logits().orElseThrow().sub(l).abs().max()), 1e-6);
            assertTrue(!e.features().requires_grad(), "no gradients recorded");
            assertTrue(ModuleFeatures.featuresOnly("body", body).logits(x).isEmpty());
        }
        Ops.noGrad(() -> head.parameters().get(0).value().add_(Ops.s(1e-3)));
        assertNotEquals(fx.id(), ModuleFeatures.of("toy-classifier", body, head).id(), "the id follows the weights");
    }
}
