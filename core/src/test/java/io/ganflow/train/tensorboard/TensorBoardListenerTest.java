package io.ganflow.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardListenerTest {
    @TempDir
    Path dir;

    @Test
    void resumeWritesANewFileThatOpensWithSessionLogStartAfterTheCheckpoint() throws IOException {
        // the first session checkpointed at step 100, logged step 150 and died
        TensorBoardListener a = new TensorBoardListener(dir).clock(() -> 1000.0);
        a.onStart(0, 300);
        for (long s = 50; s <= 150; s += 50) {
            a.onLog(s, Map.of("d_loss", s / 1000.0));
        }
        a.onEval(100, Map.of("w1", 0.5));
        a.close();

        TensorBoardListener b = new TensorBoardListener(dir).clock(() -> 2000.0);
        b.onStart(100, 300);
        b.onLog(150, Map.of("d_loss", 0.9));
        b.onLog(200, Map.of("d_loss", 0.8));
        b.onEval(200, Map.of("w1", 0.25));
        b.onEnd(null);

        List<Path> files = EventsDecoder.eventFiles(dir);
        assertEquals(List.of(a.file(), b.file()), files, "one file per session, in the order they ran");
        List<EventsDecoder.Event> second = EventsDecoder.read(b.file());
        assertEquals("brain.Event:2", second.get(0).fileVersion());
        assertEquals(1L, second.get(1).sessionStatus(), "START");
        assertEquals(101, second.get(1).step(), "keeps the checkpoint's step 100, drops what came after it");
        assertEquals(2000.0, second.get(1).wallTime());

        Map<String, TreeMap<Long, Float>> tl = EventsDecoder.scalars(files);
        assertEquals(List.of(50L, 100L, 150L, 200L), List.copyOf(tl.get("train/d_loss").keySet()));
        assertEquals(0.9f, tl.get("train/d_loss").get(150L), "the resumed session's step 150");
        assertEquals(0.1f, tl.get("train/d_loss").get(100L));
        assertEquals(Map.of(100L, 0.5f, 200L, 0.25f), tl.get("eval/w1"));
    }

    @Test
    void aFreshRunHasNoSessionLogAndAConventionalFileName() throws IOException {
        TensorBoardListener l = new TensorBoardListener(dir);
        l.onStart(0, 10);
        l.onLog(1, Map.of("g_loss", 1.0));
        l.onEnd(null);
        String name = l.file().getFileName().toString();
        assertTrue(name.matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+\\.\\d+\\.\\d+"), name);
        List<EventsDecoder.Event> ev = EventsDecoder.read(l.file());
        assertEquals(2, ev.size());
        assertNull(ev.get(1).sessionStatus());
        assertEquals("train/g_loss", ev.get(1).values().get(0).tag());
        assertTrue(Math.abs(ev.get(1).wallTime() - System.currentTimeMillis() / 1000.0) < 60);
        assertThrows(IllegalStateException.class, () -> l.image(2, "x", TensorBoardFixtureTest.PNG),
                "a closed listener does not open a second file");
    }

    @Test
    void eachCallIsFlushedSoTensorBoardSeesItAtOnce() throws IOException {
        TensorBoardListener l = new TensorBoardListener(dir);
        l.onStart(0, 10);
        l.onLog(1, Map.of("g_loss", 1.0));
        assertEquals(2, EventsDecoder.read(l.file()).size(), "readable before close");
        l.close();
    }

    @Test
    void histogramsComeAtTheFirstLogAndAfterEachMultiple() throws IOException {
        List<Long> asked = new ArrayList<>();
        TensorBoardListener l = new TensorBoardListener(dir).histograms(100, () -> {
            asked.add(1L);
            return Map.of("weights/g/layer0.weight", new float[] {1, 2, 3});
        });
        l.onStart(0, 400);
        for (long s : new long[] {50, 100, 150, 200, 250, 350}) {
            l.onLog(s, Map.of("d_loss", 1.0));
        }
        l.onEnd(null);
        List<Long> steps = new ArrayList<>();
        for (EventsDecoder.Event e : EventsDecoder.read(l.file())) {
            if (e.values() != null && e.values().get(0).histo() != null) {
                steps.add(e.step());
                EventsDecoder.Histo h = e.values().get(0).histo();
                assertEquals(3, h.num());
                assertEquals(6, h.sum());
                assertEquals(3, h.max());
            }
        }
        assertEquals(List.of(50L, 100L, 200L, 350L), steps);
        assertEquals(4, asked.size(), "weights are read only when a histogram is due");

        TensorBoardListener resumed = new TensorBoardListener(dir).clock(() -> 4e9).histograms(100,
                () -> Map.of("w", new float[] {1}));
        resumed.onStart(350, 500);
        for (long s : new long[] {360, 380, 400}) {
            resumed.onLog(s, Map.of("d_loss", 1.0));
        }
        resumed.onEnd(null);
        List<Long> after = new ArrayList<>();
        for (EventsDecoder.Event e : EventsDecoder.read(resumed.file())) {
            if (e.values() != null && e.values().get(0).histo() != null) {
                after.add(e.step());
            }
        }
        assertEquals(List.of(400L), after, "a resumed session keeps the cadence");
    }

    @Test
    void evaluationsCarryTheirPictureWithTheSizeFromThePng() throws IOException {
        TensorBoardListener l = new TensorBoardListener(dir)
                .images("samples", step -> step == 20 ? null : TensorBoardFixtureTest.PNG);
        l.onStart(0, 30);
        l.onEval(10, Map.of("w1", 0.3));
        l.onEval(20, Map.of("w1", 0.2));
        l.onEnd(null);
        List<EventsDecoder.Image> images = new ArrayList<>();
        for (EventsDecoder.Event e : EventsDecoder.read(l.file())) {
            if (e.values() != null && e.values().get(0).image() != null) {
                assertEquals(10, e.step());
                images.add(e.values().get(0).image());
            }
        }
        assertEquals(1, images.size(), "none when the source returns null");
        assertEquals(3, images.get(0).width());
        assertEquals(2, images.get(0).height());
        assertEquals(3, images.get(0).colorspace());
    }
}
