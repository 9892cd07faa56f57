package io.ganflow.data.image;

import io.ganflow.BadInputException;
import io.ganflow.data.Batch;
import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Images with a training split and a held-out test split, and a label per image where the files have
 * them. Batches are float32 (n, C, H, W) in model space, x = pixel / 127.5 - 1 in [-1, 1] (or (n, C*H*W)
 * when flattened); {@link #standardizer()} maps back to pixels, pixel = (x + 1) * 127.5.
 *
 * <p>Pixels stay 8-bit in memory (Fashion-MNIST's 70,000 images take 55 MB) and are converted per batch.
 * Training batches are drawn uniformly with replacement by the seeded generator, as {@code TensorDataset}
 * draws rows; {@link #reference} draws only test images. A split may also be stacked: each image made of
 * K images of a base set, one per channel (Stacked MNIST), held as rows of K indices, not as pixels.
 */
public final class ImageDataset implements Dataset {
    /** The two splits: training images, and the held-out test images evaluation draws from. */
    public enum Split { TRAIN, TEST }

    private final String name;
    private final Part train;
    private final Part test;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;
    private final List<String> classNames;
    private final boolean flatten;
    private final List<Path> files;
    private final Standardizer standardizer;

    /** One split: 8-bit pixels (N, C0, H, W); if stacked, rows (M, K) of indices into them, image = K of them. */
    private record Part(Tensor pixels, Tensor stack, int[] labels) {
        long size() {
            return stack == null ? pixels.size(0) : stack.size(0);
        }

        Tensor select(Tensor idx) {
            if (stack == null) {
                return pixels.index_select(0, idx);
            }
            Tensor rows = stack.index_select(0, idx).reshape(-1);
            return pixels.index_select(0, rows).reshape(idx.size(0), stack.size(1) * pixels.size(1), pixels.size(2),
                    pixels.size(3));
        }

        Part keep(long[] idx) {
            Tensor i = longs(idx);
            int[] l = new int[idx.length];
            for (int k = 0; k < idx.length; k++) {
                l[k] = labels[(int) idx[k]];
            }
            return stack == null ? new Part(pixels.index_select(0, i), null, l) : new Part(pixels, stack.index_select(0, i), l);
        }
    }

    private ImageDataset(String name, Part train, Part test, int channels, int height, int width, int classes,
            List<String> classNames, boolean flatten, List<Path> files) {
        this.name = name;
        this.train = train;
        this.test = test;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.classNames = List.copyOf(classNames);
        this.flatten = flatten;
        this.files = List.copyOf(files);
        double[] m = new double[channels * height * width];
        Arrays.fill(m, 127.5);
        this.standardizer = new Standardizer(m, m.clone());
    }

    // ---- construction -----------------------------------------------------------------------------------

    /**
     * A data set from given training and test images of the same shape. Labels are kept when both splits
     * have them (or neither does); {@code classNames} may be empty, else it names every class.
     */
    public static ImageDataset of(String name, ImageSet train, ImageSet test, List<String> classNames, List<Path> files) {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new BadInputException(name + ": training images are " + shapeText(train) + " but test images are "
                    + shapeText(test) + "; both splits must have one shape");
        }
        if (train.labels().isPresent() != test.labels().isPresent()) {
            throw new BadInputException(name + ": the " + (train.labels().isPresent() ? "training" : "test")
                    + " images have labels but the " + (train.labels().isPresent() ? "test" : "training")
                    + " images do not; give labels for both splits or for neither");
        }
        if (train.count() < 1 || test.count() < 1) {
            throw new BadInputException(name + ": " + train.count() + " training and " + test.count()
                    + " test images; each split needs at least 1");
        }
        Part tr = part(train);
        return create(name, tr, test == train ? tr : part(test), train, classNames, files);
    }

    private static ImageDataset create(String name, Part tr, Part te, ImageSet like, List<String> classNames,
            List<Path> files) {
        int classes = 0;
        if (tr.labels != null) {
            classes = Math.max(classNames.size(), 1 + Math.max(max(tr.labels), max(te.labels)));
        }
        return new ImageDataset(name, tr, te, like.channels(), like.height(), like.width(), classes, classNames, false,
                files);
    }

    /**
     * A data set from one set of images, split once by a seeded permutation: {@code round(n * heldOutFraction)}
     * images (at most n - 1) become the test split, the rest the training split; with none held out the test
     * split is the training split.
     */
    public static ImageDataset split(String name, ImageSet all, double heldOutFraction, long splitSeed,
            List<String> classNames, List<Path> files) {
        int n = all.count();
        long nHeld = Math.min(n - 1, Math.round(n * heldOutFraction));
        if (nHeld <= 0) {
            return of(name, all, all, classNames, files);
        }
        long[] perm = new long[n];
        double[] p = Ops.toDoubles(new Rng(splitSeed).permutation(n));
        for (int i = 0; i < n; i++) {
            perm[i] = (long) p[i];
        }
        ImageSet test = subset(all, perm, 0, (int) nHeld);
        ImageSet train = subset(all, perm, (int) nHeld, n - (int) nHeld);
        return of(name, train, test, classNames, files);
    }

    /** The images perm[from .. from + n - 1] of a set, in that order. */
    static ImageSet subset(ImageSet all, long[] perm, int from, int n) {
        int d = all.imageSize();
        byte[] px = new byte[n * d];
        int[] labels = all.labels().isPresent() ? new int[n] : null;
        for (int i = 0; i < n; i++) {
            int src = (int) perm[from + i];
            System.arraycopy(all.pixels(), src * d, px, i * d, d);
            if (labels != null) {
                labels[i] = all.labels().get()[src];
            }
        }
        return new ImageSet(n, all.channels(), all.height(), all.width(), px, Optional.ofNullable(labels));
    }

    /**
     * Stacked images: each training (test) image is {@code k} images drawn independently and uniformly from
     * the base's training (test) split, one per channel, so a base of grey digits gives k-channel images.
     * The draw is fixed by {@code seed}. With base labels in 0..L-1 the label of a stack (a, b, c) is
     * a*L^2 + b*L + c (for MNIST digits: 100a + 10b + c, one of 1,000 modes).
     */
    public static ImageDataset stacked(String name, ImageDataset base, int k, int trainCount, int testCount, long seed) {
        if (base.stacked()) {
            throw new IllegalArgumentException("the base of a stacked data set must not be stacked itself");
        }
        if (base.classes == 0) {
            throw new BadInputException(name + ": the base images (" + base.name + ") have no labels; stacking needs them");
        }
        Part tr = stack(base.train, base.classes, k, trainCount, Rng.derived(seed, "stacked/train"));
        Part te = stack(base.test, base.classes, k, testCount, Rng.derived(seed, "stacked/test"));
        int classes = (int) Math.round(Math.pow(base.classes, k));
        return new ImageDataset(name, tr, te, base.channels * k, base.height, base.width, classes, List.of(), base.flatten,
                base.files);
    }

    private static Part stack(Part base, int baseClasses, int k, int count, Rng rng) {
        Tensor idx = rng.integers(base.size(), count, k);
        double[] rows = Ops.toDoubles(idx);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int l = 0;
            for (int j = 0; j < k; j++) {
                l = l * baseClasses + base.labels[(int) rows[i * k + j]];
            }
            labels[i] = l;
        }
        return new Part(base.pixels, idx, labels);
    }

    /** Only the images of one class, in both splits. */
    public ImageDataset withLabel(int label) {
        if (classes == 0) {
            throw new BadInputException("data.label=" + label + ": " + name + " has no labels; data.label needs labelled"
                    + " images (for idx: data.labels=FILE)");
        }
        if (label < 0 || label >= classes) {
            throw new BadInputException("data.label=" + label + " is not allowed for " + name + "; allowed: -1 (all) or 0 to "
                    + (classes - 1));
        }
        Part tr = train.keep(indicesOf(train.labels, label));
        Part te = test == train ? tr : test.keep(indicesOf(test.labels, label));
        if (tr.size() < 1 || te.size() < 1) {
            throw new BadInputException("data.label=" + label + ": " + name + " has " + tr.size() + " training and "
                    + te.size() + " test images of that class; each split needs at least 1");
        }
        return new ImageDataset(name + "[label " + label + "]", tr, te, channels, height, width, classes, classNames,
                flatten, files);
    }

    /**
     * The images padded with black (pixel 0, x = -1) to size x size, centred; an odd difference puts the
     * extra row (column) at the bottom (right). 28 x 28 digits padded to 32 is the DCGAN-style input size.
     */
    public ImageDataset padded(int size) {
        if (size == height && size == width) {
            return this;
        }
        if (size < height || size < width) {
            throw new BadInputException("data.pad=" + size + " is smaller than the " + height + " x " + width + " images of "
                    + name + "; allowed: 0 (no padding) or a size >= " + Math.max(height, width));
        }
        Part tr = pad(train, size);
        Part te = test == train ? tr : pad(test, size);
        return new ImageDataset(name, tr, te, channels, size, size, classes, classNames, flatten, files);
    }

    private Part pad(Part p, int size) {
        Tensor px = p.pixels;
        Tensor out = torch.zeros(new long[] {px.size(0), px.size(1), size, size}, new TensorOptions(torch.ScalarType.Byte));
        out.narrow(2, (size - height) / 2, height).narrow(3, (size - width) / 2, width).copy_(px);
        return new Part(out, p.stack, p.labels);
    }

    /** The same images; batches (n, C*H*W) instead of (n, C, H, W) when {@code flat}. */
    public ImageDataset flattened(boolean flat) {
        return flat == flatten ? this
                : new ImageDataset(name, train, test, channels, height, width, classes, classNames, flat, files);
    }

    // ---- Dataset ----------------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dim() {
        return channels * height * width;
    }

    /** [C, H, W], or [C*H*W] when flattened. */
    @Override
    public long[] shape() {
        return flatten ? new long[] {dim()} : imageShape();
    }

    /** [C, H, W], flattened or not. */
    public long[] imageShape() {
        return new long[] {channels, height, width};
    }

    public boolean isFlattened() {
        return flatten;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return toModel(train.select(rng.integers(train.size(), n)));
    }

    /** The same draw of n indices as {@link #sample}; only the rows asked for are gathered. */
    /** Labelled: the class of each drawn image (the same draw as {@link #sample}). */
    @Override
    public Batch sampleBatch(int n, Rng rng, boolean labelled) {
        if (!labelled) {
            return Batch.of(sample(n, rng));
        }
        if (classes == 0) {
            throw Dataset.noLabels(name);
        }
        Tensor idx = rng.integers(train.size(), n);
        long[] at = Ops.toLongs(idx);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = train.labels[(int) at[i]];
        }
        return new Batch(toModel(train.select(idx)), Optional.of(Ops.fromLongs(y)));
    }

    @Override
    public Tensor sampleRows(int n, Rng rng, long from, long len) {
        return toModel(train.select(rng.integers(train.size(), n).narrow(0, from, len)));
    }

    /** Test images only: all of them when n &gt;= their number, else n distinct ones (see {@link #referenceIndices}). */
    @Override
    public Tensor reference(int n, Rng rng) {
        return images(Split.TEST, referenceIndices(n, rng));
    }

    /**
     * The test-split indices {@link #reference} draws for the same n and generator state: 0..m-1 when n &gt;= m
     * (no draw), else the first n of a random permutation. Look labels up with them ({@link #labels}).
     */
    public Tensor referenceIndices(int n, Rng rng) {
        long m = test.size();
        if (n >= m) {
            return torch.arange(new org.bytedeco.pytorch.Scalar(m), new TensorOptions(torch.ScalarType.Long));
        }
        return rng.permutation(m).narrow(0, 0, n);
    }

    @Override
    public int referenceSize() {
        return (int) test.size();
    }

    /** Mean 127.5 and scale 127.5 for every value: pixel = (x + 1) * 127.5. */
    @Override
    public Standardizer standardizer() {
        return standardizer;
    }

    @Override
    public List<Path> files() {
        return files;
    }

    // ---- images and labels ------------------------------------------------------------------------------

    /** The number of images in a split. */
    public int size(Split s) {
        return (int) part(s).size();
    }

    /** Images of a split by index (int64), in model space, batch-shaped as {@link #sample} returns them. */
    public Tensor images(Split s, Tensor indices) {
        return toModel(part(s).select(indices));
    }

    /** Images of a split by index as 8-bit pixels (k, C, H, W). */
    public Tensor pixels(Split s, Tensor indices) {
        return part(s).select(indices);
    }

    /** The label of every image of a split, in index order; empty when the data has no labels. */
    public Optional<int[]> labels(Split s) {
        int[] l = part(s).labels;
        return l == null ? Optional.empty() : Optional.of(l.clone());
    }

    /** The number of classes (labels are 0..classes-1); 0 when the data has no labels. */
    public int classes() {
        return classes;
    }

    /** The classes' names where known (subfolder names, Fashion-MNIST's), else empty. */
    public List<String> classNames() {
        return classNames;
    }

    /** True when the test split is the training split (nothing was held out). */
    public boolean testIsTrain() {
        return test == train;
    }

    @Override
    public String toString() {
        return String.format("%s: %d training and %d test images of %dx%dx%d%s", name, train.size(), test.size(), channels,
                height, width, classes > 0 ? ", " + classes + " classes" : ", unlabelled");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private boolean stacked() {
        return train.stack != null;
    }

    private Part part(Split s) {
        return s == Split.TRAIN ? train : test;
    }

    private Tensor toModel(Tensor pixels) {
        Tensor x = pixels.to(torch.ScalarType.Float).div(Ops.s(127.5)).sub(Ops.s(1.0));
        return flatten ? x.reshape(x.size(0), dim()) : x;
    }

    private static Part part(ImageSet s) {
        Tensor px = torch.empty(new long[] {s.count(), s.channels(), s.height(), s.width()},
                new TensorOptions(torch.ScalarType.Byte), null);
        if (s.pixels().length > 0) {
            px.data_ptr_byte().put(s.pixels());
        }
        return new Part(px, null, s.labels().map(int[]::clone).orElse(null));
    }

    static Tensor longs(long[] values) {
        Tensor t = torch.empty(new long[] {values.length}, new TensorOptions(torch.ScalarType.Long), null);
        if (values.length > 0) {
            t.data_ptr_long().put(values);
        }
        return t;
    }

    private static long[] indicesOf(int[] labels, int label) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                out.add((long) i);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    static String shapeText(ImageSet s) {
        return s.channels() + "x" + s.height() + "x" + s.width();
    }
}
