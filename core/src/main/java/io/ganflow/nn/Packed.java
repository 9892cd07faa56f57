package io.ganflow.nn;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * PacGAN's packing (Lin, Khetan, Fanti &amp; Oh 2018): the critic judges m samples at once, concatenated along the
 * first non-batch axis: n images (n, C, H, W) become n/m packs (n/m, m·C, H, W), n points (n, d) become (n/m, m·d).
 * Consecutive rows form a pack, so a batch of real rows packs real with real and a generated batch generated with
 * generated. A pack of m samples from a generator that has collapsed onto few modes looks unlike m real samples,
 * which is what lets the critic penalise the collapse. The inner net takes the packed shape; the batch must be a
 * multiple of m.
 */
public final class Packed implements Module {
    private final Module critic;
    private final int m;

    /**
     * @param critic the net on packed samples (m times the channels of one sample)
     * @param m samples per pack, at least 2
     */
    public Packed(Module critic, int m) {
        if (m < 2) {
            throw new IllegalArgumentException("a pack holds at least 2 samples, got " + m);
        }
        this.critic = critic;
        this.m = m;
    }

    public int packSize() {
        return m;
    }

    /** The packed batch of x: (n/m, m·s₁, s₂, ...) for x of shape (n, s₁, s₂, ...). */
    public Tensor pack(Tensor x) {
        long n = x.size(0);
        if (n % m != 0) {
            throw new IllegalArgumentException("a packed critic takes batches of a multiple of " + m + " rows, got " + n);
        }
        long[] shape = io.ganflow.engine.Ops.shape(x);
        shape[0] = n / m;
        shape[1] = shape[1] * m;
        return x.reshape(shape);
    }

    @Override
    public Tensor forward(Tensor x) {
        return critic.forward(pack(x));
    }

    @Override
    public List<Parameter> parameters() {
        return critic.parameters();
    }

    @Override
    public List<Parameter> buffers() {
        return critic.buffers();
    }

    @Override
    public void train(boolean on) {
        critic.train(on);
    }

    @Override
    public boolean isTraining() {
        return critic.isTraining();
    }

    @Override
    public String toString() {
        return "Packed(" + m + ", " + critic + ")";
    }
}
