package io.ganflow.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.Listener;
import io.ganflow.train.Method;
import io.ganflow.train.MetricsLog;
import io.ganflow.train.RunDirectory;
import io.ganflow.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener on a real trainer: a run that dies after its last checkpoint and is resumed shows in
 * TensorBoard the same timeline as an uninterrupted run, and the same values as metrics.jsonl.
 */
class TensorBoardTrainingTest {
    @TempDir
    Path dir;

    static Config config() {
        return Config.builder()
                .set("model.g.width", "16", "test").set("model.g.depth", "2", "test")
                .set("model.d.width", "16", "test").set("model.d.depth", "2", "test")
                .set("gan.gp.weight", "0.1", "test").set("gan.n_critic", "2", "test")
                .set("train.batch", "32", "test").set("train.steps", "40", "test")
                .set("train.log_every", "10", "test").set("train.eval_every", "20", "test")
                .set("train.eval_samples", "100", "test").set("train.w1_samples", "50", "test")
                .set("train.checkpoint_every", "15", "test").set("train.seed", "5", "test").build();
    }

    record Session(Trainer trainer, TensorBoardListener tb, MetricsLog log) {}

    static Session session(RunDirectory run) {
        Config c = config();
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method m = Setup.method(c, data);
        io.ganflow.train.TrainSpec spec = Setup.trainSpec(c);
        Trainer t = new Trainer(m, data, new Rng(c.getLong("train.seed")), spec)
                .addListener(new io.ganflow.train.CheckpointListener(run, Map.of(), spec.checkpointEvery(),
                        spec.keepCheckpoints()))
                .addListener(new io.ganflow.train.EvaluationListener(Setup.evaluator(c, data), spec.evalEvery()));
        TensorBoardListener tb = new TensorBoardListener(run.root()).histograms(20, TensorBoardListener.weightsOf(m))
                .images("samples", step -> TensorBoardFixtureTest.PNG);
        MetricsLog log = new MetricsLog(run.metrics());
        t.addListener(log);
        t.addListener(tb);
        return new Session(t, tb, log);
    }

    @Test
    void aCrashedAndResumedRunShowsTheTimelineOfAnUninterruptedOne() throws IOException {
        RunDirectory a = RunDirectory.create(dir.resolve("a"));
        Session sa = session(a);
        sa.trainer().run();

        RunDirectory b = RunDirectory.create(dir.resolve("b"));
        Session sb = session(b);
        sb.trainer().addListener(new Listener() {
            @Override
            public void onLog(long step, Map<String, Double> stats) {
                if (step == 40) {
                    throw new IllegalStateException("simulated crash after the checkpoint at 30");
                }
            }
        });
        try {
            assertThrows(IllegalStateException.class, () -> sb.trainer().run());
        } finally {
            sb.tb().close();
            sb.log().close();
        }
        Checkpoint ckpt = b.latestIntactCheckpoint(s -> { }).orElseThrow();
        assertEquals(30, ckpt.step());
        Session sb2 = session(b);
        sb2.trainer().resumeFrom(ckpt);
        sb2.trainer().run();

        List<Path> filesB = EventsDecoder.eventFiles(b.root());
        assertEquals(2, filesB.size());
        EventsDecoder.Event start = EventsDecoder.read(filesB.get(1)).get(1);
        assertEquals(1L, start.sessionStatus());
        assertEquals(31, start.step());

        Map<String, TreeMap<Long, Float>> ta = EventsDecoder.scalars(EventsDecoder.eventFiles(a.root()));
        Map<String, TreeMap<Long, Float>> tb = EventsDecoder.scalars(filesB);
        ta.remove("train/rss_mb");
        tb.remove("train/rss_mb");
        assertEquals(ta, tb, "resumed = uninterrupted, bit for bit");
        assertEquals(List.of(1L, 10L, 20L, 30L, 40L), List.copyOf(tb.get("train/d_loss").keySet()));
        assertEquals(List.of(20L, 40L), List.copyOf(tb.get("eval/w1").keySet()));

        // the same values as metrics.jsonl, as float32
        for (Map<String, Object> rec : MetricsLog.read(b.metrics())) {
            long step = ((Number) rec.get("step")).longValue();
            for (Map.Entry<String, Object> e : rec.entrySet()) {
                if (e.getKey().equals("kind") || e.getKey().equals("step") || e.getKey().equals("rss_mb")) {
                    continue;
                }
                double v = e.getValue() instanceof Number n ? n.doubleValue() : Double.parseDouble((String) e.getValue());
                String tag = rec.get("kind") + "/" + e.getKey();
                assertEquals((float) v, tb.get(tag).get(step), tag + " at " + step);
            }
        }

        boolean histograms = false;
        boolean images = false;
        for (Path f : filesB) {
            for (EventsDecoder.Event e : EventsDecoder.read(f)) {
                if (e.values() == null) {
                    continue;
                }
                for (EventsDecoder.Value v : e.values()) {
                    if (v.histo() != null && v.tag().equals("weights/d/layer0.weight")) {
                        histograms = true;
                        assertEquals(2 * 16, v.histo().num(), "a 2 -> 16 first critic layer");
                    }
                    images |= v.image() != null;
                }
            }
        }
        assertTrue(histograms && images);
    }
}
