package io.ganflow.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The ResNet critic of WGAN-GP and SNGAN for small images (Gulrajani et al. 2017, appendix F; Miyato et al. 2018,
 * appendix B.4): four residual blocks of width w,
 *
 * <pre>
 *   block0  ResBlock(C → w, down ÷2), the first block (no norm, no activation before its first conv)
 *   block1  ResBlock(w → w, down ÷2 if the image can be halved twice, else same size), norm
 *   block2  ResBlock(w → w), norm
 *   block3  ResBlock(w → w), norm
 *   ReLU, mean over positions, fc Linear(w → 1): a raw score
 * </pre>
 *
 * 32 px: 32 → 16 → 8, two blocks at 8 × 8 (the CIFAR-10 critic); 28 px: 28 → 14 → 7; 8 px: 8 → 4. The norm is
 * {@link Norm} (the WGAN-GP critic uses none or layer norm; SNGAN none with spectral normalisation of every
 * weight layer).
 */
public final class ResNetCritic extends Composite {
    private final ImageSize size;
    private final long width;
    private final Norm norm;
    private final List<ResBlock> blocks = new ArrayList<>();
    private final Linear fc;

    public ResNetCritic(LayerInit li, long[] shape, long width, Norm norm, boolean spectral) {
        this(li, shape, width, norm, spectral, 1);
    }

    /** @param outputs the width of the last linear layer (1 for a critic; see {@link DcganCritic}) */
    public ResNetCritic(LayerInit li, long[] shape, long width, Norm norm, boolean spectral, long outputs) {
        this.size = ImageSize.of(shape, "the resnet critic");
        this.width = width;
        this.norm = norm;
        blocks.add(add("block0", new ResBlock(li, size.channels(), width, ResBlock.Resample.DOWN, norm, true, spectral)));
        blocks.add(add("block1", new ResBlock(li, width, width,
                size.halvings() >= 2 ? ResBlock.Resample.DOWN : ResBlock.Resample.NONE, norm, false, spectral)));
        blocks.add(add("block2", new ResBlock(li, width, width, ResBlock.Resample.NONE, norm, false, spectral)));
        blocks.add(add("block3", new ResBlock(li, width, width, ResBlock.Resample.NONE, norm, false, spectral)));
        fc = add("fc", new Linear(li, width, outputs, true, spectral));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (ResBlock b : blocks) {
            h = b.forward(h);
        }
        h = torch.relu(h).mean(new long[] {2, 3}, false, null);
        return fc.forward(h);
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
        return "ResNetCritic(" + java.util.Arrays.toString(size.shape()) + ", width " + width + ", norm " + norm.key()
                + ")";
    }
}
