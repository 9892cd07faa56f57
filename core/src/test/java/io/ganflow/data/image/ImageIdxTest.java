package io.ganflow.data.image;

import static io.ganflow.data.image.ImageTestFiles.idx;
import static io.ganflow.data.image.ImageTestFiles.images;
import static io.ganflow.data.image.ImageTestFiles.labels;
import static io.ganflow.data.image.ImageTestFiles.mnistDir;
import static io.ganflow.data.image.ImageTestFiles.pixels;
import static io.ganflow.data.image.ImageTestFiles.values;
import static io.ganflow.data.image.ImageTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX image data: the MNIST directory layout (fashion-mnist, mnist), generic idx, pad, flatten, errors. */
class ImageIdxTest {
    @TempDir
    Path dir;

    @Test
    void mnistLayoutGivesImagesInMinusOneToOneWithLabelsAndTheOfficialSplit() throws IOException {
        mnistDir(dir, 20, 6, 4, 5, true);
        ImageDataset d = images("data.name=fashion-mnist", "data.path=" + dir);
        assertArrayEquals(new long[] {1, 4, 5}, d.shape());
        assertEquals(20, d.dim());
        assertEquals(20, d.size(Split.TRAIN));
        assertEquals(6, d.size(Split.TEST));
        assertEquals(6, d.referenceSize());
        assertEquals(10, d.classes());
        assertEquals("Ankle boot", d.classNames().get(9));
        assertArrayEquals(toInts(labels(20, 10)), d.labels(Split.TRAIN).orElseThrow());
        assertArrayEquals(toInts(labels(6, 10)), d.labels(Split.TEST).orElseThrow());
        assertEquals(4, d.files().size());
        try (Scope s = Scope.open()) {
            Tensor x = d.sample(64, new Rng(1));
            assertArrayEquals(new long[] {64, 1, 4, 5}, Ops.shape(x));
            float[] v = values(x);
            for (float f : v) {
                assertTrue(f >= -1f && f <= 1f, "value " + f);
            }
            // pixel (0, 0) of every training image is 0: x = -1 exactly; the others (p / 127.5 - 1)
            for (int i = 0; i < 64; i++) {
                assertEquals(-1f, v[i * 20]);
            }
            // pixel value 20 + ... maps to p / 127.5 - 1 and back exactly
            float[] px = values(d.standardizer().toData(x));
            for (int j = 0; j < px.length; j++) {
                assertEquals(Math.round(px[j]), px[j], 1e-4, "pixel " + j);
            }
        }
    }

    /** A data-parallel shard: the rows of the same draw, and the generator left where the whole draw leaves it. */
    @Test
    void sampleRowsIsASliceOfTheSameDraw() throws IOException {
        mnistDir(dir, 20, 6, 4, 5, true);
        ImageDataset d = images("data.name=mnist", "data.path=" + dir);
        try (Scope s = Scope.open()) {
            Rng a = new Rng(3);
            Rng b = new Rng(3);
            Tensor whole = d.sample(12, a);
            Tensor rows = d.sampleRows(12, b, 4, 4);
            assertArrayEquals(new long[] {4, 1, 4, 5}, Ops.shape(rows));
            assertArrayEquals(values(whole.narrow(0, 4, 4)), values(rows));
            assertArrayEquals(values(d.sample(3, a)), values(d.sample(3, b)), "the generators agree afterwards");
        }
    }

    @Test
    void referenceDrawsOnlyTestImages() throws IOException {
        mnistDir(dir, 30, 8, 3, 3, false);
        ImageDataset d = images("data.name=mnist", "data.path=" + dir);
        try (Scope s = Scope.open()) {
            for (int n : new int[] {3, 8, 100}) {
                float[] v = values(d.reference(n, new Rng(n)));
                assertEquals(Math.min(n, 8) * 9, v.length);
                for (int i = 0; i < v.length / 9; i++) {
                    assertEquals(1f, v[i * 9], "test images have pixel (0,0) = 255, x = 1");
                }
            }
            Tensor idx = d.referenceIndices(3, new Rng(5));
            Tensor direct = d.images(Split.TEST, idx);
            assertArrayEquals(values(direct), values(d.reference(3, new Rng(5))), "referenceIndices names reference's images");
            float[] train = values(d.sample(500, new Rng(2)));
            for (int i = 0; i < 500; i++) {
                assertEquals(-1f, train[i * 9], "training batches hold no test image");
            }
        }
    }

    @Test
    void padsWithBlackAndFlattens() throws IOException {
        mnistDir(dir, 5, 2, 2, 2, false);
        ImageDataset plain = images("data.name=mnist", "data.path=" + dir);
        ImageDataset d = images("data.name=mnist", "data.path=" + dir, "data.pad=5");
        assertArrayEquals(new long[] {1, 5, 5}, d.shape());
        try (Scope s = Scope.open()) {
            Tensor idx = ImageDataset.longs(new long[] {0, 1, 2, 3, 4});
            float[] a = values(plain.images(Split.TRAIN, idx));
            float[] b = values(d.images(Split.TRAIN, idx));
            for (int i = 0; i < 5; i++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 5; x++) {
                        // 2 -> 5: offset (5 - 2) / 2 = 1, the extra row and column at the bottom and right
                        boolean inside = y >= 1 && y < 3 && x >= 1 && x < 3;
                        float want = inside ? a[i * 4 + (y - 1) * 2 + (x - 1)] : -1f;
                        assertEquals(want, b[i * 25 + y * 5 + x], "image " + i + " (" + y + ", " + x + ")");
                    }
                }
            }
            ImageDataset f = images("data.name=mnist", "data.path=" + dir, "data.pad=4", "data.flatten=true");
            assertArrayEquals(new long[] {16}, f.shape());
            assertArrayEquals(new long[] {1, 4, 4}, f.imageShape());
            assertArrayEquals(new long[] {7, 16}, Ops.shape(f.sample(7, new Rng(0))));
            assertArrayEquals(new long[] {2, 16}, Ops.shape(f.reference(10, new Rng(0))));
        }
        String m = assertThrows(BadInputException.class, () -> images("data.name=mnist", "data.path=" + dir,
                "data.pad=1")).getMessage();
        assertTrue(m.startsWith("data.pad=1 is smaller than the 2 x 2 images"), m);
    }

    @Test
    void labelKeepsOneClassInBothSplits() throws IOException {
        mnistDir(dir, 40, 20, 2, 2, false);
        ImageDataset d = images("data.name=mnist", "data.path=" + dir, "data.label=3");
        assertEquals(4, d.size(Split.TRAIN));
        assertEquals(2, d.size(Split.TEST));
        assertTrue(Arrays.stream(d.labels(Split.TRAIN).orElseThrow()).allMatch(l -> l == 3));
        assertTrue(Arrays.stream(d.labels(Split.TEST).orElseThrow()).allMatch(l -> l == 3));
        String m = assertThrows(BadInputException.class, () -> images("data.name=mnist", "data.path=" + dir,
                "data.label=10")).getMessage();
        assertEquals("data.label=10 is not allowed for mnist; allowed: -1 (all) or 0 to 9", m);
    }

    @Test
    void genericIdxHoldsOutAFractionOrATestFileAndReadsFourDimensions() throws IOException {
        Path img = write(dir.resolve("x.idx"), idx(new int[] {50, 3, 3}, pixels(50, 3, 3, 9)));
        Path lab = write(dir.resolve("y.idx"), idx(new int[] {50}, labels(50, 5)));
        ImageDataset d = images("data.name=idx", "data.path=" + img, "data.labels=" + lab, "data.holdout=0.2");
        assertArrayEquals(new long[] {1, 3, 3}, d.shape());
        assertEquals(40, d.size(Split.TRAIN));
        assertEquals(10, d.size(Split.TEST));
        assertEquals(5, d.classes());
        ImageDataset none = images("data.name=idx", "data.path=" + img, "data.holdout=0");
        assertTrue(none.testIsTrain());
        assertFalse(none.labels(Split.TRAIN).isPresent());
        assertEquals(0, none.classes());

        Path test = write(dir.resolve("t.idx"), idx(new int[] {7, 3, 3}, pixels(7, 3, 3, 1)));
        Path testLab = write(dir.resolve("tl.idx"), idx(new int[] {7}, labels(7, 5)));
        ImageDataset t = images("data.name=idx", "data.path=" + img, "data.labels=" + lab, "data.test_path=" + test,
                "data.test_labels=" + testLab);
        assertEquals(50, t.size(Split.TRAIN));
        assertEquals(7, t.size(Split.TEST));
        assertEquals(4, t.files().size());

        Path rgb = write(dir.resolve("rgb.idx"), idx(new int[] {4, 3, 2, 2}, pixels(4, 6, 2, 0)));
        ImageDataset c = images("data.name=idx", "data.path=" + rgb, "data.holdout=0.25");
        assertArrayEquals(new long[] {3, 2, 2}, c.shape());
        assertEquals(12, c.dim());
        assertEquals(3, c.size(Split.TRAIN));

        String m = assertThrows(BadInputException.class, () -> images("data.name=idx", "data.path=" + img,
                "data.label=2")).getMessage();
        assertEquals("data.label=2 needs data.labels=FILE (the IDX labels file)", m);
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path good = write(dir.resolve("good.idx"), idx(new int[] {4, 2, 2}, pixels(4, 2, 2, 0)));
        byte[] raw = idx(new int[] {4, 2, 2}, pixels(4, 2, 2, 0));
        Path shortFile = write(dir.resolve("short.idx"), Arrays.copyOf(raw, raw.length - 3));
        assertEquals(shortFile + ": truncated: the header announces 4x2x2 = 16 values, the file holds 13",
                message("data.name=idx", "data.path=" + shortFile));
        Path shortGz = write(dir.resolve("short.idx.gz"), Arrays.copyOf(ImageTestFiles.gzip(raw), 30));
        assertTrue(message("data.name=idx", "data.path=" + shortGz).startsWith(shortGz + ": "));
        byte[] magic = raw.clone();
        magic[1] = 1;
        Path bad = write(dir.resolve("magic.idx"), magic);
        assertTrue(message("data.name=idx", "data.path=" + bad).startsWith(bad + ": wrong IDX magic 0x00010803"));
        Path flat = write(dir.resolve("flat.idx"), idx(new int[] {4, 4}, pixels(4, 2, 2, 0)));
        assertEquals(flat + ": holds a 2-D array 4 x 4; images are 3-D (N x H x W) or 4-D (N x C x H x W)",
                message("data.name=idx", "data.path=" + flat));
        byte[] floats = raw.clone();
        floats[2] = 0x0D;
        Path f = write(dir.resolve("float.idx"), Arrays.copyOf(floats, 16 + 64));
        assertEquals(f + ": IDX element type 0x0D; expected unsigned bytes (0x08), the type of image files",
                message("data.name=idx", "data.path=" + f));
        Path lab3 = write(dir.resolve("l3.idx"), idx(new int[] {3}, labels(3, 10)));
        assertEquals(lab3 + ": holds 3 labels, but " + good + " holds 4 images",
                message("data.name=idx", "data.path=" + good, "data.labels=" + lab3));

        Path mn = mnistDir(dir.resolve("mn"), 6, 3, 2, 2, false);
        write(mn.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {2}, labels(2, 10)));
        assertEquals(mn.resolve("t10k-labels-idx1-ubyte") + ": holds 2 labels, but " + mn.resolve("t10k-images-idx3-ubyte")
                + " holds 3 images", message("data.name=mnist", "data.path=" + mn));
        write(mn.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {3}, labels(3, 10)));
        write(mn.resolve("t10k-images-idx3-ubyte"), idx(new int[] {3, 3, 3}, pixels(3, 3, 3, 0)));
        assertEquals(mn.resolve("t10k-images-idx3-ubyte") + ": holds 1x3x3 images, but " + mn.resolve("train-images-idx3-ubyte")
                + " holds 1x2x2 images", message("data.name=mnist", "data.path=" + mn));
    }

    @Test
    void aMissingDataSetNamesTheCommandThatInstallsIt() throws IOException {
        Path none = dir.resolve("nowhere");
        String f = message("data.name=fashion-mnist", "data.path=" + none);
        assertEquals("data.path=" + none + ": " + none + " not found; install it with: sudo apt-get install"
                + " dataset-fashion-mnist (or set data.path=DIR, a directory with the four Fashion-MNIST IDX files)", f);
        String m = message("data.name=mnist", "data.path=" + none);
        assertTrue(m.contains("tools/mnist-to-idx --out " + none), m);
        String s = message("data.name=stacked-mnist", "data.path=" + none);
        assertTrue(s.contains("tools/mnist-to-idx"), s);
        Path partial = mnistDir(dir.resolve("partial"), 3, 2, 2, 2, false);
        Files.delete(partial.resolve("train-labels-idx1-ubyte"));
        String p = message("data.name=fashion-mnist", "data.path=" + partial);
        assertTrue(p.startsWith("data.path=" + partial + ": " + partial.resolve("train-labels-idx1-ubyte") + "[.gz] not found;"
                + " install it with: sudo apt-get install dataset-fashion-mnist"), p);
        assertFalse(p.contains("\n"));
    }

    @Test
    void shapedStandardizerMapsImagesBackToPixels() throws IOException {
        mnistDir(dir, 4, 2, 2, 3, false);
        ImageDataset d = images("data.name=mnist", "data.path=" + dir);
        try (Scope s = Scope.open()) {
            Tensor x = d.reference(2, new Rng(0));
            Tensor p = d.standardizer().toData(x);
            assertArrayEquals(new long[] {2, 1, 2, 3}, Ops.shape(p));
            float[] v = values(p);
            assertEquals(255f, v[0]);
            // the same through a per-value (non-uniform) standardizer of 6 columns
            double[] m = new double[6];
            double[] sc = new double[6];
            Arrays.fill(m, 127.5);
            Arrays.fill(sc, 127.5);
            sc[5] = 127.5;
            m[5] = 127.5 + 1e-9;
            float[] w = values(new io.ganflow.data.Standardizer(m, sc).toData(x));
            assertArrayEquals(v, w, 1e-3f);
        }
    }

    private static String message(String... kv) {
        return assertThrows(BadInputException.class, () -> images(kv)).getMessage();
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }
}
