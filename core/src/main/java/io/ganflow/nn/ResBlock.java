package io.ganflow.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A residual block of the WGAN-GP / SNGAN ResNets (Gulrajani et al. 2017, Miyato et al. 2018), with 3 × 3
 * convolutions:
 *
 * <pre>
 *   main:      [norm1, ReLU], [up ×2], conv1 (in → out), [norm2], ReLU, conv2 (out → out), [avg-pool ÷2]
 *   shortcut:  up: nearest ×2 then 1×1 conv;  down: 1×1 conv then avg-pool (the first block: pool then conv);
 *              same size: identity if in = out, else a 1×1 conv
 * </pre>
 *
 * The first block of a critic ({@code first}) reads the image itself: it has no normalisation and no
 * activation before conv1. Upsampling is nearest-neighbour, downsampling 2 × 2 average pooling. Parts:
 * {@code norm1}, {@code conv1}, {@code norm2}, {@code conv2}, {@code shortcut} (each only if present).
 */
public final class ResBlock extends Composite {
    /** The change of resolution in a block. */
    public enum Resample {
        UP,
        DOWN,
        NONE
    }

    private final Resample resample;
    private final boolean first;
    private final Module norm1;
    private final Conv2d conv1;
    private final Module norm2;
    private final Conv2d conv2;
    private final Conv2d shortcut;

    /** The channels of norm1 and norm2 (0 where the block has none). */
    long[] normChannels() {
        return new long[] {norm1 instanceof BatchNorm b ? b.channels() : 0, norm2 instanceof BatchNorm b ? b.channels() : 0};
    }

    public ResBlock(LayerInit li, long in, long out, Resample resample, Norm norm, boolean first, boolean spectral) {
        this.resample = resample;
        this.first = first;
        Norm n = first ? Norm.NONE : norm;
        Module m1 = n.create(li, in);
        this.norm1 = m1 == null ? null : add("norm1", m1);
        this.conv1 = add("conv1", new Conv2d(li, in, out, 3, 1, 1, true, spectral));
        Module m2 = n.create(li, out);
        this.norm2 = m2 == null ? null : add("norm2", m2);
        this.conv2 = add("conv2", new Conv2d(li, out, out, 3, 1, 1, true, spectral));
        this.shortcut = in != out || resample != Resample.NONE
                ? add("shortcut", new Conv2d(li, in, out, 1, 1, 0, true, spectral)) : null;
    }

    static Tensor up(Tensor x) {
        return torch.upsample_nearest2d(x, new long[] {2 * x.size(2), 2 * x.size(3)});
    }

    static Tensor down(Tensor x) {
        return torch.avg_pool2d(x, 2, 2);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, (j, h) -> h);
    }

    /** The block with {@code afterNorm} applied to the output of its norm j (0: norm1, 1: norm2), where present. */
    Tensor forward(Tensor x, java.util.function.BiFunction<Integer, Tensor, Tensor> afterNorm) {
        Tensor h = x;
        if (!first) {
            if (norm1 != null) {
                h = afterNorm.apply(0, norm1.forward(h));
            }
            h = torch.relu(h);
        }
        if (resample == Resample.UP) {
            h = up(h);
        }
        h = conv1.forward(h);
        if (norm2 != null) {
            h = afterNorm.apply(1, norm2.forward(h));
        }
        h = conv2.forward(torch.relu(h));
        if (resample == Resample.DOWN) {
            h = down(h);
        }
        return h.add(shortcut(x));
    }

    private Tensor shortcut(Tensor x) {
        switch (resample) {
            case UP:
                return shortcut.forward(up(x));
            case DOWN:
                return first ? shortcut.forward(down(x)) : down(shortcut.forward(x));
            default:
                return shortcut == null ? x : shortcut.forward(x);
        }
    }
}
