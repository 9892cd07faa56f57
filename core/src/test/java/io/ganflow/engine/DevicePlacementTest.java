package io.ganflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Preset;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.data.DeviceDataset;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import io.ganflow.train.Method;
import io.ganflow.train.StepContext;
import io.ganflow.train.Trainer;
import io.ganflow.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a CUDA run needs, proven without a GPU: every method trains on libtorch's meta device, which holds shapes
 * and no values. A tensor created on the host inside a step meets the device's tensors and fails ("expected all
 * tensors to be on the same device"); a read of a value back to the host (item, a copy out) fails too. So a
 * method that takes steps here creates its step's tensors on the run's device and never waits for it, which is
 * what train.device=cuda asks. The trainer moves the networks and the optimiser state there first. The meta device
 * has no convolution and no batch norm, so the image nets cannot be followed this way.
 */
class DevicePlacementTest {
    static final int STEPS = 3;

    @AfterEach
    void backToCpu() {
        Engine.setDevice(Device.CPU);
    }

    /** Every built-in preset on data that needs no download (the toy sets), at its own size. */
    static Stream<Arguments> toyPresets() {
        List<Arguments> out = new ArrayList<>();
        for (Preset p : Presets.all()) {
            String data = p.values().getOrDefault("data.name", "");
            if (!data.contains("mnist") && Presets.origin(p.name()).equals("built-in")) {
                out.add(Arguments.of(p.name(), p.values()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toyPresets")
    void everyToyPresetStepsOnTheDeviceWithoutHostReads(String name, Map<String, String> values) {
        if ("ot".equals(values.get("particle.coupling"))) {
            // The one host read in a step, by design: the exact OT coupling solves its assignment problem on the
            // host (ParticleGan.otPaired copies the batch's cost matrix back, then sends the permutation over).
            Config c = toyConfig(values);
            RuntimeException e = assertThrows(RuntimeException.class, () -> assertStepsOnMeta(c));
            assertTrue(e.getMessage().contains("Cannot copy out of meta tensor"), e.getMessage());
            assertTrue(java.util.Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getMethodName().equals("otPaired")));
            return;
        }
        assertStepsOnMeta(toyConfig(values));
    }

    /** Regularisers and options with state of their own, on ring8's WGAN-GP and rectified flow. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void regularisersAndOptionsKeepTheirStateOnTheDevice(String label, String preset, String[] kv) {
        Config.Builder b = toyBuilder(Presets.get(preset).values());
        for (int i = 0; i < kv.length; i += 2) {
            b.set(kv[i], kv[i + 1], "test");
        }
        assertStepsOnMeta(b.build());
    }

    static Stream<Arguments> options() {
        return Stream.of(
                Arguments.of("historical averaging", "ring8-wgan-gp", new String[] {"gan.historical_averaging.weight",
                    "0.01", "gan.historical_averaging.on", "both"}),
                Arguments.of("ema, instance noise, feature matching", "ring8-wgan-gp", new String[] {"gan.ema", "0.9",
                    "gan.instance_noise.std", "0.3", "gan.feature_matching.weight", "1"}),
                Arguments.of("r1, r2", "ring8-wgan-gp", new String[] {"gan.r1.weight", "0.1", "gan.r2.weight", "0.1"}),
                Arguments.of("virtual batch norm", "ring8-wgan-gp", new String[] {"model.g.vbn", "8"}),
                Arguments.of("weight clipping", "ring8-wgan-clip", new String[0]),
                Arguments.of("rectified flow from a generator prior", "ring8-rf", new String[] {"flow.prior", "generator"}));
    }

    static Config toyConfig(Map<String, String> values) {
        return toyBuilder(values).build();
    }

    static Config.Builder toyBuilder(Map<String, String> values) {
        // libtorch's meta device has no kernel for relu (it has leaky_relu's), and placement is the same for both
        return Config.builder().setAll(values, "preset").set("train.steps", "100", "test")
                .set("model.g.activation", "leaky_relu", "test").set("model.d.activation", "leaky_relu", "test");
    }

    static void assertStepsOnMeta(Config c) {
        Engine.setDevice(Device.META);
        try (Scope s = Scope.open()) {
            Dataset data = Setup.dataset(c);
            Method m = Setup.method(c, data);
            long seed = c.getLong("train.seed");
            Trainer trainer = new Trainer(m, data, new Rng(seed), Setup.trainSpec(c));
            assertEquals(Device.META, trainer.device());
            assertAllOn(m, Device.META);
            // what Trainer.run hands each step on a device (its logging steps read statistics back; these don't log)
            Dataset onDevice = new DeviceDataset(data, Device.META);
            Rng rng = new Rng(seed).on(Device.META);
            for (long step = 1; step <= STEPS; step++) {
                try (Scope st = Scope.open()) {
                    m.step(new StepContext(step, 100, onDevice, rng, c.getInt("train.batch"), false));
                } catch (RuntimeException e) {
                    String msg = String.valueOf(e.getMessage());
                    Assumptions.assumeFalse(msg.startsWith("convolution_overrideable not implemented"),
                            "libtorch's meta device has no convolution; the step could not be followed past it");
                    int at = msg.indexOf(": attempted to run this operator with Meta tensors");
                    // a gap of the meta device, not of ganflow: what comes before the operator is unchecked here
                    Assumptions.assumeTrue(at < 0, "libtorch has no meta kernel for " + msg.substring(0, Math.max(0,
                            at)).trim() + "; the step could not be followed past it");
                    throw e;
                }
            }
            assertAllOn(m, Device.META);
        }
    }

    static void assertAllOn(Method m, Device d) {
        int n = 0;
        for (Optimizer o : m.optimizers().values()) {
            for (Parameter p : o.parameters()) {
                assertEquals(d, Device.of(p.value()), p.name());
                n++;
            }
            for (Tensor t : o.stateTensors()) {
                assertEquals(d, Device.of(t), "optimiser state");
            }
        }
        for (Module net : m.networks().values()) {
            for (Parameter p : net.buffers()) {
                assertEquals(d, Device.of(p.value()), p.name());
            }
        }
        for (Tensor t : m.stateTensors()) {
            assertEquals(d, Device.of(t), "method state");
        }
        assertTrue(n > 0, "no parameters");
    }

    @Test
    void drawsOnADeviceAreTheHostDrawsAndLeaveTheSameState() {
        Rng host = new Rng(7);
        Rng viewed = new Rng(7);
        float[] a = Ops.toFloats(host.normal(5, 3));
        Tensor onMeta = viewed.on(Device.META).normal(5, 3);
        assertTrue(onMeta.is_meta());
        assertEquals(List.of(5L, 3L), List.of(onMeta.size(0), onMeta.size(1)));
        // the view drew with the shared host generator: both are in the same state, so the next draws agree
        assertEquals(java.util.Arrays.toString(Ops.toFloats(host.uniform(4))),
                java.util.Arrays.toString(Ops.toFloats(viewed.uniform(4))));
        assertEquals(15, a.length);
        // a shard view keeps its device, and the host view its shard
        Rng shard = viewed.on(Device.META).shard(1, 2);
        assertTrue(shard.normal(2, 2).is_meta());
        assertTrue(!shard.onHost().normal(2, 2).is_meta());
    }
}
