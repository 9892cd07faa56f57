package io.ganflow.train.dist;

import io.ganflow.data.Batch;
import io.ganflow.data.Dataset;
import io.ganflow.data.ForwardingDataset;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;

/**
 * The rank-aware sampler of data-parallel training: process {@code rank} of {@code world}, asked for its n
 * rows, draws the global batch of n·world rows with the shared-seed generator (unsharded, so the draw is the
 * one a single process would make) and keeps rows [rank·n, (rank+1)·n) ({@link Dataset#sampleRows}: an image
 * set draws every index but gathers only its shard's images). All processes' shards together are exactly the
 * single-process batch. Everything else (reference samples, modes, files) is the wrapped data
 * set's, unsharded.
 */
public final class ShardedDataset extends ForwardingDataset {
    private final int rank;
    private final int world;

    public ShardedDataset(Dataset inner, int rank, int world) {
        super(inner);
        this.rank = rank;
        this.world = world;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return inner.sampleRows(n * world, rng.unsharded(), (long) rank * n, n);
    }

    /** Labelled: the whole batch's draw, then this process's rows of samples and labels alike. */
    @Override
    public Batch sampleBatch(int n, Rng rng, boolean labelled) {
        if (!labelled) {
            return Batch.of(sample(n, rng));
        }
        Batch all = inner.sampleBatch(n * world, rng.unsharded(), true);
        long from = (long) rank * n;
        return new Batch(all.x().narrow(0, from, n), all.labels().map(l -> l.narrow(0, from, n)));
    }

    @Override
    public Tensor sampleRows(int n, Rng rng, long from, long len) {
        return sample(n, rng).narrow(0, from, len);
    }
}
