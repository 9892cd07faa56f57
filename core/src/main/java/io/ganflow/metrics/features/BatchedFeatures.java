package io.ganflow.metrics.features;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The batching shared by the extractors: the images are cut into batches of {@link #batchSize()} rows, each
 * batch runs in a native-memory scope of its own with autograd off, and its outputs are copied into one
 * preallocated float32 result, so native memory stays at one batch of activations plus the result.
 */
public abstract class BatchedFeatures implements FeatureExtractor {
    /** The default batch: 1x28x28 to 3x32x32 images fit easily; large networks may want less. */
    public static final int DEFAULT_BATCH = 500;

    private final int batchSize;

    protected BatchedFeatures(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public final int batchSize() {
        return batchSize;
    }

    /**
     * Runs the network on one batch (b, C, H, W), float32, on the device the images are on.
     *
     * @return the features, (b, ...) with any trailing shape, and the logits (b, K) if the network has them
     */
    protected abstract Outputs forwardBatch(Tensor batch);

    /** One batch's outputs; {@code logits} is empty for a network without a classification head. */
    protected record Outputs(Tensor features, Optional<Tensor> logits) {}

    @Override
    public Tensor features(Tensor images) {
        return extract(images).features();
    }

    /** Runs the full pass (features and logits): call {@link #extract} to get both from one pass. */
    @Override
    public Optional<Tensor> logits(Tensor images) {
        return extract(images).logits();
    }

    @Override
    public Extracted extract(Tensor images) {
        if (images.dim() != 4) {
            throw new IllegalArgumentException(description() + ": expected images (n, C, H, W), got "
                    + java.util.Arrays.toString(Ops.shape(images)));
        }
        long n = images.size(0);
        if (n == 0) {
            throw new IllegalArgumentException(description() + ": no images");
        }
        return Ops.noGrad(() -> {
            Tensor x = images.detach();
            long[] widths = new long[2]; // feature and logit columns, known after the first batch
            Tensor all = null;
            for (long a = 0; a < n; a += batchSize) {
                long start = a;
                long len = Math.min(batchSize, n - a);
                if (all == null) {
                    Tensor first = Scope.isolated(() -> joined(x.narrow(0, start, len), len, widths));
                    all = torch.empty(new long[] {n, widths[0] + widths[1]}, Ops.floatOptions(), null);
                    all.narrow(0, 0, len).copy_(first);
                } else {
                    try (Scope s = Scope.open()) {
                        long[] w = new long[2];
                        Tensor part = joined(x.narrow(0, start, len), len, w);
                        if (w[0] != widths[0] || w[1] != widths[1]) {
                            throw new IllegalStateException(description() + ": output widths changed between batches");
                        }
                        all.narrow(0, start, len).copy_(part);
                    }
                }
            }
            if (widths[1] == 0) {
                return new Extracted(all, Optional.empty());
            }
            return new Extracted(all.narrow(1, 0, widths[0]).contiguous(),
                    Optional.of(all.narrow(1, widths[0], widths[1]).contiguous()));
        });
    }

    /** Features and logits of one batch side by side, float32 (b, d + K); records d and K in widths. */
    private Tensor joined(Tensor batch, long len, long[] widths) {
        Tensor in = batch.to(torch.ScalarType.Float).contiguous();
        Outputs o = forwardBatch(in);
        Tensor f = o.features();
        if (f.dim() < 1 || f.size(0) != len) {
            throw new IllegalStateException(description() + ": features of shape "
                    + java.util.Arrays.toString(Ops.shape(f)) + " for a batch of " + len + " images");
        }
        f = f.reshape(len, -1).to(torch.ScalarType.Float);
        widths[0] = f.size(1);
        if (o.logits().isEmpty()) {
            widths[1] = 0;
            return f.contiguous();
        }
        Tensor l = o.logits().get();
        if (l.dim() != 2 || l.size(0) != len) {
            throw new IllegalStateException(description() + ": logits of shape "
                    + java.util.Arrays.toString(Ops.shape(l)) + " for a batch of " + len + " images; expected (n, K)");
        }
        widths[1] = l.size(1);
        return torch.cat(new TensorVector(f, l.to(torch.ScalarType.Float)), 1);
    }
}
