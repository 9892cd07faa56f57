package io.ganflow.train;

import io.ganflow.nn.StateDict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Presets;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped half-way and resumed from its checkpoint ends bit-for-bit where an uninterrupted run ends. */
class ResumeTest {
    @TempDir
    Path dir;

    static Config config() {
        return Config.builder()
                .set("model.g.width", "32", "test").set("model.g.depth", "2", "test")
                .set("model.d.width", "32", "test").set("model.d.depth", "2", "test")
                .set("gan.gp.weight", "0.1", "test").set("gan.n_critic", "3", "test")
                .set("train.batch", "64", "test").set("train.steps", "40", "test")
                .set("train.log_every", "10", "test").set("train.eval_every", "20", "test")
                .set("train.eval_samples", "200", "test").set("train.w1_samples", "100", "test")
                .set("train.checkpoint_every", "15", "test").set("train.lr_schedule", "linear", "test")
                .set("train.seed", "123", "test").build();
    }

    static Trainer trainer(Config c, RunDirectory run) {
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method m = Setup.method(c, data);
        TrainSpec spec = Setup.trainSpec(c);
        return new Trainer(m, data, new Rng(c.getLong("train.seed")), spec)
                .addListener(new CheckpointListener(run, Map.of(), spec.checkpointEvery(), spec.keepCheckpoints()))
                .addListener(new EvaluationListener(Setup.evaluator(c, data), spec.evalEvery()));
    }

    /** Resident memory differs between processes; everything else must match. */
    static java.util.List<Map<String, Object>> withoutMemory(java.util.List<Map<String, Object>> records) {
        records.forEach(r -> r.remove("rss_mb"));
        return records;
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        assertResumeIsExact(config(), "gan");
    }

    /**
     * Within bf16 mixed precision, resume is exact as well (checkpoints hold the float32 master weights and
     * optimiser state, as always), and the run differs from the float32 one (the products did run in bfloat16).
     */
    @Test
    void resumedBf16RunEqualsUninterruptedBf16Run() throws Exception {
        Config bf16 = config().toBuilder().set("train.precision", "bf16", "test").build();
        Map<String, Double> end = assertResumeIsExact(this.dir, bf16, "gan-bf16");
        Map<String, Double> fp32 = assertResumeIsExact(this.dir, config(), "gan-fp32");
        assertTrue(!end.equals(fp32), "bf16 and fp32 runs end differently: " + end + " vs " + fp32);
    }

    /** A flow stopped in its reflow stage resumes with the same couplings, stage and per-stage metrics. */
    @Test
    void resumedReflowRunEqualsUninterruptedRun() throws Exception {
        Config c = Config.builder().set("method", "rf", "test")
                .set("model.v.width", "32", "test").set("model.v.depth", "2", "test")
                .set("flow.reflow.rounds", "1", "test").set("flow.distill", "true", "test")
                .set("flow.reflow.pairs", "200", "test").set("flow.reflow.solver", "rk4", "test")
                .set("flow.steps", "4", "test")
                .set("train.batch", "64", "test").set("train.steps", "40", "test")
                .set("train.log_every", "10", "test").set("train.eval_every", "20", "test")
                .set("train.eval_samples", "200", "test").set("train.w1_samples", "100", "test")
                .set("train.checkpoint_every", "15", "test").set("train.lr_schedule", "linear", "test")
                .set("train.seed", "321", "test").build();
        assertResumeIsExact(c, "rf");
    }

    /**
     * The score models resume exactly too: a conditional EDM with an EMA of its weights (its net, EMA copy,
     * optimiser and the random draws of times, noise and label dropout) and DDPM with an EMA, each sampled by
     * evaluation at steps 20 and 40.
     */
    @Test
    void resumedScoreModelRunsEqualUninterruptedRuns() throws Exception {
        for (String[] preset : new String[][] {{"ring8-edm-cfg", "9"}, {"ring8-ddpm", "5"}}) {
            Config c = Config.builder().setAll(Presets.get(preset[0]).values(), "preset")
                    .set("model.v.width", "32", "test").set("model.v.depth", "2", "test")
                    .set("diffusion.ema", "0.9", "test").set("diffusion.sample_steps", preset[1], "test")
                    .set("diffusion.steps", "100", "test").set("diffusion.sampler", preset[0].contains("ddpm") ? "ddim"
                            : "auto", "test")
                    .set("train.batch", "64", "test").set("train.steps", "40", "test")
                    .set("train.log_every", "10", "test").set("train.eval_every", "20", "test")
                    .set("train.eval_samples", "200", "test").set("train.w1_samples", "100", "test")
                    .set("train.checkpoint_every", "15", "test").set("train.seed", "77", "test").build();
            Map<String, Double> end = assertResumeIsExact(this.dir, c, preset[0]);
            assertTrue(end.containsKey("w1"), end.toString());
        }
    }

    void assertResumeIsExact(Config c, String name) throws Exception {
        Map<String, Double> end = assertResumeIsExact(this.dir, c, name);
        assertTrue(end.size() > 3, end.toString());
        if (name.equals("rf")) {
            assertTrue(end.containsKey("stage2_straightness") && end.containsKey("stage3_w1_1step"), end.toString());
        }
    }

    /**
     * Trains {@code c} for its steps in one go, and again stopped at step 20 and resumed from that checkpoint,
     * under {@code root/name}; asserts both end with the same state, generator, metrics and metric log, and
     * returns the final metrics.
     */
    static Map<String, Double> assertResumeIsExact(Path root, Config c, String name) throws Exception {
        Path dir = root.resolve(name);

        RunDirectory a = RunDirectory.create(dir.resolve("a"));
        Trainer ta = trainer(c, a);
        ta.addListener(new MetricsLog(a.metrics()));
        TrainResult ra = ta.run();

        RunDirectory b = RunDirectory.create(dir.resolve("b"));
        Trainer tb1 = trainer(c, b);
        tb1.addListener(new MetricsLog(b.metrics()));
        tb1.addListener(new Listener() {
            @Override
            public void onLog(long step, Map<String, Double> stats) {
                if (step == 20) {
                    tb1.requestStop();
                }
            }
        });
        TrainResult rb1 = tb1.run();
        assertTrue(rb1.interrupted());
        assertEquals(20, rb1.steps());

        Checkpoint ckpt = b.latestIntactCheckpoint(s -> { }).orElseThrow();
        assertEquals(20, ckpt.step());
        Trainer tb2 = trainer(c, b);
        tb2.resumeFrom(ckpt);
        tb2.addListener(new MetricsLog(b.metrics()));
        TrainResult rb2 = tb2.run();
        assertEquals(40, rb2.steps());

        StateDict sa = CheckpointIO.read(a.checkpointFor(40)).state();
        StateDict sb = CheckpointIO.read(b.checkpointFor(40)).state();
        assertEquals(sa.tensors().keySet(), sb.tensors().keySet());
        for (String k : sa.tensors().keySet()) {
            assertArrayEquals(sa.floats(k), sb.floats(k), k);
        }
        assertArrayEquals(sa.getBytes("trainer.rng"), sb.getBytes("trainer.rng"));
        assertEquals(ra.finalMetrics(), rb2.finalMetrics());
        assertEquals(withoutMemory(MetricsLog.read(a.metrics())), withoutMemory(MetricsLog.read(b.metrics())));
        assertTrue(!ra.finalMetrics().isEmpty(), "the final evaluation ran");
        return ra.finalMetrics();
    }
}
