package io.ganflow.metrics.features;

import io.ganflow.BadInputException;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageDataset.Split;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.features.DomainClassifier.Architecture;
import io.ganflow.nn.Parameter;
import io.ganflow.optim.Optimizer;
import io.ganflow.optim.OptimizerSpec;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains a {@link DomainClassifier}. Training ({@link #train}) is deterministic for a seed on one machine and one
 * thread: the initial weights come from ganflow's seeded generator, the order of the images and the augmentation
 * (a random shift of up to ±2 pixels in each direction, filled with black) from a {@link SplittableRandom} with
 * the same seed, the dropout masks (training only) from a generator derived from it; Adam with a cosine
 * learning-rate decay minimises the cross-entropy.
 */
public final class ClassifierTraining {
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
    public record Options(int epochs, int batch, double lr, int shift, double dropout, long seed) {
        public Options {
            if (epochs < 1 || batch < 1 || !(lr > 0) || shift < 0 || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("bad training options " + this);
            }
        }

        /** Batch 128, learning rate 1e-3, shifts of ±2 pixels, no dropout, seed 0. */
        public static Options defaults(int epochs) {
            return new Options(epochs, 128, 1e-3, 2, 0, 0);
        }

        public Options withEpochs(int e) {
            return new Options(e, batch, lr, shift, dropout, seed);
        }

        public Options withSeed(long s) {
            return new Options(epochs, batch, lr, shift, dropout, s);
        }

        public Options withDropout(double p) {
            return new Options(epochs, batch, lr, shift, p, seed);
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

    private ClassifierTraining() {}

    /**
     * Trains a classifier of architecture {@code a} on the training split of {@code data} and measures its
     * accuracy on the test split. The data set must be labelled, neither stacked nor flattened, of the
     * architecture's image shape, with at most {@code a.classes()} classes.
     *
     * @param log receives one line per epoch
     */
    public static Trained train(Architecture a, ImageDataset data, Options o, Consumer<String> log) {
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
        setFeatureScale(net, data);
        double testAcc = net.accuracy(data, Split.TEST, testLabels);
        return new Trained(net, new Report(testAcc, trainAcc, n, testLabels.length, seconds, cpu, step));
    }

    /**
     * Sets {@code feature_scale} to the root mean square of fc1's outputs over the first min(n, 10,000) training
     * images (index order, no augmentation, evaluation mode).
     */
    private static void setFeatureScale(DomainClassifier net, ImageDataset data) {
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
                    return Ops.item(net.preActivations(data.images(Split.TRAIN, idx)).to(torch.ScalarType.Double).square()
                            .sum());
                }
            });
        }
        double rms = Math.sqrt(sum / ((double) n * net.architecture().hidden()));
        Ops.noGrad(() -> net.featureScale.fill_(Ops.s(rms)));
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

    /** CPU time of this process in seconds (all threads), or NaN where the JVM cannot say. */
    static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }
}
