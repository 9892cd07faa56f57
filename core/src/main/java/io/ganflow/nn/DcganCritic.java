package io.ganflow.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/**
 * The DCGAN discriminator (Radford et al. 2016) for images (C, H, W), the mirror of {@link DcganGenerator}: with
 * k halvings to b_H × b_W and base width w,
 *
 * <pre>
 *   conv0   Conv2d(C → w, 4, stride 2, padding 1), LeakyReLU(0.2)                 (never normalised)
 *   conv_i  Conv2d(c → 2c, 4, stride 2, padding 1), norm_i, LeakyReLU(0.2)        i = 1 … k−1
 *   fc      Linear(w·2^(k−1)·b_H·b_W → 1) on the flattened features: a raw score (no sigmoid)
 * </pre>
 *
 * The norm is {@link Norm}: batch (DCGAN's; no bias in the conv before it), layer, or none. Spectral
 * normalisation may be put on any of the k + 1 weight layers, numbered conv_i = i, fc = k.
 */
public final class DcganCritic extends Composite {
    private final ImageSize size;
    private final long width;
    private final Norm norm;
    private final List<Conv2d> convs = new ArrayList<>();
    private final List<Module> norms = new ArrayList<>();
    private final Linear fc;

    public DcganCritic(LayerInit li, long[] shape, long width, Norm norm, Set<Integer> spectral) {
        this(li, shape, width, norm, spectral, 1);
    }

    /**
     * @param outputs the width of the last linear layer: 1 for a critic, more for a projection critic's features
     *     or an AC-GAN critic's output and class logits
     */
    public DcganCritic(LayerInit li, long[] shape, long width, Norm norm, Set<Integer> spectral, long outputs) {
        this.size = ImageSize.of(shape, "the dcgan critic");
        this.width = width;
        this.norm = norm;
        int k = size.halvings();
        convs.add(add("conv0", new Conv2d(li, size.channels(), width, 4, 2, 1, true, spectral.contains(0))));
        norms.add(null);
        long c = width;
        for (int i = 1; i < k; i++) {
            convs.add(add("conv" + i, new Conv2d(li, c, 2 * c, 4, 2, 1, norm != Norm.BATCH, spectral.contains(i))));
            Module n = norm.create(li, 2 * c);
            norms.add(n == null ? null : add("norm" + i, n));
            c *= 2;
        }
        fc = add("fc", new Linear(li, c * size.baseH() * size.baseW(), outputs, true, spectral.contains(k)));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < convs.size(); i++) {
            h = convs.get(i).forward(h);
            if (norms.get(i) != null) {
                h = norms.get(i).forward(h);
            }
            h = Activation.LEAKY_RELU.apply(h);
        }
        return fc.forward(h.reshape(x.size(0), -1));
    }

    public ImageSize imageSize() {
        return size;
    }

    public long width() {
        return width;
    }

    public Norm norm() {
        return norm;
    }

    @Override
    public String toString() {
        return "DcganCritic(" + java.util.Arrays.toString(size.shape()) + ", width " + width + ", norm " + norm.key()
                + ")";
    }
}
