package io.ganflow.data.image;

import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.bytedeco.pytorch.Tensor;

/** Small synthetic IDX files and configs for the image data tests. */
final class ImageTestFiles {
    private ImageTestFiles() {}

    /** An IDX file of unsigned bytes with the given dimensions. */
    static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(values);
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(raw);
        }
        return gz.toByteArray();
    }

    static Path write(Path p, byte[] content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    /**
     * n grey h x w images: image i has pixel (0, 0) = marker, every other pixel = (i * 7 + j) % 200 + 20 (so 0
     * and 255 appear only where asked). Labels i % classes.
     */
    static byte[] pixels(int n, int h, int w, int marker) {
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h * w; j++) {
                px[i * h * w + j] = (byte) (j == 0 ? marker : (i * 7 + j) % 200 + 20);
            }
        }
        return px;
    }

    static byte[] labels(int n, int classes) {
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            l[i] = (byte) (i % classes);
        }
        return l;
    }

    /**
     * A directory in the MNIST layout: nTrain training images (pixel (0,0) = 0) and nTest test images (pixel
     * (0,0) = 255), h x w, labels i % 10; gzipped when asked.
     */
    static Path mnistDir(Path dir, int nTrain, int nTest, int h, int w, boolean gz) throws IOException {
        String s = gz ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + s), maybe(gz, idx(new int[] {nTrain, h, w}, pixels(nTrain, h, w, 0))));
        write(dir.resolve("train-labels-idx1-ubyte" + s), maybe(gz, idx(new int[] {nTrain}, labels(nTrain, 10))));
        write(dir.resolve("t10k-images-idx3-ubyte" + s), maybe(gz, idx(new int[] {nTest, h, w}, pixels(nTest, h, w, 255))));
        write(dir.resolve("t10k-labels-idx1-ubyte" + s), maybe(gz, idx(new int[] {nTest}, labels(nTest, 10))));
        return dir;
    }

    private static byte[] maybe(boolean gz, byte[] raw) throws IOException {
        return gz ? gzip(raw) : raw;
    }

    /** A validated config from key=value pairs. */
    static Config config(String... kv) {
        Config.Builder b = Config.builder();
        for (String s : kv) {
            int eq = s.indexOf('=');
            b.set(s.substring(0, eq), s.substring(eq + 1), "test");
        }
        return b.build();
    }

    static Dataset load(String... kv) {
        return Setup.dataset(config(kv));
    }

    static ImageDataset images(String... kv) {
        return (ImageDataset) load(kv);
    }

    static float[] values(Tensor t) {
        return Ops.toFloats(t);
    }
}
