package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.train.tensorboard.EventsDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ganflow train} with log.tensorboard: metrics, a picture per evaluation, histograms; resume continues. */
class TensorBoardCliTest {
    @TempDir
    Path dir;

    @Test
    void trainWritesEventsWithPicturesAndHistogramsAndResumeContinuesThem() throws Exception {
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "40", "--out",
                run.toString(), "--set", "log.tensorboard=true", "--set", "log.tensorboard.histograms_every=20"));
        assertEquals(0, r.code(), r.err());
        List<Path> files = EventsDecoder.eventFiles(run);
        assertEquals(1, files.size());
        List<Long> imageSteps = new ArrayList<>();
        List<String> histogramTags = new ArrayList<>();
        for (EventsDecoder.Event e : EventsDecoder.read(files.get(0))) {
            for (EventsDecoder.Value v : e.values() == null ? List.<EventsDecoder.Value>of() : e.values()) {
                if (v.image() != null) {
                    assertEquals("samples", v.tag());
                    assertEquals(760, v.image().width());
                    imageSteps.add(e.step());
                }
                if (v.histo() != null && e.step() == 1) {
                    histogramTags.add(v.tag());
                }
            }
        }
        assertEquals(List.of(20L, 40L), imageSteps, "one picture per evaluation");
        assertTrue(histogramTags.contains("weights/g/layer0.weight") && histogramTags.contains("weights/d/layer2.bias"),
                histogramTags.toString());

        r = CliTestSupport.run("train", "--resume", run.toString(), "--steps", "60", "--quiet");
        assertEquals(0, r.code(), r.err());
        files = EventsDecoder.eventFiles(run);
        assertEquals(2, files.size());
        assertEquals(41, EventsDecoder.read(files.get(1)).get(1).step(), "session_log START after the checkpoint");
        Map<String, TreeMap<Long, Float>> scalars = EventsDecoder.scalars(files);
        assertEquals(List.of(1L, 10L, 20L, 30L, 40L, 50L, 60L), List.copyOf(scalars.get("train/d_loss").keySet()));
        assertEquals(List.of(20L, 40L, 60L), List.copyOf(scalars.get("eval/w1").keySet()));
    }

    @Test
    void offWritesNothing() throws Exception {
        Path run = dir.resolve("off");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "10", "--out",
                run.toString(), "--no-plots", "--set", "log.tensorboard=false"));
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), EventsDecoder.eventFiles(run));
    }
}
