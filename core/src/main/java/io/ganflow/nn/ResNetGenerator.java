package io.ganflow.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The ResNet generator of WGAN-GP and SNGAN for small images (Gulrajani et al. 2017, appendix F; Miyato et al.
 * 2018, appendix B.4), sized by {@link ImageSize}: with k halvings to b_H × b_W and width w,
 *
 * <pre>
 *   fc      Linear(z_dim → w·b_H·b_W), reshaped to (w, b_H, b_W)
 *   up_i    ResBlock(w → w, up ×2) with batch norm                  i = 0 … k−1
 *   bn      BatchNorm(w), ReLU
 *   out     Conv2d(w → C, 3, padding 1), tanh
 * </pre>
 *
 * 32 px: 4×4 → 8 → 16 → 32 (3 blocks, the CIFAR-10 net); 28 px: 7×7 → 14 → 28 (2 blocks). With spectral
 * normalisation every weight layer is normalised.
 */
public final class ResNetGenerator extends Composite implements NormedGenerator {
    private final int zDim;
    private final ImageSize size;
    private final long width;
    private final Linear fc;
    private final List<ResBlock> blocks = new ArrayList<>();
    private final BatchNorm bn;
    private final Conv2d out;

    public ResNetGenerator(LayerInit li, int zDim, long[] shape, long width, boolean spectral) {
        this.zDim = zDim;
        this.size = ImageSize.of(shape, "the resnet generator");
        this.width = width;
        fc = add("fc", new Linear(li, zDim, width * size.baseH() * size.baseW(), true, spectral));
        for (int i = 0; i < size.halvings(); i++) {
            blocks.add(add("up" + i, new ResBlock(li, width, width, ResBlock.Resample.UP, Norm.BATCH, false, spectral)));
        }
        bn = add("bn", new BatchNorm(li, width));
        out = add("out", new Conv2d(li, width, size.channels(), 3, 1, 1, true, spectral));
    }

    @Override
    public Tensor forward(Tensor z) {
        return forward(z, (i, h) -> h);
    }

    /**
     * The forward pass with {@code afterNorm} applied to the output of batch norm i: block b's two norms are 2b and
     * 2b + 1, the final one 2k ({@link ClassNormGenerator}).
     */
    @Override
    public Tensor forward(Tensor z, java.util.function.BiFunction<Integer, Tensor, Tensor> afterNorm) {
        Tensor h = fc.forward(z).reshape(z.size(0), width, size.baseH(), size.baseW());
        for (int b = 0; b < blocks.size(); b++) {
            int at = 2 * b;
            h = blocks.get(b).forward(h, (j, x) -> afterNorm.apply(at + j, x));
        }
        return torch.tanh(out.forward(torch.relu(afterNorm.apply(2 * blocks.size(), bn.forward(h)))));
    }

    @Override
    public long[] normChannels() {
        long[] c = new long[2 * blocks.size() + 1];
        for (int b = 0; b < blocks.size(); b++) {
            long[] two = blocks.get(b).normChannels();
            c[2 * b] = two[0];
            c[2 * b + 1] = two[1];
        }
        c[2 * blocks.size()] = bn.channels();
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

    @Override
    public String toString() {
        return "ResNetGenerator(z " + zDim + " -> " + java.util.Arrays.toString(size.shape()) + ", width " + width + ")";
    }
}
