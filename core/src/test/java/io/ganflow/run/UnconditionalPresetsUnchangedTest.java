package io.ganflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Preset;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Module;
import io.ganflow.train.Method;
import io.ganflow.train.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every unconditional preset trains as it did before class conditioning was built. The fixture
 * {@code fixtures/unconditional-presets.tsv} was recorded at commit 5940997, the last commit before this phase's
 * conditional GANs, conditional DDPM and the U-Net's class embedding, by this class with
 * {@code -Dganflow.fingerprint.write=FILE}: for each preset (seed 0), the logged statistics of its first three steps,
 * then the training stream's next uniform draw, the sum of squares of every network's parameters and of 16 samples.
 * A random draw added to or dropped from a step moves the next draw (compared to 1e-9: it depends on no kernel); a
 * changed operation moves the statistics. Those are compared with relative tolerances, not byte for byte: float32
 * kernels differ between instruction sets in the last bits, which three steps amplify to under 1e-5 on the toys'
 * MLPs but to 6e-3 on the conv nets (the largest gap measured between AVX-512 and forced AVX2 kernels:
 * fmnist-wgan-clip's generator gradient norm, weight clipping sitting on its bounds). Points: 1e-4; images: 3e-2.
 * Image presets whose data set is not installed are skipped.
 */
class UnconditionalPresetsUnchangedTest {
    static final String FIXTURE = "/fixtures/unconditional-presets.tsv";
    static final int STEPS = 3;
    static final double RELATIVE_POINTS = 1e-4;
    static final double RELATIVE_IMAGES = 3e-2;

    static Stream<String> presets() {
        return Presets.all().stream().filter(p -> p.values().getOrDefault("model.condition", "none").equals("none"))
                .map(Preset::name);
    }

    /** The fingerprint of a preset's first steps: statistics by step, then parameter and sample norms. */
    static Map<String, Double> fingerprint(String preset) {
        Config c = Config.builder().setAll(Presets.get(preset).values(), "preset").set("train.seed", "0", "test")
                .build();
        Map<String, Double> out = new TreeMap<>();
        try (Scope s = Scope.open()) {
            Dataset data = Setup.dataset(c);
            Method m = Setup.method(c, data);
            Rng rng = new Rng(0);
            int batch = c.getInt("train.batch");
            long total = c.getLong("train.steps");
            for (long step = 1; step <= STEPS; step++) {
                Map<String, Double> stats = m.step(new StepContext(step, total, data, rng, batch, true)).toHost();
                for (Map.Entry<String, Double> e : stats.entrySet()) {
                    if (!e.getKey().equals("rss_mb")) {
                        out.put("step" + step + "." + e.getKey(), e.getValue());
                    }
                }
            }
            for (Map.Entry<String, Module> e : new TreeMap<>(m.networks()).entrySet()) {
                double sq = 0;
                for (Tensor t : e.getValue().tensors()) {
                    sq += Ops.item(t.detach().to(org.bytedeco.pytorch.global.torch.ScalarType.Double).square().sum());
                }
                out.put("params." + e.getKey(), sq);
            }
            // the training stream's next draw: exact whatever the kernels, and moved by any draw added or dropped
            out.put("rng.next", Ops.toDoubles(rng.uniform(1))[0]);
            Tensor x = Ops.toHost(m.sample(16, new Rng(1)));
            out.put("samples", Ops.item(x.to(org.bytedeco.pytorch.global.torch.ScalarType.Double).square().sum()));
        }
        return out;
    }

    static boolean dataInstalled(String preset) {
        try (Scope s = Scope.open()) {
            Setup.dataset(Config.builder().setAll(Presets.get(preset).values(), "preset").build());
            return true;
        } catch (io.ganflow.BadInputException e) {
            return false;
        }
    }

    static Map<String, Map<String, Double>> fixture() throws IOException {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        try (InputStream in = UnconditionalPresetsUnchangedTest.class.getResourceAsStream(FIXTURE)) {
            if (in == null) {
                return all;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                all.computeIfAbsent(f[0], k -> new TreeMap<>()).put(f[1], Double.parseDouble(f[2]));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void trainsAsBeforeConditioning(String preset) throws IOException {
        String out = System.getProperty("ganflow.fingerprint.write", "");
        assumeTrue(dataInstalled(preset), preset + ": its data set is not installed");
        Map<String, Double> got = fingerprint(preset);
        double relative = RELATIVE_POINTS;
        try (Scope s = Scope.open()) {
            Config c = Config.builder().setAll(Presets.get(preset).values(), "preset").build();
            relative = Setup.dataset(c).shape().length > 1 ? RELATIVE_IMAGES : RELATIVE_POINTS;
        }
        if (!out.isEmpty()) {
            List<String> lines = new ArrayList<>();
            got.forEach((k, v) -> lines.add(preset + "\t" + k + "\t" + v));
            Files.write(Path.of(out), lines, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return;
        }
        Map<String, Double> want = fixture().get(preset);
        assumeTrue(want != null, preset + " is newer than the fixture");
        assertEquals(want.keySet(), got.keySet(), preset + ": the logged statistics");
        for (Map.Entry<String, Double> e : want.entrySet()) {
            double g = got.get(e.getKey());
            double w = e.getValue();
            double tol = e.getKey().equals("rng.next") ? 1e-9 : relative * Math.max(1e-3, Math.abs(w));
            assertTrue(Math.abs(g - w) <= tol, preset + " " + e.getKey() + ": " + g
                    + ", recorded " + w);
        }
    }
}
