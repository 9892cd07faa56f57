package io.ganflow.data;

import io.ganflow.engine.Device;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;

/**
 * Training batches delivered on the run's device: the wrapped data set draws them on the host, with its
 * generator's host view (its tables, pixels and mixture centres stay in host memory), and each batch is copied
 * to the device. Reference samples for evaluation stay on the host, where the metrics run.
 */
public final class DeviceDataset extends ForwardingDataset {
    private final Device device;

    public DeviceDataset(Dataset inner, Device device) {
        super(inner);
        this.device = device;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        return Ops.onDevice(inner.sample(n, rng.onHost()), device);
    }

    @Override
    public Batch sampleBatch(int n, Rng rng, boolean labelled) {
        Batch b = inner.sampleBatch(n, rng.onHost(), labelled);
        return new Batch(Ops.onDevice(b.x(), device), b.labels().map(l -> Ops.onDevice(l, device)));
    }

    @Override
    public Tensor sampleRows(int n, Rng rng, long from, long len) {
        return Ops.onDevice(inner.sampleRows(n, rng.onHost(), from, len), device);
    }
}
