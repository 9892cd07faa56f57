package io.ganflow.train.optim;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Parameter;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1) as PyTorch implements it: m ← β₁m + (1−β₁)g,
 * v ← β₂v + (1−β₂)g², θ ← θ − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
 */
public final class Adam extends AbstractOptimizer {
    private final List<Tensor> m;
    private final List<Tensor> v;

    Adam(List<Parameter> params, OptimizerSpec spec) {
        super(params, spec);
        m = buffer("m");
        v = buffer("v");
    }

    @Override
    protected void update(int i, Tensor p, Tensor g) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        m.get(i).mul_(Ops.s(b1)).add_(g, Ops.s(1 - b1));
        v.get(i).mul_(Ops.s(b2)).addcmul_(g, g, Ops.s(1 - b2));
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        Tensor denom = v.get(i).sqrt().div(Ops.s(Math.sqrt(bc2))).add_(Ops.s(spec.eps()));
        p.addcdiv_(m.get(i), denom, Ops.s(-lr / bc1));
    }
}
