package io.ganflow.metrics.features;

import io.ganflow.BadInputException;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.io.SafetensorsFile;
import io.ganflow.nn.BatchNorm;
import io.ganflow.nn.Composite;
import io.ganflow.nn.Conv2d;
import io.ganflow.nn.Init;
import io.ganflow.nn.LayerInit;
import io.ganflow.nn.Linear;
import io.ganflow.nn.Parameter;
import io.ganflow.optim.Optimizer;
import io.ganflow.optim.OptimizerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
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
 * The widths are parameters ({@link Architecture}), so tests can train a tiny one in a second. Training
 * ({@link #train}) is deterministic for a seed on one machine and one thread: the initial weights come from
 * ganflow's seeded generator, the order of the images and the augmentation (a random shift of up to ±2 pixels
 * in each direction, filled with black) from a {@link SplittableRandom} with the same seed, the dropout masks
 * (training only) from a generator derived from it; Adam with a cosine learning-rate decay minimises the
 * cross-entropy. Files are safetensors ({@link #save}) with the
 * architecture, the training protocol, the test accuracy and the SHA-256 of the weights in the metadata;
 * {@link #load} refuses a file whose weights do not hash to the recorded value.
 */
public final class DomainClassifier extends Composite {
    /** The value of the metadata entry {@code format} of a classifier file. */
    public static final String FORMAT = "ganflow-classifier/1";

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

    /**
     * How a classifier is trained.
     *
     * @param epochs passes over the training split
     * @param batch images per Adam step
     * @param lr Adam's initial learning rate (betas 0.9, 0.999), decayed to 0 by a cosine over all steps
     * @param shift augmentation: each training image moves by dx, dy uniform in [-shift, shift] pixels (0: off)
     * @param dropout training only: inverted dropout with this probability on the penultimate activations (after
     *     the ReLU) and with half of it on conv2's pooled output (0: off)
     * @param seed initial weights, image order, augmentation and dropout masks
     */
    public record TrainOptions(int epochs, int batch, double lr, int shift, double dropout, long seed) {
        public TrainOptions {
            if (epochs < 1 || batch < 1 || !(lr > 0) || shift < 0 || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("bad training options " + this);
            }
        }

        /** Batch 128, learning rate 1e-3, shifts of ±2 pixels, no dropout, seed 0. */
        public static TrainOptions defaults(int epochs) {
            return new TrainOptions(epochs, 128, 1e-3, 2, 0, 0);
        }

        public TrainOptions withEpochs(int e) {
            return new TrainOptions(e, batch, lr, shift, dropout, seed);
        }

        public TrainOptions withSeed(long s) {
            return new TrainOptions(epochs, batch, lr, shift, dropout, s);
        }

        public TrainOptions withDropout(double p) {
            return new TrainOptions(epochs, batch, lr, shift, p, seed);
        }
    }

    /**
     * What training measured.
     *
     * @param testAccuracy fraction of the test split classified correctly (no augmentation)
     * @param trainAccuracy fraction of the last epoch's augmented training batches classified correctly, during
     *     the epoch
     * @param seconds wall-clock time of the training loop
     * @param cpuSeconds CPU time of the process during the training loop (all threads)
     * @param steps Adam steps
     */
    public record Report(double testAccuracy, double trainAccuracy, int trainImages, int testImages, double seconds,
            double cpuSeconds, long steps) {}

    /** A trained classifier and its report. */
    public record Trained(DomainClassifier classifier, Report report) {}

    /** A classifier read from a file, with the file's metadata and SHA-256. */
    public record Loaded(DomainClassifier classifier, Path file, Map<String, String> metadata, String fileSha256) {}

    private final Architecture arch;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final BatchNorm bn1;
    private final BatchNorm bn2;
    private final Linear fc1;
    private final Linear fc2;
    private final Tensor featureScale;

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
        train(false); // evaluation mode, except while train() trains it
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
     * {@code feature_scale}, their root mean square over the training images (set at the end of {@link #train}),
     * so that a feature vector's mean square is about 1 on the data. Metrics whose kernel is not scale-free
     * (KID's cubic kernel (x·y/d + 1)³) then see values of order 1, and FIDs are in units of that scale.
     */
    public Tensor features(Tensor x) {
        return preActivations(x).div(featureScale);
    }

    /** fc1's outputs, unscaled. */
    private Tensor preActivations(Tensor x) {
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
    private Tensor forwardTraining(Tensor x, double p, Rng rng) {
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

    // ---- training ---------------------------------------------------------------------------------------

    /**
     * Trains a classifier of architecture {@code a} on the training split of {@code data} and measures its
     * accuracy on the test split. The data set must be labelled, neither stacked nor flattened, of the
     * architecture's image shape, with at most {@code a.classes()} classes.
     *
     * @param log receives one line per epoch
     */
    public static Trained train(Architecture a, ImageDataset data, TrainOptions o, Consumer<String> log) {
        long[] shape = data.imageShape();
        if (shape[0] != a.channels() || shape[1] != a.height() || shape[2] != a.width()) {
            throw new BadInputException(data.name() + ": images are " + shape[0] + " x " + shape[1] + " x " + shape[2]
                    + ", the classifier takes " + a.channels() + " x " + a.height() + " x " + a.width());
        }
        int[] labels = data.labels(Split.TRAIN).orElseThrow(() -> new BadInputException(data.name()
                + ": has no labels; a domain classifier is trained on labelled images"));
        int[] testLabels = data.labels(Split.TEST).orElseThrow();
        if (data.classes() > a.classes()) {
            throw new BadInputException(data.name() + ": has " + data.classes() + " classes, the classifier " + a.classes());
        }
        int n = data.size(Split.TRAIN);
        int per = a.channels() * a.height() * a.width();
        byte[] pixels = new byte[n * per];
        try (Scope s = Scope.open()) {
            Tensor all = data.pixels(Split.TRAIN, torch.arange(new org.bytedeco.pytorch.Scalar(n),
                    new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long))).contiguous();
            all.data_ptr_byte().get(pixels);
        }
        DomainClassifier net = new DomainClassifier(a, new Rng(o.seed()));
        net.train(true);
        List<Parameter> params = net.parameters();
        List<Tensor> tensors = net.tensors();
        Optimizer opt = OptimizerSpec.adam(o.lr(), 0.9, 0.999).create(params);
        SplittableRandom random = new SplittableRandom(o.seed());
        Rng masks = Rng.derived(o.seed(), "classifier/dropout");
        int stepsPerEpoch = (n + o.batch() - 1) / o.batch();
        long total = (long) stepsPerEpoch * o.epochs();
        long step = 0;
        double trainAcc = 0;
        long t0 = System.nanoTime();
        double cpu0 = cpuSeconds();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            shuffle(order, random);
            double lossSum = 0;
            long correct = 0;
            for (int b = 0; b < n; b += o.batch()) {
                int len = Math.min(o.batch(), n - b);
                float[] x = new float[len * per];
                double[] y = new double[len];
                for (int i = 0; i < len; i++) {
                    int img = order[b + i];
                    y[i] = labels[img];
                    int dx = o.shift() == 0 ? 0 : random.nextInt(-o.shift(), o.shift() + 1);
                    int dy = o.shift() == 0 ? 0 : random.nextInt(-o.shift(), o.shift() + 1);
                    shifted(pixels, img * per, x, i * per, a.channels(), a.height(), a.width(), dx, dy);
                }
                opt.setLearningRate(o.lr() * 0.5 * (1 + Math.cos(Math.PI * step / total)));
                try (Scope s = Scope.open()) {
                    Tensor target = Ops.fromDoubles(y, len).to(torch.ScalarType.Long);
                    Tensor logits = net.forwardTraining(Ops.fromFloats(x, len, a.channels(), a.height(), a.width()),
                            o.dropout(), masks);
                    Tensor loss = torch.cross_entropy(logits, target);
                    opt.step(Ops.grad(loss, tensors, false));
                    lossSum += Ops.item(loss) * len;
                    correct += logits.argmax(new org.bytedeco.pytorch.LongOptional(1), false).eq(target).sum().item_long();
                }
                step++;
            }
            trainAcc = correct / (double) n;
            double testAcc = io.ganflow.nn.Module.inEvalMode(net, () -> net.accuracy(data, Split.TEST, testLabels));
            log.accept(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, training accuracy %.4f (augmented), test"
                    + " accuracy %.4f, %.0f s", epoch, o.epochs(), lossSum / n, trainAcc, testAcc,
                    (System.nanoTime() - t0) / 1e9));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = cpuSeconds() - cpu0;
        net.train(false); // a trained classifier is only ever used in evaluation mode
        net.setFeatureScale(data);
        double testAcc = net.accuracy(data, Split.TEST, testLabels);
        return new Trained(net, new Report(testAcc, trainAcc, n, testLabels.length, seconds, cpu, step));
    }

    /**
     * Sets {@code feature_scale} to the root mean square of fc1's outputs over the first min(n, 10,000) training
     * images (index order, no augmentation, evaluation mode).
     */
    private void setFeatureScale(ImageDataset data) {
        int n = Math.min(10_000, data.size(Split.TRAIN));
        double sum = 0;
        for (int b = 0; b < n; b += 500) {
            int len = Math.min(500, n - b);
            int from = b;
            sum += Ops.noGrad(() -> {
                try (Scope s = Scope.open()) {
                    Tensor idx = torch.arange(new org.bytedeco.pytorch.Scalar(from), new org.bytedeco.pytorch.Scalar(from
                            + len), new org.bytedeco.pytorch.Scalar(1), new org.bytedeco.pytorch.TensorOptions(
                            torch.ScalarType.Long));
                    return Ops.item(preActivations(data.images(Split.TRAIN, idx)).to(torch.ScalarType.Double).square()
                            .sum());
                }
            });
        }
        double rms = Math.sqrt(sum / ((double) n * arch.hidden()));
        Ops.noGrad(() -> featureScale.fill_(Ops.s(rms)));
    }

    /** Fisher–Yates. */
    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** One image moved by (dx, dy) pixels, the uncovered border black (-1), into model space. */
    static void shifted(byte[] src, int from, float[] dst, int to, int c, int h, int w, int dx, int dy) {
        Arrays.fill(dst, to, to + c * h * w, -1f);
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int r = Math.max(0, dy); r < Math.min(h, h + dy); r++) {
                int sr = r - dy;
                for (int col = Math.max(0, dx); col < Math.min(w, w + dx); col++) {
                    int sc = col - dx;
                    dst[to + base + r * w + col] = (src[from + base + sr * w + sc] & 0xFF) / 127.5f - 1f;
                }
            }
        }
    }

    /** The fraction of a split's images whose argmax logit is their label (autograd off, batches of 500). */
    public double accuracy(ImageDataset data, Split split) {
        int[] labels = data.labels(split).orElseThrow(() -> new BadInputException(data.name() + ": has no labels"));
        return accuracy(data, split, labels);
    }

    private double accuracy(ImageDataset data, Split split, int[] labels) {
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

    /** CPU time of this process in seconds (all threads), or NaN where the JVM cannot say. */
    static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    // ---- files ------------------------------------------------------------------------------------------

    /**
     * Writes the weights as float32 safetensors (names {@code conv1.weight}, ..., {@code fc2.bias}, those of the
     * PyTorch module in {@code bench/peers/fid.py}) with the architecture, {@code weights_sha256} and the given
     * entries in the metadata, atomically.
     *
     * @return the SHA-256 of the file written
     */
    public String save(Path file, Map<String, String> extraMetadata) throws IOException {
        Map<String, SafeTensor> tensors = new TreeMap<>();
        try (Scope s = Scope.open()) {
            for (Parameter p : tensorsToSave()) {
                tensors.put(p.name(), SafeTensor.ofFloats(Ops.toFloats(p.value()), Ops.shape(p.value())));
            }
        }
        Map<String, String> meta = new TreeMap<>(extraMetadata);
        meta.put("format", FORMAT);
        meta.putAll(arch.metadata());
        meta.put("weights_sha256", weightsSha256());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Safetensors.write(file, tensors, meta);
        return fileSha256(file);
    }

    /**
     * Reads a classifier file written by {@link #save}.
     *
     * @throws BadInputException naming the file when it is missing, not a classifier file, lacks or mis-shapes a
     *     tensor, or its weights do not hash to the recorded {@code weights_sha256} (a damaged file)
     */
    public static Loaded load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such classifier file");
        }
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new BadInputException(file + ": not a ganflow classifier file (metadata format is "
                    + (meta.containsKey("format") ? "'" + meta.get("format") + "'" : "missing") + ", expected '" + FORMAT
                    + "')");
        }
        Architecture a = Architecture.fromMetadata(meta, file);
        DomainClassifier net = new DomainClassifier(a, new Rng(0));
        net.train(false);
        List<Parameter> all = net.tensorsToSave();
        if (f.tensors().size() != all.size()) {
            throw new BadInputException(file + ": holds " + f.tensors().size() + " tensors, the classifier has "
                    + all.size());
        }
        Ops.noGrad(() -> {
            for (Parameter p : all) {
                SafeTensor t = f.tensor(p.name());
                if (!Arrays.equals(t.shape(), Ops.shape(p.value()))) {
                    throw new BadInputException(file + ": tensor '" + p.name() + "' has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(Ops.shape(p.value())));
                }
                try (Scope s = Scope.open()) {
                    p.value().copy_(Ops.fromFloats(t.floats(), t.shape()));
                }
            }
        });
        String recorded = meta.get("weights_sha256");
        String actual = net.weightsSha256();
        if (!actual.equals(recorded)) {
            throw new BadInputException(file + ": damaged: its weights hash to sha256 " + actual + ", the file records "
                    + recorded);
        }
        return new Loaded(net, file, meta, fileSha256(file));
    }

    /** Parameters, then buffers (batch norm's running statistics). */
    private List<Parameter> tensorsToSave() {
        List<Parameter> all = new java.util.ArrayList<>(parameters());
        all.addAll(buffers());
        return all;
    }

    /** The SHA-256 of a file, lower-case hex. */
    public static String fileSha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "DomainClassifier(" + arch + ")";
    }
}
