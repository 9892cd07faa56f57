package io.ganflow.images;

import io.ganflow.config.Config;
import io.ganflow.config.Registries;
import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.VelocityNet;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Parameter;
import io.ganflow.nn.VelocityModel;
import java.util.Arrays;
import java.util.Optional;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Small synthetic image data and a test-only velocity net, so that every method can be tried on samples of
 * shape [1, 8, 8] without the image data sets and conv nets that are written elsewhere.
 *
 * <ul>
 *   <li>{@code bars8}: 8×8 grey images, background −1, a two-pixel-wide bar of +1 at one of four angles
 *       (horizontal, vertical, diagonal, anti-diagonal), drawn with equal probability, plus N(0, 0.1²) noise
 *       per pixel. Templates are about 10 apart (Euclidean), the noise about 0.8.</li>
 *   <li>{@code bars8c}: bars8 with labels, the bar's angle (0 to 3).</li>
 *   <li>{@code two8}: the horizontal and the vertical bar only, noise 0.02: a two-image distribution.</li>
 *   <li>velocity net {@code flat_mlp}: the MLP velocity net on the flattened image and t, its output reshaped
 *       back to the image's shape.</li>
 * </ul>
 */
public final class ImageFixtures {
    public static final long[] SHAPE = {1, 8, 8};

    private ImageFixtures() {}

    /** Registers bars8, two8 and flat_mlp once per JVM (tests share the registries). */
    public static synchronized void register() {
        if (Registries.DATASETS.find("bars8").isEmpty()) {
            Registries.DATASETS.register("bars8", "test: 8x8 bars at four angles", c -> new Bars("bars8", 4, 0.1));
        }
        if (Registries.DATASETS.find("bars8c").isEmpty()) {
            Registries.DATASETS.register("bars8c", "test: bars8 labelled by angle", c -> new Bars("bars8c", 4, 0.1, true));
        }
        if (Registries.DATASETS.find("two8").isEmpty()) {
            Registries.DATASETS.register("two8", "test: two 8x8 images", c -> new Bars("two8", 2, 0.02));
        }
        if (Registries.VELOCITY_NETS.find("flat_mlp").isEmpty()) {
            Registries.VELOCITY_NETS.register("flat_mlp", "test: MLP velocity net on flattened samples",
                    (c, shape, rng) -> new FlatVelocity(c, shape, rng));
        }
    }

    /** The four templates, (4, 1, 8, 8): horizontal, vertical, diagonal, anti-diagonal. */
    public static Tensor templates() {
        float[] v = new float[4 * 64];
        Arrays.fill(v, -1f);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                int p = i * 8 + j;
                if (i == 3 || i == 4) {
                    v[p] = 1f;
                }
                if (j == 3 || j == 4) {
                    v[64 + p] = 1f;
                }
                if (i == j || i == j + 1) {
                    v[128 + p] = 1f;
                }
                if (i + j == 7 || i + j == 8) {
                    v[192 + p] = 1f;
                }
            }
        }
        return Ops.fromFloats(v, 4, 1, 8, 8);
    }

    /**
     * For each image of a batch (n, 1, 8, 8): the index of the nearest of the first {@code k} templates and the
     * Euclidean distance to it, as {class, distance} rows.
     */
    public static double[][] nearestTemplate(Tensor images, int k) {
        double[][] x = Ops.toRows(Ops.flatten(images));
        double[][] t = Ops.toRows(Ops.flatten(templates().narrow(0, 0, k)));
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int p = 0; p < 64; p++) {
                    s += (x[i][p] - t[c][p]) * (x[i][p] - t[c][p]);
                }
                if (s < bestD) {
                    bestD = s;
                    best = c;
                }
            }
            out[i] = new double[] {best, Math.sqrt(bestD)};
        }
        return out;
    }

    /** Images of the first {@code classes} templates, equally likely, plus N(0, noise²) per pixel. */
    public static final class Bars implements Dataset {
        private final String name;
        private final int classes;
        private final double noise;
        private final Tensor templates;

        private final boolean labelled;

        public Bars(String name, int classes, double noise) {
            this(name, classes, noise, false);
        }

        /** @param labelled whether the data set gives each image's template as its class */
        public Bars(String name, int classes, double noise, boolean labelled) {
            this.labelled = labelled;
            this.name = name;
            this.classes = classes;
            this.noise = noise;
            this.templates = templates().narrow(0, 0, classes).clone();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int dim() {
            return 64;
        }

        @Override
        public long[] shape() {
            return SHAPE.clone();
        }

        @Override
        public Tensor sample(int n, Rng rng) {
            return sampleBatch(n, rng, false).x();
        }

        @Override
        public int classes() {
            return labelled ? classes : 0;
        }

        @Override
        public io.ganflow.data.Batch sampleBatch(int n, Rng rng, boolean withLabels) {
            if (withLabels && !labelled) {
                return Dataset.super.sampleBatch(n, rng, true); // refuses, naming the data set
            }
            Tensor y = rng.integers(classes, n);
            Tensor x = templates.index_select(0, y).add(Ops.mul(rng.normal(n, 1, 8, 8), noise));
            return new io.ganflow.data.Batch(x, withLabels ? Optional.of(y) : Optional.empty());
        }

        @Override
        public Standardizer standardizer() {
            return Standardizer.identity(64);
        }
    }

    /** VelocityNet (model.v.* keys) on flattened samples; v's output is reshaped to the samples' shape. */
    public static final class FlatVelocity implements VelocityModel {
        private final VelocityNet inner;

        public FlatVelocity(Config c, long[] shape, Rng rng) {
            int dim = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            inner = new VelocityNet(dim, c.getInt("model.v.width"), c.getInt("model.v.depth"),
                    Activation.byKey(c.getString("model.v.activation")), c.getString("model.v.time_embedding"),
                    c.getInt("model.v.time_dim"), rng);
        }

        @Override
        public Tensor velocity(Tensor x, Tensor t) {
            return inner.velocity(Ops.flatten(x), t).reshape(Ops.shape(x));
        }

        /** [x flattened, t] as one row, like {@link VelocityNet#forward}. */
        @Override
        public Tensor forward(Tensor xt) {
            return inner.forward(xt);
        }

        @Override
        public List<Parameter> parameters() {
            return inner.parameters();
        }

        @Override
        public List<Parameter> buffers() {
            return inner.buffers();
        }
    }
}
