package io.ganflow.train.dist;

import io.ganflow.data.Dataset;
import io.ganflow.data.Mixture;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Rng;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * The rank-aware sampler of data-parallel training: process {@code rank} of {@code world}, asked for its n
 * rows, draws the global batch of n·world rows with the shared-seed generator (unsharded, so the draw is the
 * one a single process would make) and keeps rows [rank·n, (rank+1)·n) ({@link Dataset#sampleRows}: an image
 * set draws every index but gathers only its shard's images). All processes' shards together are exactly the
 * single-process batch. Everything else (reference samples, modes, files) is the wrapped data
 * set's, unsharded.
 */
public final class ShardedDataset implements Dataset {
    private final Dataset inner;
    private final int rank;
    private final int world;

    public ShardedDataset(Dataset inner, int rank, int world) {
        this.inner = inner;
        this.rank = rank;
        this.world = world;
    }

    public Dataset inner() {
        return inner;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return inner.sampleRows(n * world, rng.unsharded(), (long) rank * n, n);
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
