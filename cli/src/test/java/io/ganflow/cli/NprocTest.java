package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ganflow train --nproc 2} end to end: the launcher starts two worker JVMs, they train together, and
 * rank 0 alone writes the run directory (config, metrics, checkpoints, summary); the run then resumes with
 * two processes from its last checkpoint.
 */
class NprocTest {
    @Test
    void twoWorkersTrainAndResumeOneRunDirectory(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--nproc", "2", "--steps", "40",
                "--no-plots", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(40, summary.get("steps").asInt());
        assertTrue(summary.has("modes_covered"), summary.toString());
        try (Stream<Path> ckpts = Files.list(out.resolve("checkpoints"))) {
            // the newest checkpoints are kept (train.keep_checkpoints), the last one at step 40
            assertEquals(List.of("step-000000020.gfck", "step-000000040.gfck"),
                    ckpts.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(List.of("run"), all.map(p -> p.getFileName().toString()).toList(), "one run directory");
        }
        assertTrue(Files.readAllLines(out.resolve("metrics.jsonl")).stream()
                .anyMatch(l -> l.startsWith("{\"kind\":\"train\",\"step\":40,")), "step 40 logged");

        CliTestSupport.Result resumed = CliTestSupport.run("train", "--resume", out.toString(), "--steps", "60",
                "--nproc", "2", "--no-plots", "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(60, new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("steps").asInt());
    }
}
