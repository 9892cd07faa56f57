package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.cli.report.EvalGrids;
import io.ganflow.cli.report.ImageGrid;
import io.ganflow.cli.report.Report;
import io.ganflow.train.tensorboard.EventsDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on images writes a grid per evaluation (grids/), samples.png as the last grid, the same PNGs to
 * TensorBoard, the grids in report.html, and for flows trajectory.png.
 */
class PictureTrainingTest {
    @TempDir
    Path dir;

    /** TensorBoard's pictures by step. */
    static Map<Long, byte[]> tensorBoardImages(Path run) throws Exception {
        Map<Long, byte[]> out = new LinkedHashMap<>();
        for (Path f : EventsDecoder.eventFiles(run)) {
            for (EventsDecoder.Event e : EventsDecoder.read(f)) {
                for (EventsDecoder.Value v : e.values() == null ? List.<EventsDecoder.Value>of() : e.values()) {
                    if (v.image() != null) {
                        assertEquals("samples", v.tag());
                        out.put(e.step(), v.image().png());
                    }
                }
            }
        }
        return out;
    }

    /** Distinct grey values inside the grid's cells (gutters left out). */
    static Set<Integer> cellValues(BufferedImage img, int h, int w, int n) {
        int s = ImageGrid.scale(h, w);
        int cols = ImageGrid.columns(n);
        Set<Integer> v = new HashSet<>();
        for (int i = 0; i < n; i++) {
            int x0 = ImageGrid.cellX(i % cols, w, s);
            int y0 = ImageGrid.cellX(i / cols, h, s);
            for (int y = 0; y < h * s; y++) {
                for (int x = 0; x < w * s; x++) {
                    v.add(img.getRaster().getSample(x0 + x, y0 + y, 0));
                }
            }
        }
        return v;
    }

    static void assertGridRun(Path run, List<Long> steps) throws Exception {
        assertEquals(steps, EvalGrids.steps(run));
        byte[] last = Files.readAllBytes(EvalGrids.file(run, steps.get(steps.size() - 1)));
        assertArrayEquals(last, Files.readAllBytes(run.resolve("samples.png")), "samples.png is the last grid");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(last));
        int s = ImageGrid.scale(8, 8);
        assertEquals(ImageGrid.width(8, 8, s), img.getWidth(), "8 columns of 8 x 8 images enlarged " + s + " times");
        assertEquals(img.getWidth(), img.getHeight(), "and 8 rows");
        assertTrue(cellValues(img, 8, 8, EvalGrids.COUNT).size() > 10, "samples.png is not constant");
        Map<Long, byte[]> tb = tensorBoardImages(run);
        assertEquals(steps, new ArrayList<>(tb.keySet()), "a TensorBoard picture per evaluation");
        for (long step : steps) {
            assertArrayEquals(Files.readAllBytes(EvalGrids.file(run, step)), tb.get(step),
                    "TensorBoard's picture at step " + step + " is the grid");
        }
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("Samples over training"), html);
        for (long step : steps) {
            assertTrue(html.contains(String.format("<img src=\"grids/step-%09d.png\"", step)), "thumbnail " + step);
            assertTrue(html.contains("step " + step + "</figcaption>"), "caption " + step);
        }
        assertTrue(html.contains("<img src=\"samples.png\""), html);
        assertTrue(html.contains("<img src=\"losses.png\""), html);
    }

    @Test
    void ganOnFlattenedImagesFromTheCliWritesGridsAndResumeDropsLaterOnes() throws Exception {
        Path idx = ImageRuns.writeIdx(dir.resolve("bars.idx"), 300, 1);
        Path run = dir.resolve("run");
        List<String> keys = ImageRuns.ganKeys(idx, true);
        CliTestSupport.Result r = CliTestSupport.run(ImageRuns.trainArgs(keys, "--steps", "30", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        assertGridRun(run, List.of(10L, 20L, 30L));
        assertFalse(Files.exists(run.resolve("trajectory.png")));
        // later steps differ from earlier ones: the model moved, the latents stayed
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(EvalGrids.file(run, 10)),
                Files.readAllBytes(EvalGrids.file(run, 30))));

        // a grid an interrupted session drew after the checkpoint goes on resume
        Files.copy(EvalGrids.file(run, 30), EvalGrids.file(run, 35));
        r = CliTestSupport.run("train", "--resume", run.toString(), "--steps", "40", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(10L, 20L, 30L, 40L), EvalGrids.steps(run));
        assertArrayEquals(Files.readAllBytes(EvalGrids.file(run, 40)), Files.readAllBytes(run.resolve("samples.png")));

        // --no-plots: no grids
        Path quiet = dir.resolve("quiet");
        r = CliTestSupport.run(ImageRuns.trainArgs(keys, "--steps", "10", "--no-plots", "--out", quiet.toString()));
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(quiet.resolve(EvalGrids.FOLDER)));
        assertFalse(Files.exists(quiet.resolve("samples.png")));
    }

    @Test
    void ganOnShapedImagesWritesGridsThroughTheSession() throws Exception {
        Path idx = ImageRuns.writeIdx(dir.resolve("bars.idx"), 300, 2);
        Path run = dir.resolve("shaped");
        Session.Outcome o = ImageRuns.shapedRun(idx, run, 30);
        assertEquals(30, o.result().steps());
        assertGridRun(run, List.of(10L, 20L, 30L));
    }

    @Test
    void flowOnImagesWritesTheTrajectoryStrip() throws Exception {
        Path idx = ImageRuns.writeIdx(dir.resolve("bars.idx"), 300, 3);
        Path run = dir.resolve("rf");
        List<String> keys = List.of("data.name=idx", "data.path=" + idx, "data.flatten=true", "model.v.width=32",
                "model.v.depth=2", "train.batch=32", "train.eval_samples=200", "train.w1_samples=100",
                "train.log_every=10", "train.eval_every=10", "flow.steps=10");
        CliTestSupport.Result r = CliTestSupport.run(ImageRuns.trainArgs(keys, "--preset", "ring8-rf", "--steps", "20",
                "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(10L, 20L), EvalGrids.steps(run));
        assertFalse(Files.exists(run.resolve("trajectories.png")), "the 2-D trajectories plot is for points");
        BufferedImage img = ImageIO.read(run.resolve("trajectory.png").toFile());
        int s = ImageGrid.scale(8, 8);
        int k = Report.TRAJECTORY_TIMES.length;
        assertEquals(5, k);
        assertEquals(ImageGrid.width(k, 8, s), img.getWidth(), "one column per time");
        int gridHeight = ImageGrid.width(Report.TRAJECTORY_SAMPLES, 8, s);
        int band = img.getHeight() - gridHeight;
        assertTrue(band > 0 && band < 40, "a band of labels above " + Report.TRAJECTORY_SAMPLES + " rows: " + band);
        // t = 0 is the Gaussian prior (noise), t = 1 the samples: the columns differ
        int differ = 0;
        for (int y = 0; y < 8 * s; y++) {
            for (int x = 0; x < 8 * s; x++) {
                int a = img.getRaster().getSample(ImageGrid.cellX(0, 8, s) + x, band + ImageGrid.GUTTER + y, 0);
                int b = img.getRaster().getSample(ImageGrid.cellX(k - 1, 8, s) + x, band + ImageGrid.GUTTER + y, 0);
                differ += a != b ? 1 : 0;
            }
        }
        assertTrue(differ > 0, "x_0 and x_1 differ");
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("<img src=\"trajectory.png\""), html);
    }
}
