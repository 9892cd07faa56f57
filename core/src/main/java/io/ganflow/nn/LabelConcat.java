package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The simplest conditioning, input concatenation: f(x, y) = net([x, onehot(y)]) for flat samples (n, d), with a
 * net whose input width is d + classes. Shaped samples (n, C, H, W) are flattened to (n, C·H·W) first, so an MLP
 * critic reads images this way (the flattening is a view: a gradient with respect to x keeps x's shape); a conv
 * critic takes the class as extra input channels instead ({@link #channels}). The labels enter as constants: a gradient with respect to the input is
 * taken with respect to x alone (a gradient penalty never differentiates through the label columns).
 */
public final class LabelConcat extends ClassWrapper {
    private final boolean asChannels;

    /**
     * A net on images (n, C + classes, H, W) whose input takes the class as extra channels: the one-hot vector
     * broadcast over the image, channel C + y all ones (the conditional DCGAN's usual critic input).
     */
    public static LabelConcat channels(Module net, int classes) {
        return new LabelConcat(net, classes, true);
    }

    public LabelConcat(Module net, int classes) {
        this(net, classes, false);
    }

    private LabelConcat(Module net, int classes, boolean asChannels) {
        super(net, classes);
        this.asChannels = asChannels;
    }

    /** Whether the class enters as constant image channels ({@link #channels}) rather than a one-hot column. */
    public boolean asChannels() {
        return asChannels;
    }

    @Override
    public Tensor forward(Tensor x, Tensor labels) {
        if (asChannels) {
            Tensor maps = Ops.oneHot(labels, classes(), x).reshape(x.size(0), classes(), 1, 1)
                    .expand(new long[] {x.size(0), classes(), x.size(2), x.size(3)});
            return net().forward(Ops.cat(List.of(x, maps), 1));
        }
        Tensor flat = x.dim() > 2 ? x.reshape(x.size(0), -1) : x;
        return net().forward(Ops.cat(List.of(flat, Ops.oneHot(labels, classes(), x)), 1));
    }
}
