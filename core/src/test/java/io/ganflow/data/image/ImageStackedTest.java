package io.ganflow.data.image;

import static io.ganflow.data.image.ImageTestFiles.idx;
import static io.ganflow.data.image.ImageTestFiles.images;
import static io.ganflow.data.image.ImageTestFiles.values;
import static io.ganflow.data.image.ImageTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stacked MNIST: three digits per image, one per channel, label 100a + 10b + c, fixed by its seed. */
class ImageStackedTest {
    @TempDir
    Path dir;

    /**
     * Digits whose every pixel tells their label: training digit i has label i % 10 and pixels 20 * label + 3,
     * test digit i label (i + 5) % 10 and pixels 20 * label + 13.
     */
    @BeforeEach
    void digits() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), idx(new int[] {30, 2, 2}, digitPixels(30, 0, 3)));
        write(dir.resolve("train-labels-idx1-ubyte"), idx(new int[] {30}, digitLabels(30, 0)));
        write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {20, 2, 2}, digitPixels(20, 5, 13)));
        write(dir.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {20}, digitLabels(20, 5)));
    }

    private static byte[] digitPixels(int n, int shift, int offset) {
        byte[] px = new byte[n * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (20 * ((i / 4 + shift) % 10) + offset);
        }
        return px;
    }

    private static byte[] digitLabels(int n, int shift) {
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            l[i] = (byte) ((i + shift) % 10);
        }
        return l;
    }

    private ImageDataset stacked(String... extra) {
        String[] kv = new String[3 + extra.length];
        kv[0] = "data.name=stacked-mnist";
        kv[1] = "data.path=" + dir;
        kv[2] = "data.stacked.count=3000";
        System.arraycopy(extra, 0, kv, 3, extra.length);
        return images(kv);
    }

    @Test
    void eachChannelIsOneDigitAndTheLabelIs100aPlus10bPlusC() {
        ImageDataset d = stacked("data.stacked.test_count=400");
        assertArrayEquals(new long[] {3, 2, 2}, d.shape());
        assertEquals(3000, d.size(Split.TRAIN));
        assertEquals(400, d.size(Split.TEST));
        assertEquals(1000, d.classes());
        try (Scope s = Scope.open()) {
            for (Split split : Split.values()) {
                int n = d.size(split);
                int offset = split == Split.TRAIN ? 3 : 13;
                long[] all = new long[n];
                Arrays.setAll(all, i -> i);
                float[] px = values(d.pixels(split, ImageDataset.longs(all)).to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
                int[] labels = d.labels(split).orElseThrow();
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    int label = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        int p = (int) px[i * 12 + ch * 4];
                        for (int k = 1; k < 4; k++) {
                            assertEquals(p, (int) px[i * 12 + ch * 4 + k], "one digit fills a channel");
                        }
                        assertEquals(0, (p - offset) % 20, split + " images come from the " + split + " digits");
                        label = 10 * label + (p - offset) / 20;
                    }
                    assertEquals(label, labels[i], "image " + i);
                    seen.add(label);
                }
                assertTrue(seen.size() > (split == Split.TRAIN ? 900 : 250), seen.size() + " modes present");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameDataAndAnotherSeedOther() {
        ImageDataset a = stacked();
        ImageDataset b = stacked();
        ImageDataset c = stacked("data.stacked.seed=1");
        assertArrayEquals(a.labels(Split.TRAIN).orElseThrow(), b.labels(Split.TRAIN).orElseThrow());
        assertArrayEquals(a.labels(Split.TEST).orElseThrow(), b.labels(Split.TEST).orElseThrow());
        assertFalse(Arrays.equals(a.labels(Split.TRAIN).orElseThrow(), c.labels(Split.TRAIN).orElseThrow()));
        assertEquals(10000, a.size(Split.TEST), "default test count");
        // independent of the training seed: train.seed changes batches, not the data
        ImageDataset t = stacked("train.seed=9");
        assertArrayEquals(a.labels(Split.TRAIN).orElseThrow(), t.labels(Split.TRAIN).orElseThrow());
        try (Scope s = Scope.open()) {
            Tensor x = a.sample(16, new Rng(4));
            assertArrayEquals(new long[] {16, 3, 2, 2}, Ops.shape(x));
            assertArrayEquals(values(x), values(b.sample(16, new Rng(4))));
        }
    }

    @Test
    void padAndLabelApplyToStacks() {
        ImageDataset d = stacked("data.stacked.count=20000", "data.pad=4", "data.label=123");
        assertArrayEquals(new long[] {3, 4, 4}, d.shape());
        assertTrue(d.size(Split.TRAIN) >= 5, d.size(Split.TRAIN) + " training stacks of 1, 2, 3");
        assertTrue(Arrays.stream(d.labels(Split.TRAIN).orElseThrow()).allMatch(l -> l == 123));
        try (Scope s = Scope.open()) {
            float[] v = values(d.sample(5, new Rng(0)));
            for (int i = 0; i < 5; i++) {
                for (int ch = 0; ch < 3; ch++) {
                    int base = i * 48 + ch * 16;
                    assertEquals(-1f, v[base], "padding is black");
                    float digit = (v[base + 5] + 1) * 127.5f; // (1, 1) is inside
                    assertEquals(20 * (ch + 1) + 3, digit, 1e-3, "channel " + ch + " holds digit " + (ch + 1));
                }
            }
        }
    }
}
