package io.ganflow.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A residual block conditioned on a time embedding, as in the DDPM / guided-diffusion U-Nets:
 *
 * <pre>
 *   h = conv1(SiLU(norm1(x)))                 conv1: 3 × 3, in → out
 *   h = h + temb(SiLU(e))                     temb: Linear(embedding → out), added at every position
 *   h = conv2(SiLU(norm2(h)))                 conv2: 3 × 3, out → out
 *   return h + shortcut(x)                    identity, or a 1 × 1 conv if in ≠ out
 * </pre>
 *
 * with group norms of {@link GroupNorm#groupsFor}(channels, 8) groups. Parts: {@code norm1}, {@code conv1},
 * {@code temb}, {@code norm2}, {@code conv2}, {@code shortcut}.
 */
public final class TimeResBlock extends Composite {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear temb;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d shortcut;

    public TimeResBlock(LayerInit li, long in, long out, long embedding) {
        norm1 = add("norm1", new GroupNorm(li, GroupNorm.groupsFor(in, 8), in));
        conv1 = add("conv1", new Conv2d(li, in, out, 3, 1, 1, true, false));
        temb = add("temb", new Linear(li, embedding, out, true, false));
        norm2 = add("norm2", new GroupNorm(li, GroupNorm.groupsFor(out, 8), out));
        conv2 = add("conv2", new Conv2d(li, out, out, 3, 1, 1, true, false));
        shortcut = in != out ? add("shortcut", new Conv2d(li, in, out, 1, 1, 0, true, false)) : null;
    }

    /** The block on x (n, in, H, W) with the time embedding e (n, embedding). */
    public Tensor forward(Tensor x, Tensor e) {
        Tensor h = conv1.forward(torch.silu(norm1.forward(x)));
        h = h.add(temb.forward(torch.silu(e)).unsqueeze(2).unsqueeze(3));
        h = conv2.forward(torch.silu(norm2.forward(h)));
        return h.add(shortcut == null ? x : shortcut.forward(x));
    }

    /** Not used alone: the block needs a time embedding. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("TimeResBlock.forward needs a time embedding: use forward(x, e)");
    }
}
