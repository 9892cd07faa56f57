package io.ganflow.data.toy;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The checkerboard of the FFJORD toy set: 8 unit squares of a 4×4 board on [−2, 2]², uniform inside.
 * x₁ ~ U[−2, 2]; x₂ = u − 2b + (⌊x₁⌋ mod 2) with u ~ U[0, 1), b ~ Bernoulli(½).
 */
public final class Checkerboard implements Dataset {
    @Override
    public String name() {
        return "checkerboard";
    }

    @Override
    public int dim() {
        return 2;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        Tensor x1 = Ops.add(Ops.mul(rng.uniform(n, 1), 4.0), -2.0);
        Tensor b = rng.integers(2, n, 1).to(torch.ScalarType.Float);
        Tensor x2 = rng.uniform(n, 1).sub(Ops.mul(b, 2.0));
        Tensor parity = torch.remainder(torch.floor(x1), Ops.s(2.0));
        return Ops.cat(List.of(x1, x2.add(parity)), 1);
    }
}
