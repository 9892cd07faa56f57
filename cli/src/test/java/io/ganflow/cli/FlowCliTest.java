package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny reflow run from the command line; sampling it with every solver; the flags' errors. */
class FlowCliTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void flowRunSamplesWithEverySolverAndReportsNfe() throws Exception {
        Path run = dir.resolve("rf");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-rf", "--steps", "60",
                "--set", "model.v.width=32", "--set", "model.v.depth=2", "--set", "flow.reflow.rounds=1",
                "--set", "flow.reflow.pairs=200", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"summary.json", "trajectories.png", "samples.png"}) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        Map<String, Object> summary = new ObjectMapper().readValue(run.resolve("summary.json").toFile(), Map.class);
        assertEquals(100, ((Number) summary.get("nfe")).intValue(), summary.toString());
        assertTrue(summary.containsKey("straightness") && summary.containsKey("stage1_straightness")
                && summary.containsKey("stage2_w1_rk45"), summary.toString());

        String[][] cases = {{"euler", "--nfe", "8", "NFE 8"}, {"heun", "--nfe", "8", "NFE 8"}, {"rk4", "--nfe", "8", "NFE 8"},
            {"dopri5", "--atol", "1e-4", "dopri5 (atol"}};
        for (String[] c : cases) {
            Path out = dir.resolve(c[0] + ".csv");
            r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "50", "--solver", c[0], c[1], c[2],
                    "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(c[3]), r.out());
            assertEquals(51, Files.readAllLines(out).size());
        }
        r = CliTestSupport.run("sample", "--run", run.toString(), "--solver", "rk45", "--out", dir.resolve("x.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("allowed: euler, heun, rk4, dopri5"), r.err());
        r = CliTestSupport.run("sample", "--run", run.toString(), "--solver", "rk4", "--nfe", "2", "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--nfe 2"), r.err());
    }
}
