package io.ganflow.data.image;

import static io.ganflow.data.image.ImageTestFiles.images;
import static io.ganflow.data.image.ImageTestFiles.values;
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
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data.name=images: class folders, grey and RGB, resize and centre crop, the cache, and bad files. */
class ImageFolderTest {
    @TempDir
    Path dir;

    static void png(Path file, int w, int h, Color left, Color right) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(right);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, file.toString().endsWith(".png") ? "png" : "jpg", file.toFile()));
    }

    static void greyPng(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }

    private ImageFolder.Loaded load(Path folder, int size, int channels) {
        return ImageFolder.load(folder, size, channels, Optional.of(dir.resolve("cache")));
    }

    private static int px(ImageFolder.Loaded l, int image, int channel, int y, int x) {
        ImageSet s = l.images();
        return s.pixels()[((image * s.channels() + channel) * s.height() + y) * s.width() + x] & 0xFF;
    }

    @Test
    void classFoldersGiveLabelsInNameOrder() throws IOException {
        Path f = dir.resolve("pets");
        png(f.resolve("dog/a.png"), 6, 6, Color.WHITE, Color.WHITE);
        png(f.resolve("cat/b.png"), 6, 6, Color.BLACK, Color.BLACK);
        png(f.resolve("cat/sub/c.PNG"), 6, 6, Color.BLACK, Color.BLACK);
        Files.writeString(f.resolve("cat/.DS_Store"), "ignored: hidden");
        Files.createDirectories(f.resolve(".thumbs"));
        Files.writeString(f.resolve(".thumbs/x.txt"), "ignored: hidden folder");
        ImageFolder.Loaded l = load(f, 4, 3);
        assertEquals(List.of("cat", "dog"), l.classNames());
        assertArrayEquals(new int[] {0, 0, 1}, l.images().labels().orElseThrow());
        assertEquals(3, l.files().size());
        assertEquals(0, px(l, 0, 0, 0, 0));
        assertEquals(255, px(l, 2, 2, 3, 3));

        ImageDataset d = images("data.name=images", "data.path=" + f, "data.size=4", "data.holdout=0.34",
                "data.cache_dir=" + dir.resolve("cache"));
        assertArrayEquals(new long[] {3, 4, 4}, d.shape());
        assertEquals(2, d.size(Split.TRAIN));
        assertEquals(1, d.size(Split.TEST));
        assertEquals(2, d.classes());
        assertEquals(List.of("cat", "dog"), d.classNames());
        try (Scope s = Scope.open()) {
            float[] v = values(d.sample(10, new Rng(0)));
            for (float x : v) {
                assertTrue(x == -1f || x == 1f, "black or white: " + x);
            }
            assertArrayEquals(new long[] {10, 3, 4, 4}, Ops.shape(d.sample(10, new Rng(0))));
        }
    }

    @Test
    void filesDirectlyInTheFolderHaveNoLabels() throws IOException {
        png(dir.resolve("f/one.png"), 5, 5, Color.RED, Color.RED);
        png(dir.resolve("f/two.jpeg"), 5, 5, Color.GRAY, Color.GRAY);
        ImageDataset d = images("data.name=images", "data.path=" + dir.resolve("f"), "data.size=5", "data.holdout=0.5",
                "data.cache_dir=none");
        assertEquals(0, d.classes());
        assertFalse(d.labels(Split.TRAIN).isPresent());
        assertEquals(1, d.size(Split.TRAIN));
        assertEquals(1, d.size(Split.TEST));
    }

    @Test
    void greyAndRgbConversions() throws IOException {
        Path f = dir.resolve("c");
        png(f.resolve("red.png"), 3, 3, Color.RED, Color.RED);
        greyPng(f.resolve("grey.png"), 3, 3, 100);
        ImageFolder.Loaded grey = load(f, 3, 1);
        assertEquals(1, grey.images().channels());
        assertEquals(100, px(grey, 0, 0, 1, 1), "a grey PNG keeps its values (no linear-to-sRGB conversion)");
        assertEquals(76, px(grey, 1, 0, 1, 1), "red to grey: round(0.299 * 255)");
        ImageFolder.Loaded rgb = load(f, 3, 3);
        assertEquals(3, rgb.images().channels());
        for (int c = 0; c < 3; c++) {
            assertEquals(100, px(rgb, 0, c, 2, 2), "grey repeated in every channel");
        }
        assertEquals(255, px(rgb, 1, 0, 0, 0));
        assertEquals(0, px(rgb, 1, 1, 0, 0));
        assertEquals(0, px(rgb, 1, 2, 0, 0));
        Path j = dir.resolve("j");
        png(j.resolve("blue.jpg"), 8, 8, Color.BLUE, Color.BLUE);
        ImageFolder.Loaded jpeg = load(j, 4, 3);
        assertTrue(px(jpeg, 0, 2, 2, 2) > 240 && px(jpeg, 0, 0, 2, 2) < 15, "a JPEG decodes to (about) blue");
    }

    @Test
    void shorterSideIsResizedThenTheCentreCropped() throws IOException {
        Path f = dir.resolve("r");
        // 8 wide, 4 high, left half black, right half white: the shorter side is already 4, so only the crop
        // acts: columns 2..5, two black then two white
        png(f.resolve("wide.png"), 8, 4, Color.BLACK, Color.WHITE);
        ImageFolder.Loaded l = load(f, 4, 1);
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(new int[] {0, 0, 255, 255}, new int[] {px(l, 0, 0, y, 0), px(l, 0, 0, y, 1), px(l, 0, 0, y, 2),
                px(l, 0, 0, y, 3)}, "row " + y);
        }
        // 16 x 32 to 4: resized to 4 x 8, then rows 2..5. Reducing by 4, the triangle filter spans 8 source
        // columns: output column 1 (centre 6) weighs columns 2..9 by 1/32, 3/32, 5/32, 7/32, 7/32, 5/32, 3/32,
        // 1/32, so the white columns 8 and 9 give it 255 * 4/32 = 31.9
        Path t = dir.resolve("t");
        png(t.resolve("tall.png"), 16, 32, Color.BLACK, Color.WHITE);
        ImageFolder.Loaded tall = load(t, 4, 1);
        assertEquals(4, tall.images().width());
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(new int[] {0, 32, 223, 255}, new int[] {px(tall, 0, 0, y, 0), px(tall, 0, 0, y, 1),
                px(tall, 0, 0, y, 2), px(tall, 0, 0, y, 3)}, "row " + y);
        }
        // upscaling a uniform image keeps it uniform
        Path u = dir.resolve("u");
        png(u.resolve("small.png"), 2, 3, Color.GRAY, Color.GRAY);
        ImageFolder.Loaded up = load(u, 7, 1);
        assertEquals(7, up.images().height());
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(128, px(up, 0, 0, y, x));
            }
        }
    }

    @Test
    void theCacheIsUsedUntilTheFolderChanges() throws IOException {
        Path f = dir.resolve("k");
        png(f.resolve("a/1.png"), 4, 4, Color.WHITE, Color.WHITE);
        png(f.resolve("b/2.png"), 4, 4, Color.BLACK, Color.BLACK);
        ImageFolder.Loaded first = load(f, 4, 3);
        assertFalse(first.fromCache());
        assertTrue(Files.isRegularFile(first.cacheFile().orElseThrow()));
        ImageFolder.Loaded second = load(f, 4, 3);
        assertTrue(second.fromCache());
        assertArrayEquals(first.images().pixels(), second.images().pixels());
        assertArrayEquals(first.images().labels().orElseThrow(), second.images().labels().orElseThrow());
        assertEquals(first.classNames(), second.classNames());

        assertFalse(load(f, 3, 3).fromCache(), "another size is another cache");
        assertTrue(load(f, 4, 3).fromCache(), "which leaves the first one in place");

        png(f.resolve("b/3.png"), 4, 4, Color.BLACK, Color.BLACK);
        ImageFolder.Loaded added = load(f, 4, 3);
        assertFalse(added.fromCache(), "a new file invalidates the cache");
        assertEquals(3, added.images().count());
        assertTrue(load(f, 4, 3).fromCache());

        png(f.resolve("a/1.png"), 4, 4, Color.GRAY, Color.GRAY);
        Files.setLastModifiedTime(f.resolve("a/1.png"), FileTime.fromMillis(1_000_000));
        ImageFolder.Loaded changed = load(f, 4, 3);
        assertFalse(changed.fromCache(), "a changed file invalidates the cache");
        assertEquals(128, px(changed, 0, 0, 0, 0));

        Path cache = changed.cacheFile().orElseThrow();
        byte[] b = Files.readAllBytes(cache);
        b[b.length - 40] ^= 1;
        Files.write(cache, b);
        ImageFolder.Loaded repaired = load(f, 4, 3);
        assertFalse(repaired.fromCache(), "a corrupt cache is read again, not used");
        assertArrayEquals(changed.images().pixels(), repaired.images().pixels());
        assertTrue(load(f, 4, 3).fromCache());
    }

    @Test
    void badFilesAreNamedAndNothingIsSkipped() throws IOException {
        Path f = dir.resolve("bad");
        png(f.resolve("ok.png"), 4, 4, Color.WHITE, Color.WHITE);
        Files.write(f.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        String m = message(f);
        assertTrue(m.startsWith(f.resolve("broken.png") + ": cannot decode the image"), m);
        Files.delete(f.resolve("broken.png"));
        Files.writeString(f.resolve("notes.txt"), "x");
        assertEquals(f.resolve("notes.txt") + ": not a .png, .jpg or .jpeg file; image folders hold only those (names"
                + " starting with '.' are ignored)", message(f));
        Files.delete(f.resolve("notes.txt"));
        Files.writeString(f.resolve("text.jpg"), "not a jpeg");
        assertTrue(message(f).startsWith(f.resolve("text.jpg") + ": cannot decode the image"), message(f));
        Files.delete(f.resolve("text.jpg"));

        png(f.resolve("cls/x.png"), 4, 4, Color.WHITE, Color.WHITE);
        assertEquals(f.resolve("ok.png") + ": a file directly in " + f + ", which also has class subfolders (1); move it"
                + " into a class folder, or out of " + f, message(f));
        Files.delete(f.resolve("ok.png"));
        Files.createDirectories(f.resolve("empty"));
        assertEquals(f.resolve("empty") + ": class folder holds no .png, .jpg or .jpeg files", message(f));

        Path none = dir.resolve("none");
        assertEquals("data.path=" + none + ": folder not found", message(none));
        Files.createDirectories(dir.resolve("blank"));
        assertTrue(message(dir.resolve("blank")).contains("holds no .png, .jpg or .jpeg files"));
    }

    private String message(Path folder) {
        return assertThrows(BadInputException.class, () -> images("data.name=images", "data.path=" + folder, "data.size=4",
                "data.cache_dir=" + dir.resolve("cache"))).getMessage();
    }
}
