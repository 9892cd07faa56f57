package io.ganflow.data.toy;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The 2-D swiss roll of the WGAN-GP toy script: t = 1.5π(1 + 2u), x = (t·cos t, t·sin t)/7.5 plus
 * Gaussian noise of std 0.25/7.5 per coordinate.
 */
public final class SwissRoll implements Dataset {
    private static final double SCALE = 7.5;
    private static final double NOISE = 0.25;

    @Override
    public String name() {
        return "swissroll";
    }

    @Override
    public int dim() {
        return 2;
    }

    @Override
    public Tensor sample(int n, Rng rng) {
        Tensor t = Ops.mul(Ops.add(Ops.mul(rng.uniform(n, 1), 2.0), 1.0), 1.5 * Math.PI);
        Tensor xy = Ops.cat(java.util.List.of(t.mul(torch.cos(t)), t.mul(torch.sin(t))), 1);
        Tensor noise = Ops.mul(rng.normal(n, 2), NOISE);
        return Ops.mul(xy.add(noise), 1.0 / SCALE);
    }
}
