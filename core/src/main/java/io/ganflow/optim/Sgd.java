package io.ganflow.optim;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Parameter;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * SGD with optional momentum as PyTorch implements it: b ← g on the first step, then b ← μb + g;
 * the step direction is b, or g + μb with Nesterov; θ ← θ − lr·direction.
 */
public final class Sgd extends AbstractOptimizer {
    private final List<Tensor> buf;

    Sgd(List<Parameter> params, OptimizerSpec spec) {
        super(params, spec);
        buf = spec.momentum() > 0 ? buffer("momentum") : null;
    }

    @Override
    protected void update(int i, Tensor p, Tensor g) {
        Tensor d = g;
        if (buf != null) {
            Tensor b = buf.get(i);
            if (t == 1) {
                b.copy_(g);
            } else {
                b.mul_(Ops.s(spec.momentum())).add_(g);
            }
            d = spec.nesterov() ? g.add(b, Ops.s(spec.momentum())) : b;
        }
        p.add_(d, Ops.s(-lr));
    }
}
