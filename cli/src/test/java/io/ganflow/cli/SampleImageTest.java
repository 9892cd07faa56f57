package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.cli.report.ImageGrid;
import io.ganflow.data.idx.IdxBytes;
import io.ganflow.data.idx.IdxReader;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.run.TrainedRun;
import io.ganflow.train.Method;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ganflow sample} on image runs: a PNG grid, IDX and .npy files holding exactly the samples (drawn in
 * evaluation mode from the latent seed), CSV refused; points keep CSV and gain .npy.
 */
class SampleImageTest {
    @TempDir
    static Path dir;

    static Path run;

    @BeforeAll
    static void trainOnShapedImages() throws Exception {
        Path idx = ImageRuns.writeIdx(dir.resolve("bars.idx"), 300, 4);
        run = dir.resolve("shaped");
        ImageRuns.shapedRun(idx, run, 20);
    }

    /** The first n samples the command draws with --seed seed: one batch, evaluation mode, model space. */
    static float[] modelSamples(int n, long seed) {
        TrainedRun tr = TrainedRun.open(run);
        Method m = tr.method();
        try (Scope s = Scope.open()) {
            return Ops.toFloats(ImageGrid.inEvalMode(m, () -> m.sample(n, new Rng(seed))));
        }
    }

    /** The same as 8-bit pixels, [n, 1, 8, 8]: p = x · 127.5 + 127.5 in float32, rounded and clamped. */
    static byte[] pixelSamples(int n, long seed) {
        float[] v = modelSamples(n, seed);
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) ImageGrid.pixel(v[i] * 127.5f + 127.5f);
        }
        return b;
    }

    static String npyDict(byte[] f) {
        assertEquals((byte) 0x93, f[0]);
        assertEquals("NUMPY", new String(f, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, f[6], "version 1.0");
        assertEquals(0, f[7]);
        int len = ByteBuffer.wrap(f, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
        assertEquals(0, (10 + len) % 64);
        return new String(f, 10, len, StandardCharsets.US_ASCII);
    }

    @Test
    void pngGridCellsAreTheSamplesPixels() throws Exception {
        Path png = dir.resolve("s.png");
        CliTestSupport.Result r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "10", "--seed", "5",
                "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 10 samples") && r.out().contains("a grid of 4 x 3"), r.out());
        byte[] px = pixelSamples(10, 5);
        BufferedImage img = ImageIO.read(png.toFile());
        int s = ImageGrid.scale(8, 8);
        assertEquals(ImageGrid.width(4, 8, s), img.getWidth());
        assertEquals(ImageGrid.width(3, 8, s), img.getHeight());
        int distinct = 0;
        for (int i = 0; i < 12; i++) {
            int x0 = ImageGrid.cellX(i % 4, 8, s);
            int y0 = ImageGrid.cellX(i / 4, 8, s);
            for (int y = 0; y < 8 * s; y++) {
                for (int x = 0; x < 8 * s; x++) {
                    int want = i < 10 ? px[i * 64 + (y / s) * 8 + x / s] & 0xFF : ImageGrid.GUTTER_VALUE;
                    assertEquals(want, img.getRaster().getSample(x0 + x, y0 + y, 0), "cell " + i + " at " + x + ", " + y);
                }
            }
            // the gutter left of and above each cell
            for (int g = 1; g <= ImageGrid.GUTTER; g++) {
                assertEquals(ImageGrid.GUTTER_VALUE, img.getRaster().getSample(x0 - g, y0 + 3, 0));
                assertEquals(ImageGrid.GUTTER_VALUE, img.getRaster().getSample(x0 + 3, y0 - g, 0));
            }
        }
        for (byte b : px) {
            distinct |= 1 << ((b & 0xFF) >> 3);
        }
        assertTrue(Integer.bitCount(distinct) > 3, "the samples are not constant");

        r = CliTestSupport.run("sample", "--run", run.toString(), "--out", dir.resolve("d.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 64 samples") && r.out().contains("a grid of 8 x 8"), r.out());
        r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "257", "--out", dir.resolve("big.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("at most 256") && r.err().contains(".idx"), r.err());
    }

    @Test
    void idxFileHoldsTheSamplesAsBytes() throws Exception {
        for (String name : List.of("s.idx", "s.idx.gz")) {
            Path f = dir.resolve(name);
            CliTestSupport.Result r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "50", "--seed", "2",
                    "--out", f.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("IDX, uint8 [50, 8, 8]"), r.out());
            IdxBytes b = IdxReader.readUnsignedBytes(f);
            assertArrayEquals(new int[] {50, 8, 8}, b.dims(), "grey images: a 3-D file");
            assertArrayEquals(pixelSamples(50, 2), b.data());
        }
        byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("s.idx.gz")), 2);
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, head, ".gz is gzipped");
    }

    @Test
    void npyFileHoldsPixelsOrRawFloats() throws Exception {
        Path f = dir.resolve("s.npy");
        CliTestSupport.Result r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "30", "--seed", "7",
                "--out", f.toString());
        assertEquals(0, r.code(), r.err());
        byte[] b = Files.readAllBytes(f);
        String dict = npyDict(b);
        assertEquals("{'descr': '|u1', 'fortran_order': False, 'shape': (30, 1, 8, 8), }", dict.stripTrailing());
        int at = 10 + dict.length();
        assertEquals(at + 30 * 64, b.length);
        assertArrayEquals(pixelSamples(30, 7), Arrays.copyOfRange(b, at, b.length));

        Path raw = dir.resolve("raw.npy");
        r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "30", "--seed", "7", "--raw", "--out",
                raw.toString());
        assertEquals(0, r.code(), r.err());
        b = Files.readAllBytes(raw);
        dict = npyDict(b);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (30, 1, 8, 8), }", dict.stripTrailing());
        at = 10 + dict.length();
        assertEquals(at + 30 * 64 * 4, b.length);
        float[] v = new float[30 * 64];
        ByteBuffer.wrap(b, at, v.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        assertArrayEquals(modelSamples(30, 7), v, "model space, bit for bit");

        r = CliTestSupport.run("sample", "--run", run.toString(), "--raw", "--out", dir.resolve("r.idx").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--raw applies only to"), r.err());
    }

    @Test
    void csvIsRefusedForImages() throws Exception {
        for (String name : List.of("s.csv", "samples")) {
            Path f = dir.resolve(name);
            CliTestSupport.Result r = CliTestSupport.run("sample", "--run", run.toString(), "--out", f.toString());
            assertEquals(2, r.code(), r.out());
            assertTrue(r.err().contains("1 x 8 x 8 images") && r.err().contains("not written as CSV")
                    && r.err().contains("FILE.png") && r.err().contains("FILE.idx") && r.err().contains("FILE.npy"), r.err());
            assertFalse(Files.exists(f));
        }
    }

    @Test
    void pointsKeepCsvAndGainNpyButNotImageFormats() throws Exception {
        Path pts = dir.resolve("points");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "10", "--no-plots", "--out",
                pts.toString()));
        assertEquals(0, r.code(), r.err());
        Path csv = dir.resolve("p.csv");
        Path npy = dir.resolve("p.npy");
        assertEquals(0, CliTestSupport.run("sample", "--run", pts.toString(), "--n", "20", "--out", csv.toString()).code());
        r = CliTestSupport.run("sample", "--run", pts.toString(), "--n", "20", "--out", npy.toString());
        assertEquals(0, r.code(), r.err());
        byte[] b = Files.readAllBytes(npy);
        String dict = npyDict(b);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (20, 2), }", dict.stripTrailing());
        float[] v = new float[40];
        ByteBuffer.wrap(b, 10 + dict.length(), 160).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        List<String> lines = Files.readAllLines(csv);
        for (int i = 0; i < 20; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(Float.parseFloat(cells[0]), v[2 * i]);
            assertEquals(Float.parseFloat(cells[1]), v[2 * i + 1]);
        }
        for (String name : List.of("p.png", "p.idx")) {
            r = CliTestSupport.run("sample", "--run", pts.toString(), "--out", dir.resolve(name).toString());
            assertEquals(2, r.code());
            assertTrue(r.err().contains("are for image runs") && r.err().contains("dimension 2"), r.err());
        }
    }

    @Test
    void flowOnImagesSamplesWithTheSolverFlags() throws Exception {
        Path idx = ImageRuns.writeIdx(dir.resolve("flowbars.idx"), 200, 5);
        Path rf = dir.resolve("rf");
        List<String> keys = List.of("data.name=idx", "data.path=" + idx, "data.flatten=true", "model.v.width=32",
                "model.v.depth=2", "train.batch=32", "train.eval_samples=100", "train.w1_samples=50", "flow.steps=5");
        CliTestSupport.Result r = CliTestSupport.run(ImageRuns.trainArgs(keys, "--preset", "ring8-rf", "--steps", "10",
                "--no-plots", "--out", rf.toString()));
        assertEquals(0, r.code(), r.err());
        Path png = dir.resolve("rf.png");
        r = CliTestSupport.run("sample", "--run", rf.toString(), "--n", "16", "--solver", "heun", "--nfe", "8", "--out",
                png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("NFE 8") && r.out().contains("a grid of 4 x 4"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(ImageGrid.width(4, 8, ImageGrid.scale(8, 8)), img.getWidth());
        Path f = dir.resolve("rf.idx");
        r = CliTestSupport.run("sample", "--run", rf.toString(), "--n", "16", "--solver", "dopri5", "--atol", "1e-3",
                "--out", f.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(new int[] {16, 8, 8}, IdxReader.readUnsignedBytes(f).dims());
        // a flattened run keeps CSV: its samples are vectors of 64 pixel values
        Path csv = dir.resolve("rf.csv");
        r = CliTestSupport.run("sample", "--run", rf.toString(), "--n", "3", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(64, Files.readAllLines(csv).get(1).split(",").length);
    }
}
