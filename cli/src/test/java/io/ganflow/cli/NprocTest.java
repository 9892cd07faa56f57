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

    /**
     * A checkpoint does not depend on the number of processes (the generator state is the one a single process
     * would have): a run trained by 2 processes for 20 steps, resumed by 1 to 40 and by 4 to 60, passes where
     * one process trained for 60 passes, to the float32 roundings of DataParallelTest with SGD; another seed is
     * the control.
     */
    @Test
    void aRunOfTwoProcessesResumesWithOneAndFourOnTheSameTrajectory(@TempDir Path dir) throws Exception {
        // a constant learning rate: the preset's linear decay to 0 at the last step depends on the run's length
        String[] sgd = {"--set", "opt.g.name=sgd", "--set", "opt.d.name=sgd", "--set", "opt.g.lr=1e-2", "--set",
            "opt.d.lr=1e-2", "--set", "train.lr_schedule=constant", "--no-plots"};
        Path two = dir.resolve("two");
        ok(CliTestSupport.run(CliTestSupport.tiny(concat(sgd, "train", "--nproc", "2", "--steps", "20", "--out",
                two.toString()))));
        ok(CliTestSupport.run("train", "--resume", two.toString(), "--steps", "40", "--no-plots", "--quiet"));
        ok(CliTestSupport.run("train", "--resume", two.toString(), "--steps", "60", "--nproc", "4", "--no-plots",
                "--quiet"));
        Path one = dir.resolve("one");
        ok(CliTestSupport.run(CliTestSupport.tiny(concat(sgd, "train", "--steps", "60", "--out", one.toString()))));
        Path other = dir.resolve("other");
        ok(CliTestSupport.run(CliTestSupport.tiny(concat(sgd, "train", "--steps", "40", "--seed", "1", "--out",
                other.toString()))));
        double resumed = maxWeightDifference(two, one, 40);
        double again = maxWeightDifference(two, one, 60);
        double seed = maxWeightDifference(other, one, 40);
        System.err.printf("2 processes, then 1, then 4 against 1 process: max |dw| = %.3g at step 40, %.3g at 60"
                + " (another seed: %.3g)%n", resumed, again, seed);
        assertTrue(resumed <= 5e-5, "step 40: max |dw| = " + resumed);
        assertTrue(again <= 5e-5, "step 60: max |dw| = " + again);
        assertTrue(seed > 0.1, "another seed moved the weights by only " + seed);
    }

    static void ok(CliTestSupport.Result r) {
        assertEquals(0, r.code(), r.err());
    }

    static String[] concat(String[] tail, String... head) {
        String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** The largest difference between the two runs' checkpoints of a step over the networks' tensors. */
    static double maxWeightDifference(Path a, Path b, long step) {
        String file = String.format("checkpoints/step-%09d.gfck", step);
        java.util.Map<String, float[]> x = io.ganflow.train.CheckpointIO.read(a.resolve(file)).state().tensors();
        java.util.Map<String, float[]> y = io.ganflow.train.CheckpointIO.read(b.resolve(file)).state().tensors();
        double m = 0;
        int compared = 0;
        for (String k : x.keySet()) {
            if (k.startsWith("opt.") || !y.containsKey(k)) {
                continue;
            }
            float[] u = x.get(k);
            float[] v = y.get(k);
            assertEquals(u.length, v.length, k);
            for (int i = 0; i < u.length; i++) {
                m = Math.max(m, Math.abs((double) u[i] - v[i]));
            }
            compared++;
        }
        assertTrue(compared >= 4, "network tensors compared: " + x.keySet());
        return m;
    }
}
