package io.ganflow.data.image;

import static io.ganflow.data.image.ImageTestFiles.images;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.nio.file.Files;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real data sets, where they are installed (skipped otherwise): Debian's Fashion-MNIST and the MNIST
 * files tools/mnist-to-idx writes. Prints sizes and load times.
 */
@Tag("slow")
class ImageRealDataTest {
    @Test
    void fashionMnist() {
        assumeTrue(Files.isDirectory(DataDirs.FASHION_MNIST), "apt-get install dataset-fashion-mnist");
        long t0 = System.nanoTime();
        ImageDataset d = images("data.name=fashion-mnist");
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s; loaded in %.2f s (with libtorch's start-up)%n", d, s);
        t0 = System.nanoTime();
        images("data.name=fashion-mnist");
        System.out.printf("fashion-mnist again: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(60000, d.size(Split.TRAIN));
        assertEquals(10000, d.size(Split.TEST));
        assertArrayEquals(new long[] {1, 28, 28}, d.shape());
        assertEquals(10, d.classes());
        assertClassCounts(d.labels(Split.TRAIN).orElseThrow(), 6000);
        assertClassCounts(d.labels(Split.TEST).orElseThrow(), 1000);
        assertInRange(d);
    }

    @Test
    void mnistAndStackedMnist() {
        assumeTrue(Files.isDirectory(DataDirs.mnist()), "run tools/mnist-to-idx");
        long t0 = System.nanoTime();
        ImageDataset d = images("data.name=mnist");
        System.out.printf("%s; loaded in %.2f s%n", d, (System.nanoTime() - t0) / 1e9);
        assertEquals(8000, d.size(Split.TRAIN));
        assertEquals(2000, d.size(Split.TEST));
        assertEquals(10, d.classes());
        assertInRange(d);

        t0 = System.nanoTime();
        ImageDataset st = images("data.name=stacked-mnist");
        System.out.printf("%s; built in %.2f s%n", st, (System.nanoTime() - t0) / 1e9);
        assertEquals(50000, st.size(Split.TRAIN));
        assertEquals(10000, st.size(Split.TEST));
        assertArrayEquals(new long[] {3, 28, 28}, st.shape());
        long modes = Arrays.stream(st.labels(Split.TRAIN).orElseThrow()).distinct().count();
        long testModes = Arrays.stream(st.labels(Split.TEST).orElseThrow()).distinct().count();
        System.out.printf("stacked-mnist: %d of 1000 modes in the training split, %d in the test split%n", modes, testModes);
        assertEquals(1000, modes);
        assertInRange(st);
        ImageDataset padded = images("data.name=mnist", "data.pad=32");
        assertArrayEquals(new long[] {1, 32, 32}, padded.shape());
    }

    private static void assertClassCounts(int[] labels, int each) {
        int[] c = new int[10];
        for (int l : labels) {
            c[l]++;
        }
        for (int k : c) {
            assertEquals(each, k);
        }
    }

    private static void assertInRange(ImageDataset d) {
        try (Scope s = Scope.open()) {
            long t0 = System.nanoTime();
            Tensor x = d.sample(256, new Rng(0));
            double ms = (System.nanoTime() - t0) / 1e6;
            float[] v = Ops.toFloats(x);
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (float f : v) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
            System.out.printf("%s: a batch of 256 %s in %.1f ms, values %.3f to %.3f%n", d.name(),
                    Arrays.toString(Ops.shape(x)), ms, lo, hi);
            assertEquals(-1f, lo);
            assertTrue(hi <= 1f && hi > 0.9f);
        }
    }
}
