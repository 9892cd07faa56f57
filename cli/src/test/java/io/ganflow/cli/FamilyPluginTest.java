package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third family arrives whole through a plug-in (io.ganflow.cli.toyfamily.MomentFamily, listed in this test
 * class path's META-INF/services): its keys, its method and its sampler work through {@code ganflow keys},
 * {@code ganflow train} and {@code ganflow sample}, with no edit to ganflow itself.
 */
class FamilyPluginTest {
    @TempDir
    Path dir;

    @Test
    void aPluginFamilyTrainsAndSamplesThroughTheCli() throws Exception {
        // data with a known mean, (3, -1), as a CSV of 400 rows on a small circle around it
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int i = 0; i < 400; i++) {
            double t = 2 * Math.PI * i / 400;
            csv.append(3 + 0.5 * Math.cos(t)).append(',').append(-1 + 0.5 * Math.sin(t)).append('\n');
        }
        Path data = dir.resolve("data.csv");
        Files.writeString(data, csv);

        CliTestSupport.Result r = CliTestSupport.run("keys", "moment.");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("moment.rate") && r.out().contains("moment.spread"), r.out());
        assertTrue(Registries.FAMILIES.names().containsAll(List.of("gan", "flow", "moment")),
                Registries.FAMILIES.names().toString());

        Path bad = dir.resolve("bad");
        r = CliTestSupport.run("train", "--set", "method=moment", "--set", "moment.rate=2", "--out", bad.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("moment.rate"), r.err());
        assertFalse(Files.exists(bad), "no run directory for a refused config");

        Path run = dir.resolve("run");
        r = CliTestSupport.run("train", "--set", "method=moment", "--set", "data.name=csv", "--set",
                "data.path=" + data, "--set", "data.standardize=false", "--set", "moment.rate=0.2", "--set",
                "train.batch=64", "--set", "train.eval_samples=200", "--set", "train.w1_samples=200", "--steps", "60",
                "--quiet", "--no-plots", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("60 steps"), r.out());

        // the family's own sampler and option: scale 0 puts every sample on the learned mean
        Path out = dir.resolve("s.csv");
        r = CliTestSupport.run("sample", "--run", run.toString(), "--sampler", "gaussian", "--option", "scale=0",
                "--n", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("solver: gaussian (scale 0.0)"), r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(21, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",");
            // the running mean of 60 batches of 64 rows at rate 0.2: within 0.15 of (3, -1) (batch means of points
            // at radius 0.5 scatter by 0.5 / sqrt(2 * 64) = 0.044, and the average forgets its start as 0.8^60)
            assertEquals(3.0, Double.parseDouble(v[0]), 0.15, line);
            assertEquals(-1.0, Double.parseDouble(v[1]), 0.15, line);
            assertEquals(lines.get(1), line, "scale 0: every sample is the mean");
        }

        // the flows' flags are refused here, as is a sampler the method does not offer
        r = CliTestSupport.run("sample", "--run", run.toString(), "--solver", "rk4", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--solver applies to no sampler of method moment"), r.err());
        r = CliTestSupport.run("sample", "--run", run.toString(), "--sampler", "ode", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("allowed: gaussian"), r.err());
    }
}
