package io.ganflow.data;

import io.ganflow.engine.Rng;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A data set that hands everything to another one; subclasses change how training batches are drawn (one
 * process's shard of them, or delivered on the run's device) and leave the rest alone.
 */
public abstract class ForwardingDataset implements Dataset {
    protected final Dataset inner;

    protected ForwardingDataset(Dataset inner) {
        this.inner = inner;
    }

    public Dataset inner() {
        return inner;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return inner.sample(n, rng);
    }

    @Override
    public Tensor sampleRows(int n, Rng rng, long from, long len) {
        return inner.sampleRows(n, rng, from, len);
    }

    @Override
    public int classes() {
        return inner.classes();
    }

    /** Unlabelled: this data set's own {@link #sample}; labelled: the inner one's, which subclasses adapt. */
    @Override
    public Batch sampleBatch(int n, Rng rng, boolean labelled) {
        return labelled ? inner.sampleBatch(n, rng, true) : Batch.of(sample(n, rng));
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int dim() {
        return inner.dim();
    }

    @Override
    public long[] shape() {
        return inner.shape();
    }

    @Override
    public Tensor reference(int n, Rng rng) {
        return inner.reference(n, rng);
    }

    @Override
    public int referenceSize() {
        return inner.referenceSize();
    }

    @Override
    public Optional<String> evaluatesOnTrainingData() {
        return inner.evaluatesOnTrainingData();
    }

    @Override
    public Optional<Mixture> mixture() {
        return inner.mixture();
    }

    @Override
    public List<Path> files() {
        return inner.files();
    }

    @Override
    public Standardizer standardizer() {
        return inner.standardizer();
    }
}
