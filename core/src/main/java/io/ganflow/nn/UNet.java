package io.ganflow.nn;

import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import java.util.Arrays;
import java.util.List;

/**
 * A small U-Net velocity field v(x, t) for rectified flow on images (C, H, W), of the size of torchcfm's MNIST
 * U-Net: two resolution levels, base width w (32–64), a time-conditioned {@link TimeResBlock} per stage, group
 * norms. H and W must be even.
 *
 * <pre>
 *   e       [sin(t·ω), cos(t·ω)] (E numbers, ω_k geometric from 1 to 1000, buffer time.freqs),
 *           then time1 Linear(E → 4w), SiLU, time2 Linear(4w → 4w): the embedding every block adds
 *   in      Conv2d(C → w, 3)                                         H × W
 *   down0   TimeResBlock(w → w)            → skip s0                 H × W
 *   pool    Conv2d(w → w, 3, stride 2)                               H/2 × W/2
 *   down1   TimeResBlock(w → 2w)           → skip s1
 *   mid     TimeResBlock(2w → 2w)
 *   up1     TimeResBlock([h, s1]: 4w → 2w)
 *   upconv  nearest ×2, Conv2d(2w → 2w, 3)                           H × W
 *   up0     TimeResBlock([h, s0]: 3w → w)
 *   out     GroupNorm, SiLU, Conv2d(w → C, 3)
 * </pre>
 *
 * As a {@link Module} its input is the flattened sample with t appended, (n, C·H·W + 1), and its output the
 * flattened velocity (n, C·H·W).
 */
public final class UNet extends Composite implements EmbeddedField {
    /** The highest frequency of the time embedding; the lowest is 1. */
    public static final double MAX_FREQUENCY = 1000;
    private final long[] shape;
    private final long width;
    private final int embedDim;
    private final TimeEmbedding time;
    private final Linear time1;
    private final Linear time2;
    private final Conv2d in;
    private final TimeResBlock down0;
    private final Conv2d pool;
    private final TimeResBlock down1;
    private final TimeResBlock mid;
    private final TimeResBlock up1;
    private final Conv2d upconv;
    private final TimeResBlock up0;
    private final GroupNorm outNorm;
    private final Conv2d out;

    public UNet(LayerInit li, long[] shape, long width, int embedDim) {
        if (shape.length != 3 || shape[1] % 2 != 0 || shape[2] % 2 != 0 || shape[1] < 4 || shape[2] < 4) {
            throw new IllegalArgumentException("the unet velocity net needs image samples [C, H, W] with H and W even"
                    + " and at least 4, got " + Arrays.toString(shape));
        }
        this.shape = shape.clone();
        this.width = width;
        this.embedDim = embedDim;
        this.time = TimeEmbedding.sinusoidal(embedDim, MAX_FREQUENCY).map(li::buffer);
        long c = shape[0];
        long t = 4 * width;
        time1 = add("time1", new Linear(li, embedDim, t, true, false));
        time2 = add("time2", new Linear(li, t, t, true, false));
        in = add("in", new Conv2d(li, c, width, 3, 1, 1, true, false));
        down0 = add("down0", new TimeResBlock(li, width, width, t));
        pool = add("pool", new Conv2d(li, width, width, 3, 2, 1, true, false));
        down1 = add("down1", new TimeResBlock(li, width, 2 * width, t));
        mid = add("mid", new TimeResBlock(li, 2 * width, 2 * width, t));
        up1 = add("up1", new TimeResBlock(li, 4 * width, 2 * width, t));
        upconv = add("upconv", new Conv2d(li, 2 * width, 2 * width, 3, 1, 1, true, false));
        up0 = add("up0", new TimeResBlock(li, 3 * width, width, t));
        outNorm = add("outnorm", new GroupNorm(li, GroupNorm.groupsFor(width, 8), width));
        out = add("out", new Conv2d(li, width, c, 3, 1, 1, true, false));
        addBuffer("time.freqs", time.freqs());
    }

    /** The time embedding after its MLP, (n, 4w), for t of shape (n, 1). */
    @Override
    public Tensor embed(Tensor t) {
        return time2.forward(torch.silu(time1.forward(time.apply(t))));
    }

    /** v(x, t) for x (n, C, H, W) (or flattened, (n, C·H·W): the result has x's shape) and t (n, 1). */
    @Override
    public Tensor velocity(Tensor x, Tensor t) {
        return field(x, embed(t.to(x.scalar_type()).reshape(x.size(0), 1)));
    }

    /** The net given the embedding e (n, 4w) that every block adds. */
    @Override
    public Tensor field(Tensor x, Tensor e) {
        long n = x.size(0);
        Tensor img = x.dim() == 4 ? x : x.reshape(n, shape[0], shape[1], shape[2]);
        Tensor h = in.forward(img);
        Tensor s0 = down0.forward(h, e);
        Tensor s1 = down1.forward(pool.forward(s0), e);
        h = mid.forward(s1, e);
        h = up1.forward(Ops.cat(List.of(h, s1), 1), e);
        h = upconv.forward(ResBlock.up(h));
        h = up0.forward(Ops.cat(List.of(h, s0), 1), e);
        h = out.forward(torch.silu(outNorm.forward(h)));
        return x.dim() == 4 ? h : h.reshape(n, -1);
    }

    /** v on [x, t]: input (n, C·H·W + 1) with t in the last column, output (n, C·H·W). */
    @Override
    public Tensor forward(Tensor xt) {
        long d = shape[0] * shape[1] * shape[2];
        return velocity(xt.narrow(1, 0, d), xt.narrow(1, d, 1));
    }

    public long[] shape() {
        return shape.clone();
    }

    public long width() {
        return width;
    }

    public int embedDim() {
        return embedDim;
    }

    /** 4w: the embedding after the time MLP, which a class embedding is added to. */
    @Override
    public long embedWidth() {
        return 4 * width;
    }

    @Override
    public String toString() {
        return "UNet(" + Arrays.toString(shape) + ", width " + width + ", time embedding " + embedDim + ")";
    }
}
