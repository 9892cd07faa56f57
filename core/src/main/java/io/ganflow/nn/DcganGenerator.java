package io.ganflow.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The DCGAN generator (Radford et al. 2016) for images (C, H, W), sized by {@link ImageSize}: with k halvings
 * to a base b_H × b_W and base width w,
 *
 * <pre>
 *   fc    Linear(z_dim → w·2^(k−1)·b_H·b_W, no bias), reshaped to (w·2^(k−1), b_H, b_W)
 *   bn0   BatchNorm, ReLU
 *   up_i  ConvTranspose2d(c → c/2, 4, stride 2, padding 1, no bias), bn_i BatchNorm, ReLU     i = 1 … k−1
 *   out   ConvTranspose2d(w → C, 4, stride 2, padding 1), tanh: values in [−1, 1]
 * </pre>
 *
 * 32 px: 4×4 → 8 → 16 → 32 (k = 3); 28 px: 7×7 → 14 → 28 (k = 2); 8 px: 4×4 → 8 (k = 1). Biases before a
 * batch norm are left out (the norm's β replaces them). Spectral normalisation may be put on any of the k + 1
 * weight layers, numbered fc = 0, up_i = i, out = k.
 */
public final class DcganGenerator extends Composite implements NormedGenerator {
    private final int zDim;
    private final ImageSize size;
    private final long width;
    private final long baseChannels;
    private final Linear fc;
    private final List<BatchNorm> norms = new ArrayList<>();
    private final List<ConvTranspose2d> ups = new ArrayList<>();
    private final ConvTranspose2d out;

    public DcganGenerator(LayerInit li, int zDim, long[] shape, long width, Set<Integer> spectral) {
        this.zDim = zDim;
        this.size = ImageSize.of(shape, "the dcgan generator");
        this.width = width;
        int k = size.halvings();
        this.baseChannels = width << (k - 1);
        fc = add("fc", new Linear(li, zDim, baseChannels * size.baseH() * size.baseW(), false, spectral.contains(0)));
        norms.add(add("bn0", new BatchNorm(li, baseChannels)));
        long c = baseChannels;
        for (int i = 1; i < k; i++) {
            ups.add(add("up" + i, new ConvTranspose2d(li, c, c / 2, 4, 2, 1, false, spectral.contains(i))));
            norms.add(add("bn" + i, new BatchNorm(li, c / 2)));
            c /= 2;
        }
        out = add("out", new ConvTranspose2d(li, c, size.channels(), 4, 2, 1, true, spectral.contains(k)));
    }

    @Override
    public Tensor forward(Tensor z) {
        return forward(z, (i, h) -> h);
    }

    /**
     * The forward pass with {@code afterNorm} applied to the output of batch norm i (i = 0 … k−1) before its ReLU:
     * the identity for the plain generator, a class's gain and shift for conditional batch norm
     * ({@link ClassNormGenerator}).
     */
    @Override
    public Tensor forward(Tensor z, java.util.function.BiFunction<Integer, Tensor, Tensor> afterNorm) {
        Tensor h = fc.forward(z).reshape(z.size(0), baseChannels, size.baseH(), size.baseW());
        h = torch.relu(afterNorm.apply(0, norms.get(0).forward(h)));
        for (int i = 0; i < ups.size(); i++) {
            h = torch.relu(afterNorm.apply(i + 1, norms.get(i + 1).forward(ups.get(i).forward(h))));
        }
        return torch.tanh(out.forward(h));
    }

    /** The channels of each batch norm, in order. */
    @Override
    public long[] normChannels() {
        long[] c = new long[norms.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = norms.get(i).channels();
        }
        return c;
    }

    public int zDim() {
        return zDim;
    }

    public ImageSize imageSize() {
        return size;
    }

    public long width() {
        return width;
    }

    /** Channels of the first feature map, w·2^(k−1). */
    public long baseChannels() {
        return baseChannels;
    }

    @Override
    public String toString() {
        return "DcganGenerator(z " + zDim + " -> " + java.util.Arrays.toString(size.shape()) + ", width " + width + ")";
    }
}
