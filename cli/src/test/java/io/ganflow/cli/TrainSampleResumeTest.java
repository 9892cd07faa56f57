package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application end to end on a tiny run: files written, samples drawn, run continued. */
class TrainSampleResumeTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void trainWritesAFullRunDirectoryThenSampleAndResumeWork() throws Exception {
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "40", "--seed", "3",
                "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ring8-wgan-gp: 40 steps"), r.out());
        assertTrue(r.out().contains("| modes "), r.out());
        for (String f : List.of("config.yaml", "provenance.json", "metrics.jsonl", "summary.json", "samples.png",
                "losses.png", "report.html", "checkpoints/step-000000040.gfck")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> summary = json.readValue(run.resolve("summary.json").toFile(), Map.class);
        for (String k : List.of("steps", "seconds", "modes_covered", "modes_total", "high_quality_fraction",
                "reverse_kl_modes", "w1")) {
            assertTrue(summary.containsKey(k), "summary.json has " + k);
        }
        assertEquals(40, ((Number) summary.get("steps")).intValue());
        assertEquals(8, ((Number) summary.get("modes_total")).intValue());
        Map<String, Object> prov = json.readValue(run.resolve("provenance.json").toFile(), Map.class);
        for (String k : List.of("ganflow_version", "git_commit", "seed", "jvm", "libtorch", "threads")) {
            assertTrue(prov.containsKey(k), "provenance.json has " + k);
        }
        assertEquals(3, ((Number) prov.get("seed")).intValue());
        String cfg = Files.readString(run.resolve("config.yaml"));
        assertTrue(cfg.contains("train.steps: 40  # --steps"), cfg);
        assertTrue(cfg.contains("gan.gp.weight: 0.1  # preset ring8-wgan-gp"), cfg);

        Path csv = dir.resolve("samples.csv");
        r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "123", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("x1,x2", lines.get(0));
        assertEquals(124, lines.size());
        assertEquals(2, lines.get(5).split(",").length);

        r = CliTestSupport.run("eval", "--run", run.toString(), "--n", "300", "--metrics", "modes,w1,prdc");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> eval = json.readValue(run.resolve("eval.json").toFile(), Map.class);
        Map<String, Object> metrics = (Map<String, Object>) eval.get("metrics");
        assertTrue(metrics.keySet().containsAll(List.of("modes_covered", "high_quality_fraction", "w1", "precision",
                "coverage")), metrics.keySet().toString());

        r = CliTestSupport.run("train", "--resume", run.toString(), "--steps", "50", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming"), r.out());
        assertTrue(Files.exists(run.resolve("checkpoints/step-000000050.gfck")));
        summary = json.readValue(run.resolve("summary.json").toFile(), Map.class);
        assertEquals(50, ((Number) summary.get("steps")).intValue());
    }

    @Test
    void yamlConfigLayersUnderSetOverrides() throws Exception {
        Path y = dir.resolve("c.yaml");
        Files.writeString(y, "preset: ring8-nsgan\ngan:\n  n_critic: 2\ntrain.steps: 12\n");
        Path run = dir.resolve("yrun");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--config", y.toString(), "--set",
                "gan.n_critic=3", "--out", run.toString(), "--no-plots"));
        assertEquals(0, r.code(), r.err());
        String cfg = Files.readString(run.resolve("config.yaml"));
        assertTrue(cfg.contains("gan.objective: nonsaturating  # preset ring8-nsgan"), cfg);
        assertTrue(cfg.contains("gan.n_critic: 3  # --set"), cfg);
        assertTrue(cfg.contains("train.steps: 12  # " + y), cfg);
        assertFalse(Files.exists(run.resolve("samples.png")));
    }

    @Test
    void presetsAndKeysList() {
        CliTestSupport.Result r = CliTestSupport.run("presets");
        assertEquals(0, r.code());
        for (String p : List.of("ring8-wgan-gp", "ring8-gan", "ring8-nsgan", "ring8-wgan-clip", "grid25-wgan-gp",
                "grid25-wgan-gp0")) {
            assertTrue(r.out().contains(p), p);
        }
        assertTrue(r.out().contains("(default)"));
        r = CliTestSupport.run("keys", "gan.");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("gan.n_critic"), r.out());
        assertFalse(r.out().contains("train.steps"), r.out());
    }
}
