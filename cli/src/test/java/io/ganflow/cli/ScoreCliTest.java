package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score models from the command line: ring8-edm and a DDPM run train, reopen, sample with each of their
 * samplers, and measure their likelihood with {@code ganflow nll}; mixed-up keys are refused by name.
 */
class ScoreCliTest {
    @TempDir
    Path dir;

    @Test
    void edmTrainsSamplesAndMeasuresItsLikelihood() throws Exception {
        Path run = dir.resolve("edm");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-edm", "--steps",
                "20", "--set", "diffusion.sample_steps=9", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        for (List<String> s : List.of(List.of("heun", "NFE 9"), List.of("dpmpp2m", "NFE 9"), List.of("euler", "NFE 9"),
                List.of("ode", "NFE 8"), List.of("sde", "NFE 9"), List.of("pc", "NFE 8"), List.of("langevin",
                        "NFE 10"))) {
            Path out = dir.resolve(s.get(0) + ".csv");
            r = CliTestSupport.run("sample", "--run", run.toString(), "--sampler", s.get(0), "--n", "7", "--out",
                    out.toString());
            assertEquals(0, r.code(), s + ": " + r.err());
            assertTrue(r.out().contains(s.get(1)), s + ": " + r.out());
            assertEquals(8, Files.readAllLines(out).size());
        }
        r = CliTestSupport.run("nll", "--run", run.toString(), "--n", "20", "--solver", "rk4", "--nfe", "40", "--out",
                dir.resolve("nll.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("true entropy estimate") && r.out().contains("gap"), r.out());
        String json = Files.readString(dir.resolve("nll.json"));
        assertTrue(json.contains("\"gap\"") && json.contains("\"nll\""), json);

        r = CliTestSupport.run("sample", "--run", run.toString(), "--sampler", "ancestral", "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--sampler ancestral is not offered by method edm"), r.err());
        r = CliTestSupport.run("nll", "--run", run.toString(), "--divergence", "guess");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--divergence guess is not allowed"), r.err());
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-edm", "--set", "diffusion.target=v",
                "--steps", "5", "--out", dir.resolve("bad").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("diffusion.target=v is for method=score"), r.err());
        assertTrue(!Files.exists(dir.resolve("bad")), "no half-written run");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-ncsn", "--set",
                "diffusion.sampler=ddim", "--steps", "5", "--out", dir.resolve("bad2").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("diffusion.sampler=ddim is not a sampler of method score"), r.err());

        Path gan = dir.resolve("gan");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "5", "--out", gan.toString()));
        assertEquals(0, r.code(), r.err());
        r = CliTestSupport.run("nll", "--run", gan.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no likelihood through a probability-flow ODE"), r.err());
    }

    @Test
    void ddpmSamplesThroughTheContinuousTimeViewAndHasALikelihood() throws Exception {
        Path run = dir.resolve("ddpm");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-ddpm", "--steps",
                "20", "--set", "diffusion.steps=100", "--set", "diffusion.sampler=dpmpp2m", "--set",
                "diffusion.sample_steps=10", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        r = CliTestSupport.run("sample", "--run", run.toString(), "--sampler", "heun", "--nfe", "15", "--n", "5",
                "--out", dir.resolve("h.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("EDM Heun, 8 steps") && r.out().contains("NFE 15"), r.out());
        r = CliTestSupport.run("nll", "--run", run.toString(), "--n", "10", "--divergence", "hutchinson", "--probes",
                "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Hutchinson divergence, 2 Rademacher probe(s)"), r.out());
    }
}
