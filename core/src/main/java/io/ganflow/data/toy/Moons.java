package io.ganflow.data.toy;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Two interleaving half circles (scikit-learn's make_moons): the upper moon (cos θ, sin θ) and the lower
 * moon (1 − cos θ, 0.5 − sin θ), θ ~ U[0, π], each point on either moon with probability ½, plus Gaussian
 * noise of std 0.05.
 */
public final class Moons implements Dataset {
    private final double noise;

    public Moons() {
        this(0.05);
    }

    public Moons(double noise) {
        this.noise = noise;
    }

    @Override
    public String name() {
        return "moons";
    }

    @Override
    public int dim() {
        return 2;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        Tensor theta = Ops.mul(rng.uniform(n, 1), Math.PI);
        Tensor which = rng.integers(2, n, 1).to(torch.ScalarType.Float); // 0 upper, 1 lower
        Tensor c = torch.cos(theta);
        Tensor s = torch.sin(theta);
        // upper: (c, s); lower: (1 - c, 0.5 - s)  ->  x = c + w(1 - 2c), y = s + w(0.5 - 2s)
        Tensor x = c.add(which.mul(Ops.rsub(1.0, Ops.mul(c, 2.0))));
        Tensor y = s.add(which.mul(Ops.rsub(0.5, Ops.mul(s, 2.0))));
        return Ops.cat(List.of(x, y), 1).add(Ops.mul(rng.normal(n, 2), noise));
    }
}
