package io.ganflow.metrics.features;

import io.ganflow.BadInputException;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.BatchNorm;
import io.ganflow.nn.Composite;
import io.ganflow.nn.Conv2d;
import io.ganflow.nn.Init;
import io.ganflow.nn.LayerInit;
import io.ganflow.nn.Linear;
import io.ganflow.nn.Parameter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A small LeNet-style convolutional classifier of a labelled image domain (Fashion-MNIST, MNIST digits), whose
 * penultimate layer is the feature space of ganflow's image metrics on that domain (FID, KID, PRDC) and whose
 * logits give the Inception-style score and class coverage:
 *
 * <pre>
 *   conv1  Conv2d(C → 32, 3 × 3, padding 1), ReLU, 2 × 2 max pool        (32, H/2, W/2)
 *   conv2  Conv2d(32 → 64, 3 × 3, padding 1), ReLU, 2 × 2 max pool       (64, H/4, W/4)
 *   fc1    Linear(64·H/4·W/4 → 128)                                      the features: 128 pre-activations
 *   ReLU, fc2  Linear(128 → K)                                           the logits
 * </pre>
 *
 * The widths are parameters ({@link Architecture}), so tests can train a tiny one in a second. Training is
 * {@link ClassifierTraining}, the file format {@link ClassifierFile}.
 */
public final class DomainClassifier extends Composite {
    /**
     * The shape of a classifier.
     *
     * @param channels C of the input images
     * @param height H (a multiple of 4)
     * @param width W (a multiple of 4)
     * @param classes K, the number of logits
     * @param conv1 channels of the first convolution
     * @param conv2 channels of the second convolution
     * @param hidden width of the penultimate layer, the feature dimension
     * @param batchNorm batch normalisation after each convolution (whose bias it replaces), before the ReLU
     */
    public record Architecture(int channels, int height, int width, int classes, int conv1, int conv2, int hidden,
            boolean batchNorm) {
        public Architecture {
            if (channels < 1 || classes < 2 || conv1 < 1 || conv2 < 1 || hidden < 1) {
                throw new IllegalArgumentException("bad classifier architecture " + this);
            }
            if (height < 4 || width < 4 || height % 4 != 0 || width % 4 != 0) {
                throw new IllegalArgumentException("classifier images must have a height and width that are multiples"
                        + " of 4 (two 2 x 2 poolings), got " + height + " x " + width);
            }
        }

        /** The standard widths 32, 64 and 128 for images (channels, height, width) and K classes. */
        public static Architecture lenet(int channels, int height, int width, int classes) {
            return new Architecture(channels, height, width, classes, 32, 64, 128, false);
        }

        public Architecture withBatchNorm(boolean on) {
            return new Architecture(channels, height, width, classes, conv1, conv2, hidden, on);
        }

        Map<String, String> metadata() {
            Map<String, String> m = new LinkedHashMap<>();
            String bn = batchNorm ? " batchnorm" : "";
            m.put("architecture", String.format(Locale.ROOT, "conv3x3(%d->%d)%s relu maxpool2, conv3x3(%d->%d)%s relu"
                    + " maxpool2, linear(%d->%d) [features], relu, linear(%d->%d)", channels, conv1, bn, conv1, conv2, bn,
                    conv2 * (height / 4) * (width / 4), hidden, hidden, classes));
            m.put("channels", Integer.toString(channels));
            m.put("height", Integer.toString(height));
            m.put("width", Integer.toString(width));
            m.put("classes", Integer.toString(classes));
            m.put("conv1", Integer.toString(conv1));
            m.put("conv2", Integer.toString(conv2));
            m.put("hidden", Integer.toString(hidden));
            m.put("batch_norm", Boolean.toString(batchNorm));
            return m;
        }

        static Architecture fromMetadata(Map<String, String> m, Path file) {
            try {
                return new Architecture(num(m, "channels", file), num(m, "height", file), num(m, "width", file),
                        num(m, "classes", file), num(m, "conv1", file), num(m, "conv2", file), num(m, "hidden", file),
                        Boolean.parseBoolean(m.getOrDefault("batch_norm", "false")));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file + ": " + e.getMessage());
            }
        }

        private static int num(Map<String, String> m, String key, Path file) {
            String v = m.get(key);
            if (v == null) {
                throw new BadInputException(file + ": not a ganflow classifier file (no metadata entry '" + key + "')");
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new BadInputException(file + ": metadata entry '" + key + "' is '" + v + "', not a whole number");
            }
        }
    }

    private final Architecture arch;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final BatchNorm bn1;
    private final BatchNorm bn2;
    private final Linear fc1;
    private final Linear fc2;
    /** The buffer {@code feature_scale}, which {@link ClassifierTraining#train} sets. */
    final Tensor featureScale;

    /** A classifier with PyTorch's default initialisation, drawn from {@code rng}. */
    public DomainClassifier(Architecture a, Rng rng) {
        this.arch = a;
        LayerInit li = new LayerInit(Init.TORCH, rng);
        boolean bias = !a.batchNorm();
        conv1 = add("conv1", new Conv2d(li, a.channels(), a.conv1(), 3, 1, 1, bias, false));
        bn1 = a.batchNorm() ? add("bn1", new BatchNorm(li, a.conv1())) : null;
        conv2 = add("conv2", new Conv2d(li, a.conv1(), a.conv2(), 3, 1, 1, bias, false));
        bn2 = a.batchNorm() ? add("bn2", new BatchNorm(li, a.conv2())) : null;
        fc1 = add("fc1", new Linear(li, (long) a.conv2() * (a.height() / 4) * (a.width() / 4), a.hidden(), true, false));
        fc2 = add("fc2", new Linear(li, a.hidden(), a.classes(), true, false));
        featureScale = Ops.ones(1);
        addBuffer("feature_scale", featureScale);
        train(false); // evaluation mode, except while ClassifierTraining.train trains it
        ownTensors();
    }

    /**
     * Takes the weights and buffers out of the native scope that was open at construction, so that they live as
     * long as this object: a classifier is often loaded lazily, inside the scope of the first evaluation that
     * needs it, and must survive it.
     */
    private void ownTensors() {
        org.bytedeco.javacpp.PointerScope scope = org.bytedeco.javacpp.PointerScope.getInnerScope();
        if (scope == null) {
            return;
        }
        List<Parameter> all = new java.util.ArrayList<>(parameters());
        all.addAll(buffers());
        for (Parameter p : all) {
            p.value().retainReference(); // detaching releases the scope's reference
            scope.detach(p.value());
        }
    }

    public Architecture architecture() {
        return arch;
    }

    /**
     * The features of images (n, C, H, W) in [-1, 1]: fc1's pre-activations (n, hidden) divided by the buffer
     * {@code feature_scale}, their root mean square over the training images (set at the end of {@link ClassifierTraining#train}),
     * so that a feature vector's mean square is about 1 on the data. Metrics whose kernel is not scale-free
     * (KID's cubic kernel (x·y/d + 1)³) then see values of order 1, and FIDs are in units of that scale.
     */
    public Tensor features(Tensor x) {
        return preActivations(x).div(featureScale);
    }

    /** fc1's outputs, unscaled. */
    Tensor preActivations(Tensor x) {
        if (x.dim() != 4 || x.size(1) != arch.channels() || x.size(2) != arch.height() || x.size(3) != arch.width()) {
            throw new IllegalArgumentException("the classifier takes images (n, " + arch.channels() + ", " + arch.height()
                    + ", " + arch.width() + "), got " + Arrays.toString(Ops.shape(x)));
        }
        return fc1.forward(convolutions(x).reshape(x.size(0), -1));
    }

    /** The scale the features are divided by (1 before training). */
    public double featureScale() {
        return Ops.item(featureScale);
    }

    /** conv1 [bn1] ReLU pool, conv2 [bn2] ReLU pool: (n, conv2, H/4, W/4). */
    private Tensor convolutions(Tensor x) {
        Tensor h = conv1.forward(x);
        h = pool(torch.relu(bn1 == null ? h : bn1.forward(h)));
        h = conv2.forward(h);
        return pool(torch.relu(bn2 == null ? h : bn2.forward(h)));
    }

    /** The logits (n, K) of features (n, hidden). */
    public Tensor head(Tensor features) {
        return fc2.forward(torch.relu(features).mul(featureScale));
    }

    /** The logits (n, K) of images (n, C, H, W). */
    @Override
    public Tensor forward(Tensor x) {
        return fc2.forward(torch.relu(preActivations(x)));
    }

    /** The training forward pass: the logits with dropout masks drawn from {@code rng} (p on fc1, p/2 on conv2). */
    Tensor forwardTraining(Tensor x, double p, Rng rng) {
        if (p == 0) {
            return forward(x);
        }
        Tensor h = dropout(convolutions(x), p / 2, rng);
        Tensor f = fc1.forward(h.reshape(x.size(0), -1));
        return fc2.forward(dropout(torch.relu(f), p, rng));
    }

    /** Inverted dropout: zero with probability p, scale the rest by 1 / (1 - p). */
    private static Tensor dropout(Tensor x, double p, Rng rng) {
        Tensor keep = rng.uniform(Ops.shape(x)).ge(Ops.s(p)).to(torch.ScalarType.Float);
        return x.mul(keep).mul(Ops.s(1 / (1 - p)));
    }

    private static Tensor pool(Tensor x) {
        return torch.max_pool2d(x, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, false);
    }

    /** SHA-256 (hex) of the weights, as {@link ModuleFeatures#weightsSha256} computes it. */
    public String weightsSha256() {
        return ModuleFeatures.weightsSha256(this);
    }

    /**
     * This classifier as a feature extractor with the id {@code name:sha256:HEX} (HEX over the weights). Images
     * larger than the classifier's input (a data set padded with {@code data.pad}) are cropped to their centre
     * H × W first, at the offset padding used, so padded images give exactly the features of the unpadded ones.
     */
    public ModuleFeatures extractor(String name) {
        return new ModuleFeatures(name + ":sha256:" + weightsSha256(), x -> features(fit(x)), this::head,
                BatchedFeatures.DEFAULT_BATCH);
    }

    /** Crops images larger than the input to their centre, as data.pad centred them. */
    Tensor fit(Tensor x) {
        long h = x.size(2);
        long w = x.size(3);
        if (x.size(1) != arch.channels() || h < arch.height() || w < arch.width()) {
            throw new BadInputException("the classifier takes images " + arch.channels() + " x " + arch.height() + " x "
                    + arch.width() + " (or larger, centre-cropped), got " + x.size(1) + " x " + h + " x " + w);
        }
        if (h == arch.height() && w == arch.width()) {
            return x;
        }
        return x.narrow(2, (h - arch.height()) / 2, arch.height()).narrow(3, (w - arch.width()) / 2, arch.width());
    }

    /** The fraction of a split's images whose argmax logit is their label (autograd off, batches of 500). */
    public double accuracy(ImageDataset data, Split split) {
        int[] labels = data.labels(split).orElseThrow(() -> new BadInputException(data.name() + ": has no labels"));
        return accuracy(data, split, labels);
    }

    double accuracy(ImageDataset data, Split split, int[] labels) {
        int n = labels.length;
        long correct = 0;
        for (int b = 0; b < n; b += 500) {
            int len = Math.min(500, n - b);
            try (Scope s = Scope.open()) {
                Tensor idx = torch.arange(new org.bytedeco.pytorch.Scalar(b), new org.bytedeco.pytorch.Scalar(b + len),
                        new org.bytedeco.pytorch.Scalar(1), new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long));
                Tensor images = data.images(split, idx);
                int[] pred = predictions(images.reshape(len, arch.channels(), data.imageShape()[1], data.imageShape()[2]));
                for (int i = 0; i < len; i++) {
                    if (pred[i] == labels[b + i]) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) n;
    }

    /** The argmax class of each image (n, C, H, W), centre-cropped when larger; autograd off. */
    public int[] predictions(Tensor images) {
        return Ops.noGrad(() -> {
            try (Scope s = Scope.open()) {
                Tensor p = forward(fit(images.to(torch.ScalarType.Float))).argmax(new org.bytedeco.pytorch.LongOptional(1),
                        false);
                double[] d = Ops.toDoubles(p);
                int[] out = new int[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (int) d[i];
                }
                return out;
            }
        });
    }

    @Override
    public String toString() {
        return "DomainClassifier(" + arch + ")";
    }
}
