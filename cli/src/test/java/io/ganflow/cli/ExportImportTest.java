package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.io.SafetensorsFile;
import io.ganflow.run.TrainedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ganflow export` and `model.*.init_from`: weights out with their provenance, and back in. */
class ExportImportTest {
    @TempDir
    Path dir;

    @Test
    void exportCarriesProvenanceAndItsSamplesAreThoseOfGanflowSample() throws Exception {
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "30", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        Path g = dir.resolve("g.safetensors");
        r = CliTestSupport.run("export", "--run", run.toString(), "--out", g.toString(), "--samples", "300", "--seed", "4");
        assertEquals(0, r.code(), r.err());

        SafetensorsFile f = Safetensors.read(g);
        assertEquals("mlp", f.metadata().get("kind"));
        assertEquals("30", f.metadata().get("ganflow.step"));
        Path ckpt = run.resolve("checkpoints/step-000000030.gfck");
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(ckpt)));
        assertEquals(sha, f.metadata().get("ganflow.checkpoint_sha256"));
        assertTrue(f.metadata().get("ganflow.config").contains("\"gan.objective\":\"wasserstein\""));
        assertTrue(f.tensors().containsKey("0.weight"));

        // The recorded outputs are exactly what `ganflow sample --seed 4` writes (identity standardiser on ring8).
        float[] out = Safetensors.read(dir.resolve("g.samples.safetensors")).tensor("output").floats();
        Path csv = dir.resolve("s.csv");
        r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "300", "--seed", "4", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        for (int i = 0; i < 300; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(out[2 * i], Float.parseFloat(cells[0]), 0f);
            assertEquals(out[2 * i + 1], Float.parseFloat(cells[1]), 0f);
        }

        Path all = dir.resolve("all.safetensors");
        r = CliTestSupport.run("export", "--run", run.toString(), "--out", all.toString(), "--what", "all");
        assertEquals(0, r.code(), r.err());
        assertTrue(Safetensors.read(all).tensors().keySet().containsAll(List.of("generator.0.weight", "critic.4.bias")));
        r = CliTestSupport.run("export", "--run", run.toString(), "--out", dir.resolve("v.safetensors").toString(),
                "--what", "velocity");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("allowed: generator, critic, all"), r.err());
    }

    /** A toy preset with a small velocity or noise net, trained for 20 steps in dir/PRESET. */
    private Path tinyFieldRun(String preset) {
        Path run = dir.resolve(preset);
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", preset, "--steps", "20",
                "--set", "model.v.width=32", "--set", "model.v.depth=2", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        return run;
    }

    @Test
    void aConditionalFlowExportsItsClassTableAndTheSamplesOfGanflowSample() throws Exception {
        Path run = tinyFieldRun("ring8-rf-cfg");
        Path v = dir.resolve("v.safetensors");
        CliTestSupport.Result r = CliTestSupport.run("export", "--run", run.toString(), "--out", v.toString(), "--samples", "16", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        SafetensorsFile f = Safetensors.read(v);
        assertEquals("velocity", f.metadata().get("ganflow.what"), "the default is the net that samples");
        assertEquals("time_embedding", f.metadata().get("condition"));
        assertEquals("8", f.metadata().get("classes"));
        assertTrue(f.metadata().get("ganflow.reads").contains("t in [0, 1]"));
        assertArrayEquals(new long[] {9, 16}, f.tensor("label.embedding").shape(), "8 classes and the null class");

        // the flow's samples in the file are those of `ganflow sample --seed 3` for the classes 0, 1, ..., 7, 0, ...
        SafetensorsFile s = Safetensors.read(dir.resolve("v.samples.safetensors"));
        assertEquals("rk4", s.metadata().get("ganflow.solver"));
        assertEquals("1.0", s.metadata().get("ganflow.guidance"));
        float[] sample = s.tensor("sample").floats();
        long[] classes = new long[16];
        for (int i = 0; i < 16; i++) {
            classes[i] = i % 8;
            assertEquals(i % 8, s.tensor("classes").floats()[i], 0f);
        }
        double[][] want = TrainedRun.open(run).sampleClasses(classes, 3); // ring8: the identity standardiser
        for (int i = 0; i < 16; i++) {
            assertEquals(want[i][0], sample[2 * i], 1e-6);
            assertEquals(want[i][1], sample[2 * i + 1], 1e-6);
        }
        float[] in = s.tensor("input").floats();
        assertEquals(16 * 4, in.length, "[x, t, y]");
        assertEquals(8f, in[4 * 8 + 3], 0f, "the ninth row asks for the null class");
    }

    @Test
    void aDiffusionRunExportsItsNoiseNetByDefault() throws Exception {
        Path run = tinyFieldRun("ring8-ddpm");
        Path e = dir.resolve("e.safetensors");
        CliTestSupport.Result r = CliTestSupport.run("export", "--run", run.toString(), "--out", e.toString(), "--samples", "8");
        assertEquals(0, r.code(), r.err());
        SafetensorsFile f = Safetensors.read(e);
        assertEquals("eps", f.metadata().get("ganflow.what"));
        assertTrue(f.metadata().get("ganflow.reads").contains("eps(x_t, t / T)"));
        assertFalse(Safetensors.read(dir.resolve("e.samples.safetensors")).tensors().containsKey("prior"),
                "only a flow's ODE is integrated again");
        r = CliTestSupport.run("export", "--run", run.toString(), "--out", dir.resolve("a.safetensors").toString(),
                "--what", "all", "--samples", "8");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--samples applies to a GAN generator or to a velocity, eps or denoiser net"), r.err());
        assertFalse(Files.exists(dir.resolve("a.safetensors")), "refused before anything is written");
    }

    @Test
    void initFromStartsTheGeneratorAndCriticFromGivenWeightsAndRefusesMismatches() throws Exception {
        Path run = dir.resolve("a");
        assertEquals(0, CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "20", "--out", run.toString())).code());
        Path all = dir.resolve("all.safetensors");
        assertEquals(0, CliTestSupport.run("export", "--run", run.toString(), "--out", all.toString(), "--what", "all")
                .code());
        Map<String, SafeTensor> before = Safetensors.read(all).tensors();

        // Zero learning rates: after training, the weights are still those of the file.
        Path b = dir.resolve("b");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "3", "--out", b.toString(),
                "--set", "model.g.init_from=" + all, "--set", "model.d.init_from=" + all,
                "--set", "opt.g.name=sgd", "--set", "opt.d.name=sgd", "--set", "opt.g.lr=1e-30", "--set", "opt.d.lr=1e-30"));
        assertEquals(0, r.code(), r.err());
        Path again = dir.resolve("again.safetensors");
        TrainedRun.open(b).export(again, "all");
        Map<String, SafeTensor> after = Safetensors.read(again).tensors();
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).floats(), after.get(k).floats(), 1e-6f, k);
        }

        Path c = dir.resolve("c");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "3", "--out", c.toString(),
                "--set", "model.z_dim=3", "--set", "model.g.init_from=" + all));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("generator.0.weight") && r.err().contains("shape"), r.err());
        assertFalse(Files.exists(c), "no run directory for bad input");
    }
}
