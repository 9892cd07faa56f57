package io.ganflow.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.bytedeco.pytorch.Tensor;

/**
 * The fixtures of core/src/test/resources/fixtures/features, written by tools/fixtures/image_metrics.py and
 * tools/fixtures/torchscript_fixture.py.
 */
public final class FeatureFixtures {
    private FeatureFixtures() {}

    public static JsonNode json(String name) {
        try (InputStream in = FeatureFixtures.class.getResourceAsStream("/fixtures/features/" + name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw little-endian float32 matrix (rows, cols) as a float64 tensor (exactly the stored values). */
    public static Tensor f32(String name, int rows, int cols) {
        byte[] bytes;
        try (InputStream in = FeatureFixtures.class.getResourceAsStream("/fixtures/features/" + name)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length != 4L * rows * cols) {
            throw new IllegalStateException(name + ": " + bytes.length + " bytes, expected " + 4L * rows * cols);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return Ops.fromDoubles(v, rows, cols);
    }

    /** A fixture file on disk (the test class path is a directory under Maven). */
    public static Path file(String name) {
        try {
            return Paths.get(FeatureFixtures.class.getResource("/fixtures/features/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * n synthetic 1x28x28 images in [-1, 1]: a dark background with one bright Gaussian blob each, at a random
     * position and width, with a random brightness.
     */
    public static Tensor blobs(int n, long seed) {
        Rng rng = new Rng(seed);
        double[] u = Ops.toDoubles(rng.uniform(n, 4));
        double[] img = new double[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            double cx = 6 + 16 * u[4 * i];
            double cy = 6 + 16 * u[4 * i + 1];
            double w = 1.5 + 3 * u[4 * i + 2];
            double peak = 0.5 + 0.5 * u[4 * i + 3];
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * w * w);
                    img[i * 784 + y * 28 + x] = -1 + 2 * peak * Math.exp(-r2);
                }
            }
        }
        return Ops.fromDoubles(img, n, 1, 28, 28).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
    }
}
