package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Group normalisation (Wu and He 2018), as PyTorch's {@code nn.GroupNorm(groups, C)} with ε = 1e-5: the C
 * channels of each sample are split into {@code groups} groups, each normalised over its channels and all
 * positions, then scaled and shifted per channel. Every sample is normalised on its own, so it needs no running
 * statistics, behaves the same in training and evaluation mode, and is compatible with gradient penalties.
 *
 * <p>With one group it is <b>layer normalisation over [C, H, W]</b> with a per-channel scale and shift (the form
 * the WGAN-GP ResNet critic uses; PyTorch's {@code nn.LayerNorm([C, H, W])} would instead learn a scale per
 * position, tying the layer to one image size): {@link #layerNorm}. Tensors: {@code weight} (ones),
 * {@code bias} (zeros).
 */
public final class GroupNorm implements Module {
    public static final double EPS = 1e-5;
    private final long groups;
    private final long channels;
    private final Tensor weight;
    private final Tensor bias;

    public GroupNorm(LayerInit li, long groups, long channels) {
        if (groups < 1 || channels < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("bad GroupNorm(" + groups + ", " + channels + "): the groups must divide"
                    + " the channels");
        }
        this.groups = groups;
        this.channels = channels;
        this.weight = li.parameter(Ops.ones(channels));
        this.bias = li.parameter(Ops.zeros(channels));
    }

    /** Layer normalisation over [C, H, W] of each sample with a per-channel scale and shift: GroupNorm(1, C). */
    public static GroupNorm layerNorm(LayerInit li, long channels) {
        return new GroupNorm(li, 1, channels);
    }

    /** The largest of 32, 16, 8, 4, 2, 1 groups that is at most {@code max} and divides {@code channels}. */
    public static long groupsFor(long channels, long max) {
        for (long g = 32; g > 1; g /= 2) {
            if (g <= max && channels % g == 0) {
                return g;
            }
        }
        return 1;
    }

    @Override
    public Tensor forward(Tensor x) {
        return torch.group_norm(x, groups, new TensorOptional(weight), new TensorOptional(bias), EPS, true);
    }

    public long groups() {
        return groups;
    }

    public long channels() {
        return channels;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("weight", weight), new Parameter("bias", bias));
    }

    @Override
    public String toString() {
        return groups == 1 ? "LayerNorm(" + channels + ")" : "GroupNorm(" + groups + ", " + channels + ")";
    }
}
