package io.ganflow.data;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;

/**
 * A finite data set held in memory, split once into training and held-out rows. Training batches are
 * drawn uniformly with replacement; reference batches come from the held-out rows.
 */
public final class TensorDataset implements Dataset {
    private final String name;
    private final Tensor train;
    private final Tensor heldOut;
    private final Standardizer standardizer;
    private java.util.List<java.nio.file.Path> files = java.util.List.of();
    private final String noHoldout;
    /** The training rows' classes (aligned with {@link #train}) and their count; empty and 0 without labels. */
    private final java.util.Optional<Tensor> trainLabels;
    private final int classes;

    /**
     * @param rowsModelSpace all rows, already in model space, float32 (n, d)
     * @param heldOutFraction the fraction of rows kept for evaluation (0 keeps none: reference = training)
     * @param splitSeed the seed of the split's permutation
     */
    public TensorDataset(String name, Tensor rowsModelSpace, double heldOutFraction, long splitSeed,
            Standardizer standardizer) {
        this(name, rowsModelSpace, java.util.Optional.empty(), 0, heldOutFraction, splitSeed, standardizer);
    }

    /**
     * A labelled data set: {@code labels} (int64, one per row) follow their rows through the split.
     *
     * @param classes the number of classes (labels 0..classes-1)
     */
    public TensorDataset(String name, Tensor rowsModelSpace, java.util.Optional<Tensor> labels, int classes,
            double heldOutFraction, long splitSeed, Standardizer standardizer) {
        this.name = name;
        this.classes = classes;
        this.standardizer = standardizer;
        checkMagnitude(name, rowsModelSpace, standardizer);
        long n = rowsModelSpace.size(0);
        long nHeld = Math.min(n - 1, Math.round(n * heldOutFraction));
        if (nHeld <= 0) {
            this.train = rowsModelSpace;
            this.heldOut = rowsModelSpace;
            this.trainLabels = labels;
            String fraction = heldOutFraction == Math.rint(heldOutFraction) ? Long.toString((long) heldOutFraction)
                    : Double.toString(heldOutFraction);
            this.noHoldout = name + ": data.holdout=" + fraction + " of " + n + " rows holds out "
                    + (heldOutFraction > 0 ? "none (it rounds to 0)" : "no rows") + ", so evaluation (W1, the plots) uses"
                    + " the training rows and measures fit, not generalisation"
                    + (heldOutFraction > 0 ? "; give more rows" : "; set data.holdout > 0 to hold rows out");
        } else {
            this.noHoldout = null;
            Tensor perm = new Rng(splitSeed).permutation(n);
            Tensor shuffled = rowsModelSpace.index_select(0, perm);
            this.heldOut = shuffled.narrow(0, 0, nHeld).clone();
            this.train = shuffled.narrow(0, nHeld, n - nHeld).clone();
            this.trainLabels = labels.map(l -> l.index_select(0, perm).narrow(0, nHeld, n - nHeld).clone());
        }
    }

    /**
     * The largest magnitude a value may have in model space (exclusive). Training squares numbers that
     * grow with the data in float32: Adam's second moment holds squared gradients, and with a squared loss
     * (least squares, rectified flow) the gradient itself grows like x², so the moment grows like x⁴ and
     * passes float32's 3.4e38 near |x| ~ 1e9.5. Measured on 2-D data with one column scaled: data up to
     * 3e10 trained (lsgan, fgan-pearson, wgan-gp, rf), 3e12 overflowed lsgan and rf ("diverged"). The
     * bound leaves a margin of 30. Standardised data is always far below it (|z| &le; sqrt(n)).
     */
    public static final double MAX_MODEL_ABS = 1e9;

    private static void checkMagnitude(String name, Tensor rows, Standardizer st) {
        if (rows.numel() == 0) {
            return;
        }
        double max = Ops.item(rows.abs().max());
        if (!(max < MAX_MODEL_ABS)) {
            String fix = st.isIdentity() ? "; set data.standardize=true or rescale the data"
                    : "; rescale the data";
            throw new io.ganflow.BadInputException(name + ": values reach " + String.format(java.util.Locale.ROOT,
                    "%.3g", max) + " in model space" + (st.isIdentity() ? " (data.standardize=false)" : "")
                    + "; allowed: |x| < 1e9, beyond which training overflows float32" + fix);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dim() {
        return (int) train.size(1);
    }

    public long trainSize() {
        return train.size(0);
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return train.index_select(0, rng.integers(train.size(0), n));
    }

    @Override
    public int classes() {
        return classes;
    }

    /** Labelled: the drawn rows and their classes, from the same draw as {@link #sample}. */
    @Override
    public Batch sampleBatch(int n, Rng rng, boolean labelled) {
        if (!labelled) {
            return Batch.of(sample(n, rng));
        }
        if (trainLabels.isEmpty()) {
            throw Dataset.noLabels(name);
        }
        Tensor idx = rng.integers(train.size(0), n);
        return new Batch(train.index_select(0, idx), java.util.Optional.of(trainLabels.get().index_select(0,
                idx)));
    }

    @Override
    public Tensor reference(int n, Rng rng) {
        long m = heldOut.size(0);
        if (n >= m) {
            return heldOut;
        }
        return heldOut.index_select(0, rng.permutation(m).narrow(0, 0, n));
    }

    @Override
    public int referenceSize() {
        return (int) heldOut.size(0);
    }

    /** Records the files the rows were read from (for provenance); returns this. */
    public TensorDataset files(java.util.List<java.nio.file.Path> read) {
        this.files = java.util.List.copyOf(read);
        return this;
    }

    @Override
    public java.util.List<java.nio.file.Path> files() {
        return files;
    }

    @Override
    public java.util.Optional<String> evaluatesOnTrainingData() {
        return java.util.Optional.ofNullable(noHoldout);
    }

    @Override
    public Standardizer standardizer() {
        return standardizer;
    }

    /**
     * A data set from rows in data space: split into training and held-out rows by a seeded permutation,
     * then, if {@code standardize}, standardised per column with the mean and standard deviation of the
     * training rows only (the held-out rows never inform the model).
     *
     * @param rows n rows of d numbers, n &gt;= 2
     * @param heldOutFraction the fraction of rows kept for evaluation (0 keeps none: reference = training)
     */
    public static TensorDataset fromRows(String name, double[][] rows, double heldOutFraction, long splitSeed,
            boolean standardize) {
        Standardizer st = standardizer(rows, heldOutFraction, splitSeed, standardize);
        return new TensorDataset(name, modelRows(rows, st), heldOutFraction, splitSeed, st);
    }

    /**
     * As {@link #fromRows(String, double[][], double, long, boolean)}, with a class per row (0..K−1) that follows
     * its row through the split; the standardiser sees the data columns only.
     */
    public static TensorDataset fromRows(String name, double[][] rows, long[] labels, double heldOutFraction,
            long splitSeed, boolean standardize) {
        long max = -1;
        for (long y : labels) {
            max = Math.max(max, y);
        }
        Standardizer st = standardizer(rows, heldOutFraction, splitSeed, standardize);
        return new TensorDataset(name, modelRows(rows, st), java.util.Optional.of(Ops.fromLongs(labels)), (int) max + 1,
                heldOutFraction, splitSeed, st);
    }

    /** The standardiser of the training rows (the split's permutation by {@code splitSeed}), or the identity. */
    private static Standardizer standardizer(double[][] rows, double heldOutFraction, long splitSeed,
            boolean standardize) {
        int n = rows.length;
        if (!standardize) {
            return Standardizer.identity(rows[0].length);
        }
        long nHeld = Math.min(n - 1, Math.round(n * heldOutFraction));
        double[][] train = rows;
        if (nHeld > 0) {
            double[] perm;
            try (io.ganflow.engine.Scope s = io.ganflow.engine.Scope.open()) {
                perm = Ops.toDoubles(new Rng(splitSeed).permutation(n));
            }
            train = new double[(int) (n - nHeld)][];
            for (int i = 0; i < train.length; i++) {
                train[i] = rows[(int) perm[(int) nHeld + i]];
            }
        }
        return Standardizer.fit(train);
    }

    /** Every row in model space, float32 (n, d). */
    private static Tensor modelRows(double[][] rows, Standardizer st) {
        double[][] z = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            z[i] = st.toModel(rows[i]);
        }
        return Ops.fromRows(z);
    }

    static Tensor toTensor(double[][] rows) {
        return Ops.fromRows(rows);
    }
}
